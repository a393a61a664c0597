package io.layerproof.p2p.transport;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.layerproof.p2p.identity.PeerKey;
import io.layerproof.p2p.multiaddr.Multiaddr;
import io.layerproof.p2p.security.noise.NoiseException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Two transports on loopback sockets: the full upgrade, the peer-id check, data, limits. */
class TcpTransportTest {

  private static final Logger log = LoggerFactory.getLogger(TcpTransportTest.class);
  private static final Multiaddr LOOPBACK = Multiaddr.fromString("/ip4/127.0.0.1/tcp/0");

  private final PeerKey serverKey = PeerKey.generate();
  private final PeerKey clientKey = PeerKey.generate();
  private final LinkedBlockingQueue<UpgradedConnection> accepted = new LinkedBlockingQueue<>(64);
  private final List<TcpTransport> transports = new ArrayList<>();

  /** Echoes every plaintext byte back through the secure channel. */
  static final class Echo extends ChannelInboundHandlerAdapter {
    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      ctx.writeAndFlush(msg);
    }
  }

  /** Collects plaintext until {@code expected} bytes have arrived. */
  static final class Collector extends ChannelInboundHandlerAdapter {
    final int expected;
    final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    final CompletableFuture<byte[]> done = new CompletableFuture<>();

    Collector(int expected) {
      this.expected = expected;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      ByteBuf b = (ByteBuf) msg;
      bytes.writeBytes(ByteBufUtil.getBytes(b));
      b.release();
      if (bytes.size() >= expected) {
        done.complete(bytes.toByteArray());
      }
    }
  }

  private TcpTransport server(TransportConfig config) {
    TcpTransport t =
        new TcpTransport(
            serverKey,
            config,
            conn -> {
              conn.channel().pipeline().addLast(new Echo());
              accepted.add(conn);
            });
    transports.add(t);
    return t;
  }

  private TcpTransport client(MuxerFactory muxers) {
    TcpTransport t = new TcpTransport(clientKey, TransportConfig.defaults(), muxers);
    transports.add(t);
    return t;
  }

  @AfterEach
  void closeAll() {
    transports.forEach(TcpTransport::close);
  }

  @Test
  void bothSidesLearnTheOthersPeerIdAndDataCrossesIntact() throws Exception {
    Multiaddr addr = server(TransportConfig.defaults()).listen(LOOPBACK).get(5, TimeUnit.SECONDS);
    int size = 1 << 20; // 1 MiB: many Noise frames each way
    Collector collector = new Collector(size);
    TcpTransport client = client(conn -> conn.channel().pipeline().addLast(collector));
    UpgradedConnection conn =
        client.dial(addr.withPeerId(serverKey.peerId())).get(10, TimeUnit.SECONDS);
    assertEquals(serverKey.peerId(), conn.remotePeerId());
    assertEquals(serverKey.publicKey(), conn.remotePublicKey());
    assertEquals(MuxerFactory.YAMUX, conn.muxer());
    assertTrue(conn.initiator());
    assertEquals(addr.withPeerId(serverKey.peerId()), conn.remoteAddress());

    UpgradedConnection in = accepted.poll(10, TimeUnit.SECONDS);
    assertEquals(clientKey.peerId(), in.remotePeerId());
    assertEquals(MuxerFactory.YAMUX, in.muxer());
    assertTrue(!in.initiator());

    byte[] data = new byte[size];
    new Random(3).nextBytes(data);
    conn.channel().writeAndFlush(Unpooled.wrappedBuffer(data));
    // The server echoes, so the bytes crossed the secure channel in both directions.
    assertArrayEquals(data, collector.done.get(20, TimeUnit.SECONDS));
  }

  @Test
  void dialingWithTheWrongPeerIdFailsOnTheDialer() throws Exception {
    Multiaddr addr = server(TransportConfig.defaults()).listen(LOOPBACK).get(5, TimeUnit.SECONDS);
    TcpTransport client = client(conn -> {});
    ExecutionException e =
        assertThrows(
            ExecutionException.class,
            () ->
                client
                    .dial(addr.withPeerId(PeerKey.generate().peerId()))
                    .get(10, TimeUnit.SECONDS));
    assertTrue(e.getCause() instanceof UpgradeException, e.getCause().toString());
    assertTrue(e.getCause().getCause() instanceof NoiseException);
    assertTrue(e.getCause().getMessage().contains("peer id mismatch"), e.getCause().getMessage());
  }

  @Test
  void aDialerWithoutACommonMuxerFails() throws Exception {
    Multiaddr addr = server(TransportConfig.defaults()).listen(LOOPBACK).get(5, TimeUnit.SECONDS);
    TcpTransport client =
        client(
            new MuxerFactory() {
              @Override
              public void install(UpgradedConnection c) {}

              @Override
              public List<String> protocols() {
                return List.of("/mplex/6.7.0");
              }
            });
    ExecutionException e =
        assertThrows(ExecutionException.class, () -> client.dial(addr).get(10, TimeUnit.SECONDS));
    assertTrue(e.getCause().getMessage().contains("muxer negotiation"), e.getCause().getMessage());
  }

  @Test
  void theConnectionBeyondThePerIpLimitIsClosed() throws Exception {
    int limit = 3;
    TcpTransport server = server(TransportConfig.defaults().withMaxConnectionsPerIp(limit));
    Multiaddr addr = server.listen(LOOPBACK).get(5, TimeUnit.SECONDS);
    List<Socket> sockets = new ArrayList<>();
    try {
      for (int i = 0; i < limit; i++) {
        Socket s = new Socket(InetAddress.getLoopbackAddress(), addr.toSocketAddress().getPort());
        s.setSoTimeout(5000);
        sockets.add(s);
        // An admitted connection gets the multistream header at once.
        assertTrue(s.getInputStream().read() > 0);
      }
      Socket extra = new Socket(InetAddress.getLoopbackAddress(), addr.toSocketAddress().getPort());
      extra.setSoTimeout(5000);
      sockets.add(extra);
      assertEquals(-1, readOrEof(extra.getInputStream()), "the extra connection is closed");
      assertEquals(limit, server.inboundConnections(InetAddress.getLoopbackAddress()));
      // Closing one frees its slot.
      sockets.get(0).close();
      long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
      while (server.inboundConnections(InetAddress.getLoopbackAddress()) >= limit
          && System.nanoTime() < until) {
        Thread.sleep(10);
      }
      Socket again = new Socket(InetAddress.getLoopbackAddress(), addr.toSocketAddress().getPort());
      again.setSoTimeout(5000);
      sockets.add(again);
      assertTrue(again.getInputStream().read() > 0);
    } finally {
      for (Socket s : sockets) {
        s.close();
      }
    }
  }

  @Test
  void inboundBeyondThePendingHandshakeLimitIsClosed() throws Exception {
    TcpTransport server =
        server(TransportConfig.defaults().withMaxPendingHandshakes(1).withMaxConnectionsPerIp(10));
    Multiaddr addr = server.listen(LOOPBACK).get(5, TimeUnit.SECONDS);
    int port = addr.toSocketAddress().getPort();
    try (Socket stalled = new Socket(InetAddress.getLoopbackAddress(), port)) {
      stalled.setSoTimeout(5000);
      assertTrue(stalled.getInputStream().read() > 0); // admitted, now upgrading
      // Only then the second: opened together, the server may accept them in either order.
      try (Socket extra = new Socket(InetAddress.getLoopbackAddress(), port)) {
        extra.setSoTimeout(5000);
        assertEquals(-1, readOrEof(extra.getInputStream()));
      }
    }
  }

  private static int readOrEof(InputStream in) {
    try {
      return in.read();
    } catch (java.net.SocketException reset) {
      return -1; // a reset is a close too
    } catch (java.io.IOException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void anUpgradeThatStallsIsClosedAtTheDeadline() throws Exception {
    TcpTransport server =
        server(TransportConfig.defaults().withHandshakeTimeout(java.time.Duration.ofMillis(300)));
    Multiaddr addr = server.listen(LOOPBACK).get(5, TimeUnit.SECONDS);
    try (Socket s =
        new Socket(InetAddress.getLoopbackAddress(), addr.toSocketAddress().getPort())) {
      s.setSoTimeout(5000);
      InputStream in = s.getInputStream();
      byte[] buf = new byte[64];
      int total = 0;
      for (int n; (n = readOrEofInto(in, buf)) > 0; ) {
        total += n;
      }
      assertEquals(20, total, "just the multistream header, then the close");
    }
  }

  private static int readOrEofInto(InputStream in, byte[] buf) {
    try {
      return in.read(buf);
    } catch (java.net.SocketException reset) {
      return -1;
    } catch (java.io.IOException e) {
      throw new AssertionError(e);
    }
  }

  /** Not a benchmark: a rough figure of the full upgrade on loopback for the report. */
  @Test
  void measuresTheUpgradeTimeOnLoopback() throws Exception {
    Multiaddr addr = server(TransportConfig.defaults()).listen(LOOPBACK).get(5, TimeUnit.SECONDS);
    TcpTransport client = client(conn -> {});
    Multiaddr target = addr.withPeerId(serverKey.peerId());
    for (int i = 0; i < 20; i++) { // warm-up
      client.dial(target).get(10, TimeUnit.SECONDS).channel().close().sync();
    }
    long[] micros = new long[50];
    for (int i = 0; i < micros.length; i++) {
      long t0 = System.nanoTime();
      UpgradedConnection c = client.dial(target).get(10, TimeUnit.SECONDS);
      micros[i] = (System.nanoTime() - t0) / 1000;
      c.channel().close().sync();
    }
    Arrays.sort(micros);
    log.info(
        "dial + full upgrade on loopback: median {} us, p90 {} us, min {} us (n=50)",
        micros[25],
        micros[45],
        micros[0]);
    assertTrue(micros[25] < 1_000_000);
  }
}
