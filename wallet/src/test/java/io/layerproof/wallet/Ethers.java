package io.layerproof.wallet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@code src/test/node/eip712-interop.cjs} with Node.js and the ethers that {@code npm ci
 * --prefix contracts} installs (as the chain module's ethers tests do). Input goes on stdin so a
 * test key never appears in argv or logs.
 */
public final class Ethers {

  private static final ObjectMapper JSON = new ObjectMapper();

  private Ethers() {}

  public static JsonNode run(JsonNode input) throws Exception {
    Path root = repositoryRoot();
    Path script = root.resolve("wallet/src/test/node/eip712-interop.cjs");
    ProcessBuilder pb = new ProcessBuilder("node", script.toString());
    pb.environment().put("CONTRACTS_DIR", root.resolve("contracts").toString());
    Process p = pb.start();
    try (OutputStream in = p.getOutputStream()) {
      in.write(JSON.writeValueAsBytes(input));
    }
    byte[] stdout = p.getInputStream().readAllBytes();
    byte[] stderr = p.getErrorStream().readAllBytes();
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("the ethers script timed out");
    }
    if (p.exitValue() != 0) {
      throw new AssertionError(
          "the ethers script failed: " + new String(stderr, StandardCharsets.UTF_8));
    }
    String text = new String(stdout, StandardCharsets.UTF_8).trim();
    return JSON.readTree(text.substring(text.lastIndexOf('\n') + 1));
  }

  /** The repository root: the first folder upwards with contracts/node_modules/ethers. */
  static Path repositoryRoot() {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      if (Files.exists(dir.resolve("wallet/src/test/node/eip712-interop.cjs"))
          && Files.exists(dir.resolve("contracts/node_modules/ethers"))) {
        return dir;
      }
    }
    throw new IllegalStateException(
        "contracts/node_modules/ethers not found: run npm ci --prefix contracts");
  }
}
