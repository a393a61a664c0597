package io.layerproof.p2p.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.layerproof.p2p.host.Host;
import io.layerproof.p2p.host.HostConfig;
import io.layerproof.p2p.identity.PeerId;
import io.layerproof.p2p.identity.PeerKey;
import io.layerproof.p2p.interop.JsPeer;
import io.layerproof.p2p.multiaddr.Multiaddr;
import io.layerproof.p2p.transport.TcpTransport;
import io.layerproof.p2p.transport.TransportConfig;
import io.layerproof.p2p.transport.UpgradedConnection;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * The p2p benchmarks, side by side in one run (opt-in: {@code ./mvnw -pl p2p test -Dtest=P2pBench
 * -Dlayerproof.bench=true}): request/response throughput over Noise + yamux against the same
 * exchange on raw TCP sockets, the dial-and-upgrade (handshake) time, and the ping round trip of a
 * Java host to a js-libp2p peer next to js to js. Gossip latency for 20 nodes is printed by {@code
 * TwentyNodeTest}. Medians of repeated rounds: the machine is shared.
 */
@EnabledIfSystemProperty(named = "layerproof.bench", matches = "true")
class P2pBench {

  static final int PAYLOAD = 4 * 1024 * 1024;
  static final int EXCHANGES = 16;
  static final int ROUNDS = 5;

  @Test
  void sideBySide() throws Exception {
    byte[] payload = JsPeer.requestPayload(PAYLOAD);
    List<Double> p2p = new ArrayList<>();
    List<Double> raw = new ArrayList<>();
    try (Host server = new Host(PeerKey.generate(), HostConfig.defaults());
        Host client = new Host(PeerKey.generate(), HostConfig.defaults());
        RawEcho echo = new RawEcho()) {
      server.onRequest((from, req) -> CompletableFuture.completedFuture(req));
      Multiaddr addr = server.listen(Multiaddr.fromString("/ip4/127.0.0.1/tcp/0"));
      PeerId peer = client.connect(addr).get(30, TimeUnit.SECONDS);
      // One unmeasured round each to warm the JIT: with a single exchange the measured rounds
      // still rose by half from first to last.
      for (int i = 0; i < EXCHANGES; i++) {
        client.request(peer, payload).get(60, TimeUnit.SECONDS);
        echo.exchange(payload);
      }
      for (int r = 0; r < ROUNDS; r++) {
        long t0 = System.nanoTime();
        for (int i = 0; i < EXCHANGES; i++) {
          byte[] back = client.request(peer, payload).get(60, TimeUnit.SECONDS);
          if (i == 0) {
            assertArrayEquals(payload, back);
          }
        }
        p2p.add(mibPerSecond(System.nanoTime() - t0));
        t0 = System.nanoTime();
        for (int i = 0; i < EXCHANGES; i++) {
          echo.exchange(payload);
        }
        raw.add(mibPerSecond(System.nanoTime() - t0));
      }
    }
    double p2pMedian = median(p2p);
    double rawMedian = median(raw);

    long[] handshake = handshakes(50);
    double[] javaJs = javaToJsPing(200);
    JsonNode jsJs = jsToJsPing(200);

    System.out.println();
    System.out.println("p2p benchmarks (loopback, one JVM, medians of " + ROUNDS + " rounds)");
    System.out.printf(
        "  request/response 4 MiB echo  Noise+yamux %8.1f MiB/s   raw TCP %8.1f MiB/s   ratio %.2f%n",
        p2pMedian, rawMedian, p2pMedian / rawMedian);
    System.out.printf(
        "  dial + Noise + yamux upgrade median %.2f ms, p90 %.2f ms (n=%d)%n",
        handshake[handshake.length / 2] / 1e6,
        handshake[(int) (handshake.length * 0.9)] / 1e6,
        handshake.length);
    System.out.printf(
        "  ping round trip  Java->js median %.3f ms p99 %.3f ms   js->js median %.3f ms p99 %.3f ms (n=200 each)%n",
        javaJs[0], javaJs[1], jsJs.get("medianMs").asDouble(), jsJs.get("p99Ms").asDouble());
    System.out.println("  per-round MiB/s  p2p " + p2p + "  raw " + raw);
    assertTrue(p2pMedian > 0 && rawMedian > 0);
  }

  private static double mibPerSecond(long nanos) {
    // Each exchange moves the payload both ways.
    return 2.0 * EXCHANGES * PAYLOAD / (1024.0 * 1024.0) / (nanos / 1e9);
  }

