package io.layerproof.inference.crosscheck;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.commons.io.FileUtils;

/**
 * Runs Jlama (an independent pure-Java Llama implementation) greedily on a model folder in a child
 * JVM. Jlama's class files need Java 20+ and its vector code the incubator module, while this
 * project targets Java 17, so the probe ({@code JlamaProbe.java}, a resource) is launched in
 * source-file mode on a newer JDK with Jlama's jars on the classpath.
 */
public final class JlamaRunner {

  /** The JDK the machines carry for Jlama; {@code -Dlayerproof.jlama.java} overrides. */
  public static final Path DEFAULT_JAVA = Path.of("/usr/lib/jvm/temurin-25-jdk-amd64/bin/java");

  /** Written by the inference module's build (maven-dependency-plugin build-classpath). */
  public static final Path DEFAULT_CLASSPATH_FILE = Path.of("inference/target/jlama/classpath.txt");

  /** One prompt's greedy decode: tokens, each step's logits (if asked) and timings. */
  public record Decode(int[] tokens, float[][] logits, long prefillNanos, long decodeNanos) {}

  private final Path jdk;
  private final String classpath;

  private JlamaRunner(Path jdk, String classpath) {
    this.jdk = jdk;
    this.classpath = classpath;
  }

  /**
   * Finds the JDK and Jlama's classpath, or says exactly what is missing: the JDK from {@code
   * layerproof.jlama.java} or {@link #DEFAULT_JAVA}, the classpath file from {@code
   * layerproof.jlama.classpathFile} or {@link #DEFAULT_CLASSPATH_FILE} (or target/jlama/...).
   */
  public static Result<JlamaRunner> locate() {
    Path javaBin = Path.of(System.getProperty("layerproof.jlama.java", DEFAULT_JAVA.toString()));
    if (!Files.isExecutable(javaBin)) {
      return Result.missing(
          "no Java 21+ JDK at "
              + javaBin
              + " (Jlama needs Java 20+ class files and jdk.incubator.vector; set"
              + " -Dlayerproof.jlama.java=/path/to/bin/java)");
    }
    String prop = System.getProperty("layerproof.jlama.classpathFile");
    List<Path> candidates =
        prop != null
            ? List.of(Path.of(prop))
            : List.of(DEFAULT_CLASSPATH_FILE, Path.of("target/jlama/classpath.txt"));
    for (Path file : candidates) {
      if (Files.isRegularFile(file)) {
        try {
          String cp = Files.readString(file).trim();
          Optional<String> absent =
              List.of(cp.split(File.pathSeparator)).stream()
                  .filter(j -> !Files.exists(Path.of(j)))
                  .findFirst();
          if (cp.isEmpty() || absent.isPresent()) {
            return Result.missing(
                "Jlama classpath in " + file + " names a missing jar " + absent.orElse("(none)"));
          }
          return Result.found(new JlamaRunner(javaBin, cp));
        } catch (IOException e) {
          return Result.missing("cannot read " + file + ": " + e.getMessage());
        }
      }
    }
    return Result.missing(
        "no Jlama classpath file at "
            + candidates
            + " (build the inference module: mvn -pl inference generate-resources)");
  }

  /**
   * Greedy-decodes {@code newTokens} tokens for each prompt (token ids) with {@code threads}
   * threads, in float32.
   */
  public List<Decode> decode(
      Path model, List<int[]> prompts, int newTokens, int threads, boolean logits, Duration timeout)
      throws IOException, InterruptedException {
    Path work = Files.createTempDirectory("layerproof-jlama");
    try {
      Path probe = work.resolve("JlamaProbe.java");
      try (InputStream in = JlamaRunner.class.getResourceAsStream("JlamaProbe.java")) {
        Files.copy(in, probe);
      }
      Path promptFile = work.resolve("prompts.txt");
      Files.writeString(
          promptFile,
          prompts.stream()
              .map(
                  p ->
                      Arrays.stream(p).mapToObj(Integer::toString).collect(Collectors.joining(" ")))
              .collect(Collectors.joining("\n")));
      Path out = work.resolve("out.bin");
      Path log = work.resolve("jlama.log");
      List<String> cmd =
          new ArrayList<>(
              List.of(
                  jdk.toString(),
                  "--add-modules",
                  "jdk.incubator.vector",
                  "-Xmx2g",
                  "-cp",
                  classpath,
                  probe.toString(),
                  model.toAbsolutePath().toString(),
                  Integer.toString(threads),
                  Integer.toString(newTokens),
                  promptFile.toString(),
                  out.toString()));
      if (!logits) {
        cmd.add("--no-logits");
      }
      Process p =
          new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
      if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        p.destroyForcibly();
        throw new IOException("Jlama did not finish within " + timeout);
      }
      if (p.exitValue() != 0 || !Files.exists(out)) {
        throw new IOException(
            "Jlama failed (exit "
                + p.exitValue()
                + "):\n"
                + Files.readString(log, StandardCharsets.UTF_8));
      }
      return read(out, logits);
    } finally {
      FileUtils.deleteQuietly(work.toFile());
    }
  }

  private static List<Decode> read(Path out, boolean logits) throws IOException {
    try (DataInputStream in =
        new DataInputStream(new BufferedInputStream(Files.newInputStream(out)))) {
      int prompts = in.readInt();
      int n = in.readInt();
      int vocab = in.readInt();
      List<Decode> result = new ArrayList<>();
      for (int p = 0; p < prompts; p++) {
        long prefill = in.readLong();
        long decode = in.readLong();
        int[] tokens = new int[n];
        for (int i = 0; i < n; i++) {
          tokens[i] = in.readInt();
        }
        float[][] rows = logits ? new float[n][vocab] : null;
        if (logits) {
          for (float[] row : rows) {
            for (int i = 0; i < vocab; i++) {
              row[i] = in.readFloat();
            }
          }
        }
        result.add(new Decode(tokens, rows, prefill, decode));
      }
      return result;
    }
  }

  /** Either a value or the reason it is absent (e.g. no suitable JDK on this machine). */
  public record Result<T>(T value, String reason) {
    static <T> Result<T> found(T value) {
      return new Result<>(value, null);
    }

    static <T> Result<T> missing(String reason) {
      return new Result<>(null, reason);
    }

    public boolean isPresent() {
      return value != null;
    }
  }
}
