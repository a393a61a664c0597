package io.layerproof.chain.anvil;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A real anvil node (Foundry's dev chain, from the pinned npm package) started on a free loopback
 * port and stopped on {@link #close()} or JVM exit. Tests and benchmarks use it to prove that what
 * works on the embedded chain works on a chain nobody here wrote.
 */
public final class AnvilNode implements AutoCloseable {

  /** anvil's default chain id. */
  public static final long CHAIN_ID = 31337;

  private static final String NPM_BINARY =
      "contracts/node_modules/@foundry-rs/anvil-linux-amd64/bin/anvil";

  private final Process process;
  private final int port;
  private final Thread reaper;

  private AnvilNode(Process process, int port) {
    this.process = process;
    this.port = port;
    this.reaper = new Thread(process::destroyForcibly, "anvil-reaper");
    Runtime.getRuntime().addShutdownHook(reaper);
  }

  /** Starts anvil with its defaults plus {@code extraArgs}; fails clearly if it is missing. */
  public static AnvilNode start(String... extraArgs) throws IOException {
    Path binary =
        locate()
            .orElseThrow(
                () ->
                    new IOException(
                        "anvil not found: run `npm ci --prefix contracts` (or set ANVIL_BIN)"));
    int port = freePort();
    List<String> cmd = new ArrayList<>();
    cmd.addAll(
        List.of(
            binary.toString(),
            "--host",
            "127.0.0.1",
            "--port",
            Integer.toString(port),
            "--chain-id",
            Long.toString(CHAIN_ID),
            "--accounts",
            "0",
            // Anvil otherwise writes old block states under ~/.foundry/anvil/tmp and a killed
            // anvil never removes them: several GB per run filled the disk. Tests and benches
            // need no history on disk.
            "--max-persisted-states",
            "0",
            "--silent"));
    cmd.addAll(List.of(extraArgs));
    Process p =
        new ProcessBuilder(cmd)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
    AnvilNode node = new AnvilNode(p, port);
    try {
      node.awaitListening(Duration.ofSeconds(20));
    } catch (IOException e) {
      node.close();
      throw e;
    }
    return node;
  }

  /** ANVIL_BIN, or the npm package's binary found from the working folder upwards. */
  public static Optional<Path> locate() {
    String env = System.getenv("ANVIL_BIN");
    if (env != null && Files.isExecutable(Path.of(env))) {
      return Optional.of(Path.of(env));
    }
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      Path candidate = dir.resolve(NPM_BINARY);
      if (Files.isExecutable(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

  public String rpcUrl() {
    return "http://127.0.0.1:" + port;
  }

  public int port() {
    return port;
  }

  private void awaitListening(Duration timeout) throws IOException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IOException("anvil exited with code " + process.exitValue());
      }
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress("127.0.0.1", port), 200);
        return;
      } catch (IOException notYet) {
        sleep(25);
      }
    }
    throw new IOException("anvil did not listen on port " + port + " within " + timeout);
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor();
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
    try {
      Runtime.getRuntime().removeShutdownHook(reaper);
    } catch (IllegalStateException shuttingDown) {
      // The hook runs anyway; nothing to undo.
    }
  }
}
