package io.layerproof.p2p.mux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** One muxer driven frame by frame through an EmbeddedChannel: what goes on the wire, and when. */
class YamuxSessionTest {
  private static final YamuxConfig CONFIG = YamuxConfig.defaults().withKeepAliveInterval(null);
  private static final int WINDOW = YamuxConfig.SPEC_INITIAL_WINDOW;

  private static EmbeddedChannel channel() {
    return new EmbeddedChannel();
  }

  private static <T> T done(CompletableFuture<T> future) throws Exception {
    assertTrue(future.isDone(), "future should be complete");
    return future.get();
  }

  private static Throwable failure(CompletableFuture<?> future) {
    assertTrue(future.isCompletedExceptionally(), "future should have failed");
    try {
      future.get();
      throw new AssertionError("unreachable");
    } catch (ExecutionException e) {
      return e.getCause();
    } catch (InterruptedException e) {
      throw new AssertionError(e);
    }
  }

  private static YamuxFrame goAwayOf(List<YamuxFrame> frames) {
    return frames.stream()
        .filter(f -> f.type() == FrameType.GO_AWAY)
        .findFirst()
        .orElseThrow(() -> new AssertionError("no GoAway in " + frames));
  }

  @Test
  void clientOpensOddStreamsWithSynWindowUpdate() throws Exception {
    EmbeddedChannel ch = channel();
    YamuxMuxer client = YamuxMuxer.install(ch, true, CONFIG);
    MuxStream first = done(client.openStream());
    MuxStream second = done(client.openStream());
    assertEquals(1, first.id());
    assertEquals(3, second.id());
    assertTrue(first.initiator());
    ByteBuf out = Unpooled.buffer();
    for (Object msg; (msg = ch.readOutbound()) != null; ) {
      out.writeBytes((ByteBuf) msg);
      ((ByteBuf) msg).release();
    }
    // WindowUpdate, SYN, stream 1, delta 0; then the same for stream 3.
    assertEquals("000100010000000100000000" + "000100010000000300000000", ByteBufUtil.hexDump(out));
    out.release();
  }

  @Test
  void serverUsesEvenIdsAndGrantsLargerInitialWindowWithSyn() throws Exception {
    YamuxConfig big =
        new YamuxConfig(2 * WINDOW, 4 * WINDOW, 16, WINDOW, 1 << 26, 1 << 20, 1 << 16, null, 4);
    EmbeddedChannel ch = channel();
    YamuxMuxer server = YamuxMuxer.install(ch, false, big);
    MuxStream stream = done(server.openStream());
    assertEquals(2, stream.id());
    assertTrue(stream.initiator(), "this side opened it, whatever the connection's role");
    YamuxFrame syn = Wire.only(Wire.written(ch));
    assertEquals(FrameType.WINDOW_UPDATE, syn.type());
    assertEquals(Flags.SYN, syn.flags());
    assertEquals(WINDOW, syn.length()); // 512 KiB wanted, 256 KiB assumed by the peer
  }

  @Test
  void inboundSynIsAckedAndDataDelivered() {
    EmbeddedChannel ch = channel();
    YamuxMuxer server = YamuxMuxer.install(ch, false, CONFIG);
    List<String> received = new ArrayList<>();
    AtomicReference<MuxStream> accepted = new AtomicReference<>();
    server.onInboundStream(
        s -> {
          accepted.set(s);
          s.setHandler(
              (stream, data) -> {
                received.add(data.toString(StandardCharsets.UTF_8));
                data.release();
              });
        });
    ch.writeInbound(
        Wire.bytes(
            YamuxFrame.data(1, Flags.SYN, Unpooled.copiedBuffer("hello", StandardCharsets.UTF_8))));
    assertEquals(List.of("hello"), received);
    assertEquals(1, accepted.get().id());
    assertFalse(accepted.get().initiator());
    YamuxFrame ack = Wire.only(Wire.written(ch));
    assertEquals(FrameType.WINDOW_UPDATE, ack.type());
    assertEquals(Flags.ACK, ack.flags());
    assertEquals(1, ack.streamId());
    assertEquals(0, ack.length());
  }

  @Test
  void pingIsEchoedWithAckAndSameOpaque() {
    EmbeddedChannel ch = channel();
    YamuxMuxer.install(ch, false, CONFIG);
    ch.writeInbound(Wire.bytes(YamuxFrame.ping(Flags.SYN, 0xCAFEBABEL)));
    YamuxFrame pong = Wire.only(Wire.written(ch));
    assertEquals(FrameType.PING, pong.type());
    assertEquals(Flags.ACK, pong.flags());
    assertEquals(0, pong.streamId());
    assertEquals(0xCAFEBABEL, pong.length());
  }

