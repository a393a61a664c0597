package io.layerproof.p2p.mux;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPromise;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Two muxers over a real loopback TCP connection (plain bytes, no security layer). */
class YamuxLoopbackTest {
  private static final Logger log = LoggerFactory.getLogger(YamuxLoopbackTest.class);
  private static final YamuxConfig CONFIG = YamuxConfig.defaults().withKeepAliveInterval(null);
  private static final int WINDOW = YamuxConfig.SPEC_INITIAL_WINDOW;
  private static final int MIB = 1024 * 1024;
  private static final long TIMEOUT_S = 30;

  private static EventLoopGroup group;
  private final List<Channel> channels = new ArrayList<>();

  @BeforeAll
  static void startLoops() {
    group = new MultiThreadIoEventLoopGroup(4, NioIoHandler.newFactory());
  }

  @AfterAll
  static void stopLoops() {
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
  }

  @AfterEach
  void closeChannels() {
    channels.forEach(ch -> ch.close().syncUninterruptibly());
  }

  private record Pair(YamuxMuxer client, YamuxMuxer server) {}

  /** Connects a client and a server muxer; {@code clientSetup} may add a spy to the client. */
  private Pair connect(YamuxConfig config, Consumer<Channel> clientSetup) throws Exception {
    CompletableFuture<YamuxMuxer> server = new CompletableFuture<>();
    Channel listener =
        new ServerBootstrap()
            .group(group)
            .channel(NioServerSocketChannel.class)
            .childHandler(
                new ChannelInitializer<SocketChannel>() {
                  @Override
                  protected void initChannel(SocketChannel ch) {
                    channels.add(ch);
                    server.complete(YamuxMuxer.install(ch, false, config));
                  }
                })
            .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
            .sync()
            .channel();
    channels.add(listener);
    CompletableFuture<YamuxMuxer> client = new CompletableFuture<>();
    Channel clientChannel =
        new Bootstrap()
            .group(group)
            .channel(NioSocketChannel.class)
            .handler(
                new ChannelInitializer<SocketChannel>() {
                  @Override
                  protected void initChannel(SocketChannel ch) {
                    client.complete(YamuxMuxer.install(ch, true, config));
                    clientSetup.accept(ch);
                  }
                })
            .connect(listener.localAddress())
            .sync()
            .channel();
    channels.add(clientChannel);
    return new Pair(get(client), get(server));
  }

  private Pair connect() throws Exception {
    return connect(CONFIG, ch -> {});
  }

  private static <T> T get(CompletableFuture<T> future) throws Exception {
    return future.get(TIMEOUT_S, TimeUnit.SECONDS);
  }

  private static ByteBuf utf8(String s) {
    return Unpooled.copiedBuffer(s, StandardCharsets.UTF_8);
  }

  @Test
  void streamsOpenBothWaysAndEcho() throws Exception {
    Pair pair = connect();
    CompletableFuture<MuxStream> serverSide = new CompletableFuture<>();
    pair.server()
        .onInboundStream(
            s -> {
              serverSide.complete(s);
              StreamKit.echo(s);
            });
    pair.client().onInboundStream(StreamKit::echo);

    MuxStream fromClient = get(pair.client().openStream());
    StreamKit.Collector c1 = new StreamKit.Collector();
    fromClient.setHandler(c1);
    get(fromClient.write(utf8("hello from the client")));
    fromClient.closeWrite();
    assertEquals("hello from the client", c1.text());
    assertEquals(1, fromClient.id() % 2, "the client uses odd ids");
    assertTrue(fromClient.initiator());
    assertEquals(fromClient.id(), get(serverSide).id());
    assertFalse(get(serverSide).initiator());

    MuxStream fromServer = get(pair.server().openStream());
    StreamKit.Collector c2 = new StreamKit.Collector();
    fromServer.setHandler(c2);
    fromServer.write(utf8("hello from the server"));
    fromServer.closeWrite();
    assertEquals("hello from the server", c2.text());
    assertEquals(0, fromServer.id() % 2, "the server uses even ids");
  }