  private static double median(List<Double> xs) {
    List<Double> s = new ArrayList<>(xs);
    s.sort(Double::compare);
    return s.get(s.size() / 2);
  }

  /** Full dials (TCP connect, /noise select, Noise XX, muxer select) to one listener. */
  private static long[] handshakes(int n) throws Exception {
    PeerKey serverKey = PeerKey.generate();
    try (TcpTransport server = new TcpTransport(serverKey, TransportConfig.defaults(), c -> {});
        TcpTransport client =
            new TcpTransport(PeerKey.generate(), TransportConfig.defaults(), c -> {})) {
      Multiaddr addr =
          server
              .listen(Multiaddr.fromString("/ip4/127.0.0.1/tcp/0"))
              .get(10, TimeUnit.SECONDS)
              .withPeerId(serverKey.peerId());
      for (int i = 0; i < 20; i++) {
        client.dial(addr).get(10, TimeUnit.SECONDS).channel().close().sync();
      }
      long[] out = new long[n];
      for (int i = 0; i < n; i++) {
        long t0 = System.nanoTime();
        UpgradedConnection c = client.dial(addr).get(10, TimeUnit.SECONDS);
        out[i] = System.nanoTime() - t0;
        c.channel().close().sync();
      }
      Arrays.sort(out);
      return out;
    }
  }

  /** Median and p99 (ms) of Java host pings to a js-libp2p peer, after a warm-up. */
  private static double[] javaToJsPing(int n) throws Exception {
    try (Host java = new Host(PeerKey.generate(), HostConfig.defaults());
        JsPeer js = JsPeer.start(JsPeer.options().name("bench"))) {
      PeerId peer = java.connect(Multiaddr.fromString(js.addr())).get(30, TimeUnit.SECONDS);
      for (int i = 0; i < 10; i++) {
        java.ping(peer).get(10, TimeUnit.SECONDS);
      }
      double[] ms = new double[n];
      for (int i = 0; i < n; i++) {
        Duration d = java.ping(peer).get(10, TimeUnit.SECONDS);
        ms[i] = d.toNanos() / 1e6;
      }
      Arrays.sort(ms);
      return new double[] {ms[n / 2], ms[(int) Math.ceil(n * 0.99) - 1]};
    }
  }

  /** js-libp2p's own ping between two js peers ({@code p2p/js/ping-baseline.mjs}). */
  private static JsonNode jsToJsPing(int n) throws IOException, InterruptedException {
    Path script = JsPeer.jsDir().resolve("ping-baseline.mjs");
    Process p =
        new ProcessBuilder("node", script.toString(), "--n", Integer.toString(n))
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
    byte[] out = p.getInputStream().readAllBytes();
    if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IllegalStateException("ping-baseline.mjs failed");
    }
    String text = new String(out, java.nio.charset.StandardCharsets.UTF_8).trim();
    return new ObjectMapper().readTree(text.substring(text.lastIndexOf('\n') + 1));
  }

  /** The same exchange on a plain socket: 4-byte length + payload each way, echoed. */
  static final class RawEcho implements AutoCloseable {
    private final ServerSocket server;
    private final Thread thread;
    private final Socket client;
    private final DataOutputStream out;
    private final DataInputStream in;

    RawEcho() throws IOException {
      server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
      thread =
          new Thread(
              () -> {
                try (Socket s = server.accept();
                    DataInputStream sin = new DataInputStream(s.getInputStream());
                    DataOutputStream sout = new DataOutputStream(s.getOutputStream())) {
                  while (true) {
                    byte[] buf = new byte[sin.readInt()];
                    sin.readFully(buf);
                    sout.writeInt(buf.length);
                    sout.write(buf);
                    sout.flush();
                  }
                } catch (IOException done) {
                  // the client closed
                }
              },
              "raw-echo");
      thread.setDaemon(true);
      thread.start();
      client = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort());
      out = new DataOutputStream(client.getOutputStream());
      in = new DataInputStream(client.getInputStream());
    }

    byte[] exchange(byte[] payload) throws IOException {
      out.writeInt(payload.length);
      out.write(payload);
      out.flush();
      byte[] back = new byte[in.readInt()];
      in.readFully(back);
      return back;
    }

    @Override
    public void close() throws IOException {
      client.close();
      server.close();
    }
  }
}