  @Test
  void pingCompletesOnMatchingAckOnly() throws Exception {
    EmbeddedChannel ch = channel();
    YamuxMuxer client = YamuxMuxer.install(ch, true, CONFIG);
    CompletableFuture<Duration> rtt = client.ping();
    YamuxFrame ping = Wire.only(Wire.written(ch));
    assertEquals(Flags.SYN, ping.flags());
    ch.writeInbound(Wire.bytes(YamuxFrame.ping(Flags.ACK, ping.length() + 1)));
    assertFalse(rtt.isDone());
    ch.writeInbound(Wire.bytes(YamuxFrame.ping(Flags.ACK, ping.length())));
    assertFalse(done(rtt).isNegative());
  }

  @Test
  void windowUpdateIsSentOnlyAfterTheHandlerReturns() {
    EmbeddedChannel ch = channel();
    YamuxMuxer server = YamuxMuxer.install(ch, false, CONFIG);
    AtomicInteger updatesSeenInsideHandler = new AtomicInteger(-1);
    server.onInboundStream(
        s ->
            s.setHandler(
                (stream, data) -> {
                  data.release();
                  updatesSeenInsideHandler.set(
                      (int)
                          Wire.written(ch).stream()
                              .filter(f -> f.type() == FrameType.WINDOW_UPDATE && f.flags() == 0)
                              .count());
                }));
    ch.writeInbound(Wire.data(1, Flags.SYN, WINDOW / 2));
    assertEquals(0, updatesSeenInsideHandler.get());
    YamuxFrame update = Wire.only(Wire.written(ch));
    assertEquals(FrameType.WINDOW_UPDATE, update.type());
    assertEquals(0, update.flags());
    assertEquals(WINDOW / 2, update.length());
  }

  @Test
  void dataBeforeHandlerIsBufferedAndCreditedOnlyWhenConsumed() {
    EmbeddedChannel ch = channel();
    YamuxMuxer server = YamuxMuxer.install(ch, false, CONFIG);
    AtomicReference<MuxStream> accepted = new AtomicReference<>();
    server.onInboundStream(accepted::set);
    ch.writeInbound(Wire.data(1, Flags.SYN, 200_000));
    ch.writeInbound(Wire.bytes(YamuxFrame.windowUpdate(1, Flags.FIN, 0)));
    assertEquals(Flags.ACK, Wire.only(Wire.written(ch)).flags()); // no credit yet
    AtomicInteger bytes = new AtomicInteger();
    AtomicInteger closes = new AtomicInteger();
    accepted
        .get()
        .setHandler(
            new StreamHandler() {
              @Override
              public void onData(MuxStream stream, ByteBuf data) {
                bytes.addAndGet(data.readableBytes());
                data.release();
              }

              @Override
              public void onRemoteClose(MuxStream stream) {
                assertEquals(200_000, bytes.get(), "FIN comes after the buffered data");
                closes.incrementAndGet();
              }
            });
    assertEquals(200_000, bytes.get());
    assertEquals(1, closes.get());
    // The peer half-closed, so no window update is owed any more.
    assertTrue(Wire.written(ch).isEmpty());
  }

  @Test
  void unreadDataOverTheStreamLimitResetsTheStream() {
    EmbeddedChannel ch = channel();
    YamuxMuxer server = YamuxMuxer.install(ch, false, CONFIG.withBufferLimits(1000, 1 << 20));
    server.onInboundStream(s -> {});
    ch.writeInbound(Wire.data(1, Flags.SYN, 600));
    ch.writeInbound(Wire.data(1, 0, 600));
    List<YamuxFrame> frames = Wire.written(ch);
    assertEquals(2, frames.size(), frames.toString());
    assertEquals(Flags.RST, frames.get(1).flags());
    assertTrue(ch.isOpen(), "a stream limit is not a connection error");
  }

  @Test
  void unreadDataOverTheConnectionLimitResetsTheStreamThatOverflows() {
    EmbeddedChannel ch = channel();
    YamuxMuxer server = YamuxMuxer.install(ch, false, CONFIG.withBufferLimits(WINDOW, 1500));
    server.onInboundStream(s -> {}); // nobody reads
    ch.writeInbound(Wire.data(1, Flags.SYN, 1000));
    ch.writeInbound(Wire.data(3, Flags.SYN, 1000));
    List<YamuxFrame> frames = Wire.written(ch);
    assertEquals(3, frames.size(), frames.toString()); // ACK 1, ACK 3, RST 3
    assertEquals(3, frames.get(2).streamId());
    assertEquals(Flags.RST, frames.get(2).flags());
    assertTrue(ch.isOpen());
    ch.finishAndReleaseAll();
  }

