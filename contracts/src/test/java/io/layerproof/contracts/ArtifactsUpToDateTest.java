package io.layerproof.contracts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The committed artifacts (what the Web3j wrappers and every deployment use) must be exactly what
 * the sources compile to: recompiles src/ with the same script into a temporary folder and compares
 * byte for byte. Skipped, with the reason, where node is not installed.
 */
class ArtifactsUpToDateTest {

  private static final List<String> CONTRACTS =
      List.of("ComputeToken", "ProviderRegistry", "JobMarket", "LedgerAnchor", "RewardDistributor");

  @Test
  void committedArtifactsMatchAFreshCompile(@TempDir Path fresh) throws Exception {
    Optional<Path> node = onPath("node");
    assumeTrue(
        node.isPresent(), "node is not on PATH, so the contracts cannot be recompiled to compare");
    Path module = Path.of(System.getProperty("basedir", "")).toAbsolutePath();
    Path committed = module.resolve("artifacts");

    Process p =
        new ProcessBuilder(node.get().toString(), "scripts/compile.mjs", "--out", fresh.toString())
            .directory(module.toFile())
            .redirectErrorStream(true)
            .start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(5, TimeUnit.MINUTES), "compile.mjs did not finish");
    assertEquals(0, p.exitValue(), "compile.mjs failed:\n" + output);

    for (String name : CONTRACTS) {
      for (String ext : List.of(".abi", ".bin")) {
        String file = name + ext;
        Path c = committed.resolve(file);
        assertTrue(Files.isRegularFile(c), "missing committed artifact " + c);
        assertTrue(
            Arrays.equals(Files.readAllBytes(c), Files.readAllBytes(fresh.resolve(file))),
            "stale artifact artifacts/"
                + file
                + ": the sources compile to something else. Run `npm run compile` in contracts/"
                + " and commit the result.");
      }
    }
    assertEquals(
        names(committed), names(fresh), "artifacts/ holds files the compiler does not make");
  }

  private static TreeSet<String> names(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      TreeSet<String> out = new TreeSet<>();
      files.forEach(f -> out.add(f.getFileName().toString()));
      return out;
    }
  }

  private static Optional<Path> onPath(String program) {
    String path = System.getenv("PATH");
    if (path == null) {
      return Optional.empty();
    }
    List<String> names = new ArrayList<>(List.of(program, program + ".exe", program + ".cmd"));
    for (String dir : path.split(File.pathSeparator)) {
      for (String n : names) {
        Path candidate = Path.of(dir, n);
        if (Files.isExecutable(candidate) && !Files.isDirectory(candidate)) {
          return Optional.of(candidate);
        }
      }
    }
    return Optional.empty();
  }
}