  @Test
  void halfCloseLetsThePeerKeepWriting() throws Exception {
    Pair pair = connect();
    CompletableFuture<MuxStream> serverSide = new CompletableFuture<>();
    pair.server()
        .onInboundStream(
            s ->
                s.setHandler(
                    new StreamHandler() {
                      final StringBuilder request = new StringBuilder();

                      @Override
                      public void onData(MuxStream stream, ByteBuf data) {
                        request.append(data.toString(StandardCharsets.UTF_8));
                        data.release();
                      }

                      @Override
                      public void onRemoteClose(MuxStream stream) {
                        // Our write side is still open after the peer's FIN.
                        stream.write(utf8("reply to " + request));
                        stream.closeWrite();
                        serverSide.complete(stream);
                      }
                    }));
    MuxStream stream = get(pair.client().openStream());
    StreamKit.Collector reply = new StreamKit.Collector();
    stream.setHandler(reply);
    stream.write(utf8("question"));
    stream.closeWrite();
    ExecutionException afterFin =
        assertThrows(ExecutionException.class, () -> get(stream.write(utf8("late"))));
    assertInstanceOf(MuxException.class, afterFin.getCause());
    assertEquals("reply to question", reply.text());
    assertFalse(stream.isOpen(), "both sides sent FIN");
    assertFalse(get(serverSide).isOpen());
  }

  @Test
  void resetReachesThePeerAndFailsItsWrites() throws Exception {
    Pair pair = connect();
    StreamKit.Collector serverCollector = new StreamKit.Collector();
    CompletableFuture<MuxStream> serverSide = new CompletableFuture<>();
    pair.server()
        .onInboundStream(
            s -> {
              s.setHandler(serverCollector);
              serverSide.complete(s);
            });
    MuxStream stream = get(pair.client().openStream());
    stream.write(utf8("x"));
    get(serverCollector.firstData);
    stream.reset();
    get(serverCollector.reset);
    MuxStream remote = get(serverSide);
    assertFalse(remote.isOpen());
    ExecutionException e =
        assertThrows(ExecutionException.class, () -> get(remote.write(utf8("y"))));
    assertInstanceOf(MuxException.class, e.getCause());
    assertFalse(stream.isOpen());
    assertThrows(ExecutionException.class, () -> get(stream.write(utf8("z"))));
  }