  @Test
  void dataBeyondTheWindowIsAProtocolError() {
    EmbeddedChannel ch = channel();
    YamuxMuxer server = YamuxMuxer.install(ch, false, CONFIG);
    server.onInboundStream(s -> s.setHandler((stream, data) -> data.release()));
    ch.writeInbound(Wire.bytes(YamuxFrame.windowUpdate(1, Flags.SYN, 0)));
    ByteBuf header = Unpooled.buffer();
    // Only the header of a frame one byte over the 256 KiB window: rejected before the body.
    header.writeBytes(ByteBufUtil.decodeHexDump("000000000000000100040001"));
    ch.writeInbound(header);
    assertEquals(GoAwayCode.PROTOCOL_ERROR.code(), goAwayOf(Wire.written(ch)).length());
    assertFalse(ch.isOpen());
    assertFalse(server.isOpen());
  }

  @Test
  void malformedFramesCloseTheConnectionWithProtocolError() {
    List<ByteBuf> cases =
        List.of(
            Unpooled.wrappedBuffer(ByteBufUtil.decodeHexDump("010000000000000100000000")),
            Unpooled.wrappedBuffer(ByteBufUtil.decodeHexDump("00ff00000000000100000000")),
            Wire.bytes(YamuxFrame.windowUpdate(0, 0, 5)), // stream frame on the session id
            Wire.bytes(YamuxFrame.windowUpdate(2, Flags.SYN, 0)), // server's parity from client
            Wire.bytes(
                YamuxFrame.windowUpdate(1, Flags.SYN, 0),
                YamuxFrame.windowUpdate(1, Flags.SYN, 0)));
    for (ByteBuf input : cases) {
      EmbeddedChannel ch = channel();
      YamuxMuxer.install(ch, false, CONFIG).onInboundStream(s -> {});
      ch.writeInbound(input);
      assertEquals(GoAwayCode.PROTOCOL_ERROR.code(), goAwayOf(Wire.written(ch)).length());
      assertFalse(ch.isOpen());
    }
  }

  @Test
  void inboundStreamsBeyondTheLimitAreReset() {
    EmbeddedChannel ch = channel();
    YamuxMuxer server = YamuxMuxer.install(ch, false, CONFIG.withMaxStreams(2));
    AtomicInteger accepted = new AtomicInteger();
    server.onInboundStream(s -> accepted.incrementAndGet());
    ch.writeInbound(
        Wire.bytes(
            YamuxFrame.windowUpdate(1, Flags.SYN, 0),
            YamuxFrame.windowUpdate(3, Flags.SYN, 0),
            YamuxFrame.windowUpdate(5, Flags.SYN, 0)));
    List<YamuxFrame> frames = Wire.written(ch);
    assertEquals(2, accepted.get());
    assertEquals(3, frames.size());
    assertEquals(5, frames.get(2).streamId());
    assertEquals(Flags.RST, frames.get(2).flags());
    assertTrue(ch.isOpen());
  }

  @Test
  void writeLargerThanTheWindowWaitsForWindowUpdates() throws Exception {
    EmbeddedChannel ch = channel();
    YamuxMuxer client = YamuxMuxer.install(ch, true, CONFIG);
    MuxStream stream = done(client.openStream());
    Wire.written(ch);
    CompletableFuture<Void> write = stream.write(Unpooled.wrappedBuffer(new byte[WINDOW + 1000]));
    List<YamuxFrame> frames = Wire.written(ch);
    assertEquals(WINDOW, frames.stream().mapToLong(YamuxFrame::length).sum());
    assertTrue(frames.stream().allMatch(f -> f.length() <= CONFIG.maxDataFrameSize()));
    assertFalse(write.isDone(), "the write must wait for window");
    ch.writeInbound(Wire.bytes(YamuxFrame.windowUpdate(1, Flags.ACK, 600)));
    assertEquals(600, Wire.only(Wire.written(ch)).length());
    assertFalse(write.isDone());
    ch.writeInbound(Wire.bytes(YamuxFrame.windowUpdate(1, 0, 10_000)));
    assertEquals(400, Wire.only(Wire.written(ch)).length());
    done(write);
  }

  @Test
  void closeWriteSendsFinAfterQueuedDataAndForbidsWrites() throws Exception {
    EmbeddedChannel ch = channel();
    YamuxMuxer client = YamuxMuxer.install(ch, true, CONFIG);
    MuxStream stream = done(client.openStream());
    Wire.written(ch);
    stream.write(Unpooled.wrappedBuffer(new byte[WINDOW + 10]));
    stream.closeWrite();
    List<YamuxFrame> frames = Wire.written(ch);
    assertTrue(frames.stream().noneMatch(f -> f.hasFlag(Flags.FIN)), "FIN waits for the data");
    assertInstanceOf(
        MuxException.class, failure(stream.write(Unpooled.wrappedBuffer(new byte[1]))));
    ch.writeInbound(Wire.bytes(YamuxFrame.windowUpdate(1, 0, 10)));
    frames = Wire.written(ch);
    assertEquals(2, frames.size());
    assertEquals(10, frames.get(0).length());
    assertEquals(Flags.FIN, frames.get(1).flags());
    assertTrue(stream.isOpen(), "half-closed: the peer may still send");
    ch.writeInbound(Wire.bytes(YamuxFrame.windowUpdate(1, Flags.FIN, 0)));
    assertFalse(stream.isOpen());
  }

