package io.layerproof.p2p.mux;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Random and mutated frames fed to a server session: nothing escapes, protocol errors close the
 * connection with GoAway(1), nothing leaks, and no buffer grows with a frame's declared length.
 */
class YamuxFuzzTest {
  private static final int CASES = 2_000;
  private static final long SEED = 0x5EED_2026L;
  private static final YamuxConfig CONFIG = YamuxConfig.defaults().withKeepAliveInterval(null);
  private static final int[] IDS = {1, 3, 5, 7, 2, 0};

  private static byte[] randomFrames(Random r) {
    int count = 1 + r.nextInt(12);
    List<YamuxFrame> frames = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      int id = IDS[r.nextInt(IDS.length)];
      int flags = r.nextInt(4) == 0 ? r.nextInt(16) : (r.nextBoolean() ? Flags.SYN : 0);
      frames.add(
          switch (r.nextInt(5)) {
            case 0, 1 -> {
              byte[] payload = new byte[r.nextInt(2048)];
              r.nextBytes(payload);
              yield YamuxFrame.data(id, flags, Unpooled.wrappedBuffer(payload));
            }
            case 2 -> YamuxFrame.windowUpdate(id, flags, r.nextInt(1 << 20));
            case 3 ->
                YamuxFrame.ping(r.nextBoolean() ? Flags.SYN : Flags.ACK, r.nextInt() & 0xFFFFL);
            default -> YamuxFrame.goAway(GoAwayCode.values()[r.nextInt(3)]);
          });
    }
    return ByteBufUtil.getBytes(Wire.bytes(frames.toArray(YamuxFrame[]::new)));
  }

  /** A header that no peer may send: bad version, unknown type, or data past any window. */
  private static byte[] badHeader(Random r) {
    ByteBuf h = Unpooled.buffer(12);
    switch (r.nextInt(3)) {
      case 0 -> h.writeByte(1 + r.nextInt(255)).writeByte(0).writeShort(0).writeInt(1).writeInt(0);
      case 1 -> h.writeByte(0).writeByte(4 + r.nextInt(252)).writeShort(0).writeInt(1).writeInt(0);
      default -> {
        long length = CONFIG.maxReceiveWindow() + 1L + (r.nextLong() & 0x7FFF_FFFFL);
        h.writeByte(0)
            .writeByte(0)
            .writeShort(r.nextInt(16))
            .writeInt(r.nextInt())
            .writeInt((int) length);
      }
    }
    return ByteBufUtil.getBytes(h);
  }

  private static byte[] mutate(Random r, int mode, byte[] input) {
    return switch (mode) {
      case 0 -> input;
      case 1 -> {
        byte[] copy = input.clone();
        for (int i = 1 + r.nextInt(5); i > 0 && copy.length > 0; i--) {
          copy[r.nextInt(copy.length)] = (byte) r.nextInt(256);
        }
        yield copy;
      }
      case 2 -> {
        byte[] cut = java.util.Arrays.copyOf(input, r.nextInt(input.length + 1));
        byte[] tail = new byte[r.nextInt(40)];
        r.nextBytes(tail);
        byte[] out = java.util.Arrays.copyOf(cut, cut.length + tail.length);
        System.arraycopy(tail, 0, out, cut.length, tail.length);
        yield out;
      }
      default -> {
        byte[] garbage = new byte[r.nextInt(200)];
        r.nextBytes(garbage);
        yield garbage;
      }
    };
  }

  private static void installHandlers(Random r, YamuxMuxer muxer) {
    switch (r.nextInt(4)) {
      case 0 -> {} // no acceptor: streams wait, their data is buffered
      case 1 -> muxer.onInboundStream(s -> s.setHandler((stream, data) -> data.release()));
      case 2 ->
          muxer.onInboundStream(
              s ->
                  s.setHandler(
                      new StreamHandler() {
                        @Override
                        public void onData(MuxStream stream, ByteBuf data) {
                          stream.write(data);
                        }

                        @Override
                        public void onRemoteClose(MuxStream stream) {
                          stream.closeWrite();
                        }
                      }));
      default ->
          muxer.onInboundStream(
              s ->
                  s.setHandler(
                      (stream, data) -> {
                        data.release();
                        stream.reset();
                      }));
    }
  }

  @Test
  void randomAndMutatedFramesNeverEscapeOrLeak() {
    Random r = new Random(SEED);
    int closed = 0;
    int stayedOpen = 0;
    int dataDelivered = 0;
    for (int i = 0; i < CASES; i++) {
      int n = i;
      int mode = r.nextInt(4);
      byte[] input = mutate(r, mode, randomFrames(r));
      // Only intact input ends at a frame boundary, where a bad header is certainly read as one.
      boolean appendBad = mode == 0 && r.nextBoolean();
      if (appendBad) {
        byte[] bad = badHeader(r);
        byte[] joined = java.util.Arrays.copyOf(input, input.length + bad.length + 16);
        System.arraycopy(bad, 0, joined, input.length, bad.length);
        input = joined;
      }
      TrackingAllocator alloc = new TrackingAllocator();
      EmbeddedChannel ch = new EmbeddedChannel();
      ch.config().setAllocator(alloc);
      YamuxMuxer muxer = YamuxMuxer.install(ch, false, CONFIG);
      installHandlers(r, muxer);
      List<ByteBuf> chunks = new ArrayList<>();
      // Feeding stops once the session closed the channel, as a socket would.
      for (int at = 0; at < input.length && ch.isOpen(); ) {
        int size = Math.min(input.length - at, 1 + r.nextInt(200));
        ByteBuf chunk = Unpooled.wrappedBuffer(input, at, size);
        chunks.add(chunk);
        at += size;
        assertDoesNotThrow(() -> ch.writeInbound(chunk), "case " + n);
      }
      ch.runPendingTasks();
      List<YamuxFrame> written = assertDoesNotThrow(() -> Wire.written(ch), "case " + n);
      boolean protocolError =
          written.stream()
              .anyMatch(
                  f ->
                      f.type() == FrameType.GO_AWAY
                          && f.length() == GoAwayCode.PROTOCOL_ERROR.code());
      // The only way this session closes is a protocol error, and then it says so.
      assertEquals(!ch.isOpen(), protocolError, "case " + n + ": closed iff GoAway(1) was sent");
      if (appendBad && !ch.isOpen()) {
        closed++;
      }
      stayedOpen += ch.isOpen() ? 1 : 0;
      dataDelivered += written.stream().anyMatch(f -> f.type() == FrameType.DATA) ? 1 : 0;
      assertTrue(!appendBad || !ch.isOpen(), "case " + n + ": a bad header must close");
      ch.finishAndReleaseAll();
      assertTrue(chunks.stream().allMatch(c -> c.refCnt() == 0), "case " + n + ": input leaked");
      assertEquals(0, alloc.unreleased(), "case " + n + ": buffers leaked");
      assertTrue(
          alloc.largest() <= Math.max(64, 2 * input.length),
          "case " + n + ": allocated " + alloc.largest() + " for " + input.length + " input bytes");
    }
    assertTrue(closed > CASES / 10, "bad headers were exercised: " + closed);
    // The generator must reach both outcomes, and streams must carry data (echoed back).
    assertTrue(stayedOpen > CASES / 10, "sessions that stayed open: " + stayedOpen);
    assertTrue(CASES - stayedOpen > CASES / 10, "sessions closed: " + (CASES - stayedOpen));
    assertTrue(dataDelivered > CASES / 50, "sessions that echoed data: " + dataDelivered);
  }

  @Test
  void declaredLengthIsCheckedBeforeAnyBodyIsBuffered() {
    TrackingAllocator alloc = new TrackingAllocator();
    EmbeddedChannel ch = new EmbeddedChannel();
    ch.config().setAllocator(alloc);
    YamuxMuxer.install(ch, false, CONFIG).onInboundStream(s -> {});
    ch.writeInbound(Wire.bytes(YamuxFrame.windowUpdate(1, Flags.SYN, 0)));
    // Within the window: waits for the body without sizing anything by the declared length.
    ch.writeInbound(
        Unpooled.wrappedBuffer(ByteBufUtil.decodeHexDump("00000000000000010003f000abcdef")));
    assertTrue(ch.isOpen());
    assertTrue(alloc.largest() < 1024, "largest allocation " + alloc.largest());
    // Four GiB declared: refused from the header alone.
    ch.writeInbound(Unpooled.wrappedBuffer(ByteBufUtil.decodeHexDump("0000000000000003ffffffff")));
    assertTrue(ch.isOpen(), "still inside the first frame's body");
    ByteBuf rest = Unpooled.buffer();
    rest.writeZero(0x3f000 - 3 - 12);
    ch.writeInbound(rest);
    assertTrue(ch.isOpen(), "the first frame completed within its window");
    ch.writeInbound(Unpooled.wrappedBuffer(ByteBufUtil.decodeHexDump("0000000000000005ffffffff")));
    assertFalse(ch.isOpen());
    assertTrue(alloc.largest() < 2 * 0x3f000, "largest allocation " + alloc.largest());
    ch.finishAndReleaseAll();
    assertEquals(0, alloc.unreleased());
  }
}