  @Test
  void hundredConcurrentStreamsEachEchoTheirOwnBytes() throws Exception {
    Pair pair = connect();
    pair.server().onInboundStream(StreamKit::echo);
    Random random = new Random(7);
    List<byte[]> payloads = new ArrayList<>();
    List<CompletableFuture<byte[]>> echoes = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      byte[] payload = new byte[10_000 + random.nextInt(20_000)];
      random.nextBytes(payload);
      payloads.add(payload);
      StreamKit.Collector collector = new StreamKit.Collector();
      echoes.add(collector.closed);
      pair.client()
          .openStream()
          .thenAccept(
              s -> {
                s.setHandler(collector);
                s.write(Unpooled.wrappedBuffer(payload));
                s.closeWrite();
              });
    }
    CompletableFuture.allOf(echoes.toArray(CompletableFuture[]::new))
        .get(TIMEOUT_S, TimeUnit.SECONDS);
    for (int i = 0; i < 100; i++) {
      assertArrayEquals(payloads.get(i), echoes.get(i).get(), "stream " + i);
    }
  }

  /**
   * Watches frames between the client's codec and session: data sent on a stream versus window
   * granted by the peer. Runs on the client's event loop.
   */
  private static final class FlowSpy extends ChannelDuplexHandler {
    final AtomicLong sent = new AtomicLong();
    final AtomicLong credited = new AtomicLong();
    final AtomicLong updates = new AtomicLong();
    // Sent beyond the window granted by updates: may never exceed the initial window.
    final AtomicLong maxInFlight = new AtomicLong();
    // The largest send window the peer ever opened.
    final AtomicLong maxWindow = new AtomicLong();

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      if (msg instanceof YamuxFrame f && f.type() == FrameType.WINDOW_UPDATE && f.streamId() != 0) {
        long window = WINDOW + credited.addAndGet(f.length()) - sent.get();
        maxWindow.accumulateAndGet(window, Math::max);
        if (f.length() > 0) {
          updates.incrementAndGet();
        }
      }
      ctx.fireChannelRead(msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
      if (msg instanceof YamuxFrame f && f.type() == FrameType.DATA) {
        long inFlight = sent.addAndGet(f.length()) - credited.get();
        maxInFlight.accumulateAndGet(inFlight, Math::max);
      }
      ctx.write(msg, promise);
    }
  }

  private record Transfer(long millis, FlowSpy spy, long updatesWhenWriteCompleted) {}

  private Transfer transfer(YamuxConfig config, int size) throws Exception {
    FlowSpy spy = new FlowSpy();
    Pair pair = connect(config, ch -> ch.pipeline().addBefore(YamuxMuxer.HANDLER_NAME, "spy", spy));
    CompletableFuture<byte[]> receivedDigest = new CompletableFuture<>();
    pair.server()
        .onInboundStream(
            s ->
                s.setHandler(
                    new StreamHandler() {
                      final MessageDigest digest = sha256();

                      @Override
                      public void onData(MuxStream stream, ByteBuf data) {
                        digest.update(data.nioBuffer());
                        data.release();
                      }

                      @Override
                      public void onRemoteClose(MuxStream stream) {
                        receivedDigest.complete(digest.digest());
                      }
                    }));
    byte[] payload = new byte[size];
    new Random(16).nextBytes(payload);
    byte[] expected = sha256().digest(payload);
    MuxStream stream = get(pair.client().openStream());
    long start = System.nanoTime();
    CompletableFuture<Long> written =
        stream.write(Unpooled.wrappedBuffer(payload)).thenApply(v -> spy.updates.get());
    stream.closeWrite();
    byte[] received = get(receivedDigest);
    long millis = (System.nanoTime() - start) / 1_000_000;
    assertArrayEquals(expected, received);
    return new Transfer(millis, spy, get(written));
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void sixteenMibWithTheSpecWindowWaitsForWindowUpdates() throws Exception {
    Transfer t = transfer(CONFIG, 16 * MIB);
    log.info(
        "16 MiB over loopback, 256 KiB window: {} ms, {} window updates, max in flight {} bytes",
        t.millis(),
        t.spy().updates.get(),
        t.spy().maxInFlight.get());
    assertTrue(t.spy().maxInFlight.get() <= WINDOW, "in flight " + t.spy().maxInFlight.get());
    assertTrue(t.spy().maxInFlight.get() > 0);
    // 16 MiB through a window of at most 256 KiB needs at least 63 reopenings before the last byte.
    assertTrue(
        t.updatesWhenWriteCompleted() >= (16 * MIB - WINDOW) / WINDOW,
        "updates before the write completed: " + t.updatesWhenWriteCompleted());
  }

  @Test
  void sixteenMibWithAGrowingWindow() throws Exception {
    Transfer t = transfer(CONFIG.withMaxReceiveWindow(16 * MIB), 16 * MIB);
    log.info(
        "16 MiB over loopback, window growing to 16 MiB: {} ms, {} window updates, largest window"
            + " {} bytes",
        t.millis(),
        t.spy().updates.get(),
        t.spy().maxWindow.get());
    assertTrue(t.spy().maxWindow.get() > WINDOW, "the window should have grown");
    assertTrue(t.spy().maxWindow.get() <= 16 * MIB);
    assertTrue(t.spy().maxInFlight.get() <= WINDOW, "in flight " + t.spy().maxInFlight.get());
  }

  @Test
  void pingMeasuresARoundTripBothWays() throws Exception {
    Pair pair = connect();
    Duration fromClient = get(pair.client().ping());
    Duration fromServer = get(pair.server().ping());
    log.info(
        "ping over loopback: client {} us, server {} us",
        fromClient.toNanos() / 1000,
        fromServer.toNanos() / 1000);
    for (Duration rtt : List.of(fromClient, fromServer)) {
      assertTrue(rtt.toNanos() > 0 && rtt.compareTo(Duration.ofSeconds(5)) < 0, rtt.toString());
    }
  }

  @Test
  void goAwayClosesTheConnectionAndResetsStreams() throws Exception {
    Pair pair = connect();
    StreamKit.Collector serverCollector = new StreamKit.Collector();
    pair.server().onInboundStream(s -> s.setHandler(serverCollector));
    MuxStream stream = get(pair.client().openStream());
    stream.write(utf8("before goaway"));
    get(serverCollector.firstData);
    pair.client().close();
    pair.server().channel().closeFuture().get(TIMEOUT_S, TimeUnit.SECONDS);
    get(serverCollector.reset);
    assertFalse(pair.server().isOpen());
    assertFalse(pair.client().isOpen());
    ExecutionException e =
        assertThrows(ExecutionException.class, () -> get(pair.server().openStream()));
    assertInstanceOf(MuxException.class, e.getCause());
  }
}