  @Test
  void writeQueueIsBounded() throws Exception {
    YamuxConfig small =
        new YamuxConfig(WINDOW, WINDOW, 16, WINDOW, 1 << 26, 1000, 1 << 16, null, 4);
    EmbeddedChannel ch = channel();
    MuxStream stream = done(YamuxMuxer.install(ch, true, small).openStream());
    stream.write(Unpooled.wrappedBuffer(new byte[WINDOW])); // fills the window
    CompletableFuture<Void> queued = stream.write(Unpooled.wrappedBuffer(new byte[800]));
    ByteBuf rejected = Unpooled.wrappedBuffer(new byte[300]);
    CompletableFuture<Void> overflow = stream.write(rejected);
    assertFalse(queued.isDone());
    assertInstanceOf(MuxException.class, failure(overflow));
    assertEquals(0, rejected.refCnt(), "a rejected write is released");
  }

  @Test
  void remoteResetFailsWritesAndNotifiesTheHandler() throws Exception {
    EmbeddedChannel ch = channel();
    MuxStream stream = done(YamuxMuxer.install(ch, true, CONFIG).openStream());
    AtomicInteger resets = new AtomicInteger();
    stream.setHandler(
        new StreamHandler() {
          @Override
          public void onData(MuxStream s, ByteBuf data) {
            data.release();
          }

          @Override
          public void onReset(MuxStream s) {
            resets.incrementAndGet();
          }
        });
    CompletableFuture<Void> pending = stream.write(Unpooled.wrappedBuffer(new byte[WINDOW + 1]));
    ch.writeInbound(Wire.bytes(YamuxFrame.windowUpdate(1, Flags.RST, 0)));
    assertEquals(1, resets.get());
    assertFalse(stream.isOpen());
    assertInstanceOf(MuxException.class, failure(pending));
    assertInstanceOf(
        MuxException.class, failure(stream.write(Unpooled.wrappedBuffer(new byte[1]))));
  }

  @Test
  void remoteGoAwayStopsNewStreams() {
    EmbeddedChannel ch = channel();
    YamuxMuxer client = YamuxMuxer.install(ch, true, CONFIG);
    ch.writeInbound(Wire.bytes(YamuxFrame.goAway(GoAwayCode.NORMAL)));
    assertFalse(client.isOpen());
    assertInstanceOf(MuxException.class, failure(client.openStream()));
  }

  @Test
  void closeSendsNormalGoAwayAndResetsStreams() throws Exception {
    EmbeddedChannel ch = channel();
    YamuxMuxer client = YamuxMuxer.install(ch, true, CONFIG);
    MuxStream stream = done(client.openStream());
    AtomicInteger resets = new AtomicInteger();
    stream.setHandler(
        new StreamHandler() {
          @Override
          public void onData(MuxStream s, ByteBuf data) {
            data.release();
          }

          @Override
          public void onReset(MuxStream s) {
            resets.incrementAndGet();
          }
        });
    CompletableFuture<Duration> ping = client.ping();
    Wire.written(ch);
    client.close();
    assertEquals(GoAwayCode.NORMAL.code(), goAwayOf(Wire.written(ch)).length());
    assertFalse(ch.isOpen());
    assertEquals(1, resets.get());
    assertInstanceOf(MuxException.class, failure(ping));
  }

  @Test
  void unansweredKeepAliveClosesTheConnection() {
    EmbeddedChannel ch = channel();
    ch.freezeTime();
    YamuxMuxer.install(ch, true, CONFIG.withKeepAliveInterval(Duration.ofSeconds(10)));
    ch.advanceTimeBy(10, TimeUnit.SECONDS);
    ch.runScheduledPendingTasks();
    YamuxFrame ping = Wire.only(Wire.written(ch));
    assertEquals(FrameType.PING, ping.type());
    ch.writeInbound(Wire.bytes(YamuxFrame.ping(Flags.ACK, ping.length())));
    ch.advanceTimeBy(10, TimeUnit.SECONDS);
    ch.runScheduledPendingTasks();
    assertTrue(ch.isOpen(), "answered pings keep the connection");
    Wire.written(ch);
    ch.advanceTimeBy(10, TimeUnit.SECONDS);
    ch.runScheduledPendingTasks();
    assertFalse(ch.isOpen(), "an unanswered ping closes it");
  }
}
