package io.layerproof.p2p.interop;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * A real js-libp2p peer ({@code p2p/js/peer.mjs}, libp2p 2.10.0) in a child {@code node} process,
 * driven over newline-delimited JSON on its stdin and stdout. See the comment at the top of {@code
 * peer.mjs} for the commands, the events and the {@code /layerproof/reqresp/1.0.0} wire format.
 *
 * <p>Needs {@code npm ci --prefix p2p/js} once. The child's stderr goes to {@code
 * p2p/target/js-peer/NAME-N.stderr.log}. {@link #close()} asks the peer to stop, then destroys the
 * process, then destroys it forcibly.
 */
public final class JsPeer implements AutoCloseable {

  /** The request/response protocol id that peer.mjs serves and dials. */
  public static final String REQRESP_PROTOCOL = "/layerproof/reqresp/1.0.0";

  /** The largest request or response payload peer.mjs accepts. */
  public static final int MAX_FRAME = 16 * 1024 * 1024;

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);
  private static final Duration DEFAULT_COMMAND_TIMEOUT = Duration.ofSeconds(60);
  private static final AtomicInteger INSTANCES = new AtomicInteger();

  /** Launch options; all optional. */
  public static final class Options {
    String name = "js";
    String host = "127.0.0.1";
    int port = 0;
    String keyHex;
    Integer gossipD;

    /** A label for the stderr log file and thread names. */
    public Options name(String name) {
      this.name = name;
      return this;
    }

    public Options host(String host) {
      this.host = host;
      return this;
    }

    /** The TCP port to listen on; 0 (the default) picks a free one. */
    public Options port(int port) {
      this.port = port;
      return this;
    }

    /** A fixed Ed25519 private key: 32 bytes (the seed) or 64 bytes (seed then public key). */
    public Options key(byte[] key) {
      this.keyHex = HexFormat.of().formatHex(key);
      return this;
    }

    /** GossipSub mesh degree D for the js peer. */
    public Options gossipD(int d) {
      this.gossipD = d;
      return this;
    }
  }

  public static Options options() {
    return new Options();
  }

  private final Process process;
  private final OutputStream stdin;
  private final Path stderrLog;
  private final String name;
  private final AtomicLong nextId = new AtomicLong();
  private final Map<Long, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
  private final LinkedList<JsonNode> events = new LinkedList<>();
  private final CompletableFuture<JsonNode> ready = new CompletableFuture<>();
  private volatile boolean exited;
  private final String peerId;
  private final List<String> addrs;

  private JsPeer(Options options) throws IOException {
    Path root = repositoryRoot();
    Path js = root.resolve("p2p/js");
    Path logDir = root.resolve("p2p/target/js-peer");
    Files.createDirectories(logDir);
    this.name = options.name + "-" + INSTANCES.incrementAndGet();
    this.stderrLog = logDir.resolve(name + ".stderr.log");

    List<String> command = new ArrayList<>();
    command.add(System.getProperty("layerproof.node", "node"));
    command.add(js.resolve("peer.mjs").toString());
    command.add("--host");
    command.add(options.host);
    command.add("--port");
    command.add(Integer.toString(options.port));
    if (options.keyHex != null) {
      command.add("--key");
      command.add(options.keyHex);
    }
    if (options.gossipD != null) {
      command.add("--gossip-d");
      command.add(options.gossipD.toString());
    }
    ProcessBuilder pb =
        new ProcessBuilder(command)
            .directory(js.toFile())
            .redirectError(ProcessBuilder.Redirect.to(stderrLog.toFile()));
    this.process = pb.start();
    this.stdin = process.getOutputStream();

    Thread reader = new Thread(this::readStdout, "js-peer-" + name);
    reader.setDaemon(true);
    reader.start();

    JsonNode readyEvent;
    try {
      readyEvent = ready.get(READY_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      destroy();
      throw new IllegalStateException(
          "the js peer did not print ready within " + READY_TIMEOUT + "; " + stderrTail(), e);
    } catch (InterruptedException e) {
      destroy();
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted waiting for the js peer", e);
    } catch (ExecutionException e) {
      destroy();
      throw new IllegalStateException(
          "the js peer failed to start: " + e.getCause().getMessage() + "; " + stderrTail(), e);
    }
    this.peerId = readyEvent.get("peerId").asText();
    List<String> list = new ArrayList<>();
    readyEvent.get("addrs").forEach(a -> list.add(a.asText()));
    this.addrs = List.copyOf(list);
  }

  /** Starts a js peer with default options and waits for it to be ready. */
  public static JsPeer start() throws IOException {
    return new JsPeer(new Options());
  }

  /** Starts a js peer and waits for it to be ready. */
  public static JsPeer start(Options options) throws IOException {
    return new JsPeer(options);
  }

  /** The js peer's id (base58, 12D3KooW... for Ed25519). */
  public String peerId() {
    return peerId;
  }

  /** The listen addresses it printed when ready, each ending in /p2p/ID. */
  public List<String> addrs() {
    return addrs;
  }

  /** The first listen address, ending in /p2p/ID. */
  public String addr() {
    return addrs.get(0);
  }

  /** Where the child's stderr goes. */
  public Path stderrLog() {
    return stderrLog;
  }

  // ---- commands ------------------------------------------------------------------------------

  /**
   * Sends one command and waits for its answer. Throws {@link JsPeerException} if the peer answers
   * {@code ok:false}.
   *
   * @param cmd the command name
   * @param args alternating keys and values (strings, numbers, booleans)
   */
  public JsonNode command(String cmd, Object... args) {
    return command(DEFAULT_COMMAND_TIMEOUT, cmd, args);
  }

  /** As {@link #command(String, Object...)} with a timeout. */
  public JsonNode command(Duration timeout, String cmd, Object... args) {
    if (args.length % 2 != 0) {
      throw new IllegalArgumentException("args must be key/value pairs");
    }
    ObjectNode msg = JSON.createObjectNode();
    long id = nextId.incrementAndGet();
    msg.put("id", id);
    msg.put("cmd", cmd);
    for (int i = 0; i < args.length; i += 2) {
      msg.set((String) args[i], JSON.valueToTree(args[i + 1]));
    }
    CompletableFuture<JsonNode> answer = new CompletableFuture<>();
    pending.put(id, answer);
    if (exited) {
      pending.remove(id);
      throw new JsPeerException(cmd, "the js peer has exited; " + stderrTail());
    }
    try {
      synchronized (stdin) {
        stdin.write(JSON.writeValueAsBytes(msg));
        stdin.write('\n');
        stdin.flush();
      }
    } catch (IOException e) {
      pending.remove(id);
      throw new JsPeerException(cmd, "cannot write to the js peer: " + e + "; " + stderrTail());
    }
    JsonNode reply;
    try {
      reply = answer.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      throw new JsPeerException(cmd, "no answer within " + timeout + "; " + stderrTail());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new JsPeerException(cmd, "interrupted");
    } catch (ExecutionException e) {
      throw new JsPeerException(cmd, e.getCause().getMessage());
    } finally {
      pending.remove(id);
    }
    if (!reply.path("ok").asBoolean(false)) {
      throw new JsPeerException(cmd, reply.path("error").asText("(no error text)"));
    }
    return reply;
  }

  /** Dials a full multiaddr ending in /p2p/ID; returns the connected peer's id. */
  public String dial(String multiaddr) {
    return command("dial", "addr", multiaddr).get("peer").asText();
  }

  /** One libp2p ping; returns the answer (rttMs from js-libp2p, elapsedMs wall clock). */
  public JsonNode ping(String peer) {
    return command("ping", "peer", peer);
  }

  /** Runs identify on the connection to peer: protocols, agentVersion, listenAddrs, ... */
  public JsonNode identify(String peer) {
    return command("identify", "peer", peer);
  }

  public void subscribe(String topic) {
    command("subscribe", "topic", topic);
  }

  public void unsubscribe(String topic) {
    command("unsubscribe", "topic", topic);
  }

  /** Publishes on a topic; returns the answer with the recipients' peer ids. */
  public JsonNode publish(String topic, byte[] data) {
    return command("publish", "topic", topic, "dataHex", HexFormat.of().formatHex(data));
  }

  /** The topic's known subscribers and the js peer's mesh peers for it. */
  public JsonNode topicPeers(String topic) {
    return command("topicPeers", "topic", topic);
  }

  /** The connected peers: [{peer, addrs}]. */
  public JsonNode peers() {
    return command("peers");
  }

  /**
   * One /layerproof/reqresp/1.0.0 exchange: the js peer sends {@link #requestPayload(int)
   * requestPayload(sizeBytes)} and reads the response frame. Returns requestSize, responseSize,
   * requestSha256, responseSha256 (hex) and ms.
   */
  public JsonNode request(String peer, int sizeBytes) {
    return command("request", "peer", peer, "sizeBytes", sizeBytes);
  }

  /** Waits until the js peer's mesh for topic contains peer. */
  public void awaitMeshPeer(String topic, String peer, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      for (JsonNode p : topicPeers(topic).get("mesh")) {
        if (p.asText().equals(peer)) {
          return;
        }
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError(
            name + ": " + peer + " not in the mesh of " + topic + " within " + timeout);
      }
      sleep(100);
    }
  }

  // ---- events --------------------------------------------------------------------------------

  /**
   * Waits for the first event (received earlier or later) that matches, removes it from the queue
   * and returns it. Throws AssertionError on timeout or if the peer exits first.
   */
  public JsonNode awaitEvent(Predicate<JsonNode> predicate, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (events) {
      while (true) {
        for (Iterator<JsonNode> it = events.iterator(); it.hasNext(); ) {
          JsonNode e = it.next();
          if (predicate.test(e)) {
            it.remove();
            return e;
          }
        }
        long left = deadline - System.nanoTime();
        if (exited) {
          throw new AssertionError(name + ": the js peer exited; " + stderrTail());
        }
        if (left <= 0) {
          throw new AssertionError(
              name + ": no matching event within " + timeout + "; queued: " + events);
        }
        try {
          TimeUnit.NANOSECONDS.timedWait(events, left);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new AssertionError("interrupted", e);
        }
      }
    }
  }

  /** Waits for an event of the given type ("message", "request", "peer:connect", ...). */
  public JsonNode awaitEvent(String type, Predicate<JsonNode> predicate, Duration timeout) {
    return awaitEvent(e -> type.equals(e.path("event").asText()) && predicate.test(e), timeout);
  }

  /** The events queued so far, oldest first (a copy; nothing is removed). */
  public List<JsonNode> events() {
    synchronized (events) {
      return List.copyOf(events);
    }
  }

  // ---- helpers for tests ---------------------------------------------------------------------

  /** The request payload peer.mjs sends: byte i = (i * 31 + 7) mod 256. */
  public static byte[] requestPayload(int size) {
    byte[] out = new byte[size];
    for (int i = 0; i < size; i++) {
      out[i] = (byte) (i * 31 + 7);
    }
    return out;
  }

  /** The response rule of peer.mjs: the request's bytes in reverse order. */
  public static byte[] reversed(byte[] bytes) {
    byte[] out = new byte[bytes.length];
    for (int i = 0; i < bytes.length; i++) {
      out[i] = bytes[bytes.length - 1 - i];
    }
    return out;
  }

  public static String sha256Hex(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  // ---- process -------------------------------------------------------------------------------

  private void readStdout() {
    try (BufferedReader in =
        new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = in.readLine()) != null) {
        JsonNode msg;
        try {
          msg = JSON.readTree(line);
        } catch (IOException e) {
          continue; // not ours (a library printing to stdout): ignore
        }
        if (msg == null || !msg.isObject()) {
          continue;
        }
        if (msg.has("id") && !msg.has("event")) {
          CompletableFuture<JsonNode> answer = pending.get(msg.get("id").asLong());
          if (answer != null) {
            answer.complete(msg);
          }
        } else if ("ready".equals(msg.path("event").asText())) {
          ready.complete(msg);
        } else if (msg.has("event")) {
          synchronized (events) {
            events.add(msg);
            events.notifyAll();
          }
        }
      }
    } catch (IOException e) {
      // the process went away
    } finally {
      exited = true;
      IllegalStateException gone = new IllegalStateException("the js peer exited");
      ready.completeExceptionally(gone);
      pending.values().forEach(f -> f.completeExceptionally(gone));
      synchronized (events) {
        events.notifyAll();
      }
    }
  }

  /** The last lines of the child's stderr, for error messages. */
  private String stderrTail() {
    try {
      List<String> lines = Files.readAllLines(stderrLog, StandardCharsets.UTF_8);
      int from = Math.max(0, lines.size() - 20);
      return "stderr (" + stderrLog + "):\n" + String.join("\n", lines.subList(from, lines.size()));
    } catch (IOException | UncheckedIOException e) {
      return "stderr in " + stderrLog;
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  private void destroy() {
    process.destroy();
    try {
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        process.waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  /** Asks the peer to stop, then destroys the process, then destroys it forcibly. */
  @Override
  public void close() {
    if (process.isAlive() && !exited) {
      try {
        command(Duration.ofSeconds(5), "stop");
        process.waitFor(5, TimeUnit.SECONDS);
      } catch (RuntimeException e) {
        // fall through to destroy
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    if (process.isAlive()) {
      destroy();
    }
    try {
      stdin.close();
    } catch (IOException ignored) {
      // closed already
    }
  }

  /**
   * The repository root: the first folder upwards from the working directory (the p2p module's,
   * under Maven) that holds p2p/js/peer.mjs. Fails if {@code npm ci --prefix p2p/js} has not run.
   */
  /** The js peer's folder, {@code p2p/js}, with its modules installed. */
  public static Path jsDir() {
    return repositoryRoot().resolve("p2p/js");
  }

  static Path repositoryRoot() {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      if (Files.isRegularFile(dir.resolve("p2p/js/peer.mjs"))) {
        if (!Files.isDirectory(dir.resolve("p2p/js/node_modules/libp2p"))) {
          throw new IllegalStateException(
              dir.resolve("p2p/js/node_modules")
                  + " is missing: run `npm ci --prefix p2p/js` in "
                  + dir
                  + " first (the js-libp2p peer the interop tests use)");
        }
        return dir;
      }
    }
    throw new IllegalStateException(
        "p2p/js/peer.mjs not found above " + Path.of("").toAbsolutePath());
  }

  @Override
  public String toString() {
    return "JsPeer[" + name + " " + peerId + "]";
  }

  /** The js peer answered ok:false, or did not answer. */
  public static final class JsPeerException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    JsPeerException(String cmd, String message) {
      super("js peer command " + cmd + " failed: " + message);
    }
  }
}
