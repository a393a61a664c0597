package io.layerproof.p2p.mux;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.From;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class YamuxFrameCodecTest {
  private static final int NO_LIMIT = Integer.MAX_VALUE;

  /** A frame as plain values, so jqwik can generate and compare it. */
  record Spec(FrameType type, int flags, int streamId, long length, byte[] payload) {
    YamuxFrame toFrame() {
      return type == FrameType.DATA
          ? YamuxFrame.data(streamId, flags, Unpooled.wrappedBuffer(payload))
          : new YamuxFrame(type, flags, streamId, length, null);
    }
  }

  @Provide
  Arbitrary<Spec> frames() {
    return Combinators.combine(
            Arbitraries.of(FrameType.class),
            Arbitraries.integers().between(0, 0xFFFF),
            Arbitraries.integers(),
            Arbitraries.longs().between(0, YamuxFrame.MAX_U32),
            Arbitraries.bytes().array(byte[].class).ofMaxSize(300))
        .as(
            (type, flags, id, length, payload) ->
                type == FrameType.DATA
                    ? new Spec(type, flags, id, payload.length, payload)
                    : new Spec(type, flags, id, length, new byte[0]));
  }

  @Property(tries = 500)
  void encodeThenDecodeGivesTheSameFrames(
      @ForAll @Size(max = 20) List<@From("frames") Spec> specs, @ForAll("chunkSizes") int chunk) {
    ByteBuf wire = Unpooled.buffer();
    for (Spec spec : specs) {
      YamuxFrame frame = spec.toFrame();
      wire.writeBytes(YamuxCodec.encode(ByteBufAllocator.DEFAULT, frame));
      frame.release();
    }
    List<YamuxFrame> decoded = decode(wire, chunk);
    assertEquals(specs.size(), decoded.size());
    for (int i = 0; i < specs.size(); i++) {
      Spec spec = specs.get(i);
      YamuxFrame got = decoded.get(i);
      assertEquals(spec.type(), got.type());
      assertEquals(spec.flags(), got.flags());
      assertEquals(spec.streamId(), got.streamId());
      assertEquals(spec.length(), got.length());
      if (spec.type() == FrameType.DATA) {
        assertArrayEquals(spec.payload(), ByteBufUtil.getBytes(got.data()));
      } else {
        assertNull(got.data());
      }
      got.release();
    }
  }

  @Provide
  Arbitrary<Integer> chunkSizes() {
    return Arbitraries.integers().between(1, 64);
  }

  /** Feeds the bytes in chunks of {@code chunk}, as TCP may split them anywhere. */
  private static List<YamuxFrame> decode(ByteBuf wire, int chunk) {
    EmbeddedChannel ch = new EmbeddedChannel(new YamuxFrameDecoder(id -> NO_LIMIT));
    while (wire.isReadable()) {
      ch.writeInbound(wire.readRetainedSlice(Math.min(chunk, wire.readableBytes())));
    }
    wire.release();
    List<YamuxFrame> out = new ArrayList<>();
    for (Object msg; (msg = ch.readInbound()) != null; ) {
      out.add((YamuxFrame) msg);
    }
    assertFalse(ch.finish());
    return out;
  }

  private static String hex(YamuxFrame frame) {
    ByteBuf buf = YamuxCodec.encode(ByteBufAllocator.DEFAULT, frame);
    try {
      return ByteBufUtil.hexDump(buf);
    } finally {
      buf.release();
      frame.release();
    }
  }

  // Golden bytes written by hand from the spec's header layout:
  // version(1) type(1) flags(2) stream id(4) length(4), big-endian.

  @Test
  void dataFrameWithSynAndPayload() {
    ByteBuf hi = Unpooled.copiedBuffer("hi", StandardCharsets.US_ASCII);
    assertEquals(
        "00" + "00" + "0001" + "00000001" + "00000002" + "6869",
        hex(YamuxFrame.data(1, Flags.SYN, hi)));
  }

  @Test
  void windowUpdateAckGrantsDelta() {
    assertEquals(
        "00" + "01" + "0002" + "00000002" + "00040000",
        hex(YamuxFrame.windowUpdate(2, Flags.ACK, 256 * 1024)));
  }

  @Test
  void finAndRstTravelOnWindowUpdates() {
    assertEquals(
        "00" + "01" + "0004" + "00000003" + "00000000",
        hex(YamuxFrame.windowUpdate(3, Flags.FIN, 0)));
    assertEquals(
        "00" + "01" + "0008" + "fffffffe" + "00000000",
        hex(YamuxFrame.windowUpdate(0xFFFFFFFE, Flags.RST, 0)));
  }

  @Test
  void pingSynAndAckCarryTheOpaqueValue() {
    assertEquals(
        "00" + "02" + "0001" + "00000000" + "01020304",
        hex(YamuxFrame.ping(Flags.SYN, 0x01020304L)));
    assertEquals(
        "00" + "02" + "0002" + "00000000" + "ffffffff",
        hex(YamuxFrame.ping(Flags.ACK, 0xFFFFFFFFL)));
  }

  @Test
  void goAwayCarriesTheErrorCode() {
    assertEquals(
        "00" + "03" + "0000" + "00000000" + "00000000", hex(YamuxFrame.goAway(GoAwayCode.NORMAL)));
    assertEquals(
        "00" + "03" + "0000" + "00000000" + "00000001",
        hex(YamuxFrame.goAway(GoAwayCode.PROTOCOL_ERROR)));
    assertEquals(
        "00" + "03" + "0000" + "00000000" + "00000002",
        hex(YamuxFrame.goAway(GoAwayCode.INTERNAL_ERROR)));
  }

  @Test
  void decodesGoldenBytes() {
    ByteBuf wire =
        Unpooled.wrappedBuffer(
            ByteBufUtil.decodeHexDump("0000000500000007000000036162630002000200000000deadbeef"));
    List<YamuxFrame> frames = decode(wire, 5);
    assertEquals(2, frames.size());
    YamuxFrame data = frames.get(0);
    assertEquals(FrameType.DATA, data.type());
    assertTrue(data.hasFlag(Flags.SYN) && data.hasFlag(Flags.FIN));
    assertEquals(7, data.streamId());
    assertEquals("abc", data.data().toString(StandardCharsets.US_ASCII));
    data.release();
    YamuxFrame ping = frames.get(1);
    assertEquals(FrameType.PING, ping.type());
    assertEquals(Flags.ACK, ping.flags());
    assertEquals(0xDEADBEEFL, ping.length());
  }

  @Test
  void rejectsUnknownVersionTypeAndOversizedData() {
    for (String bad :
        List.of(
            "010000000000000100000000", // version 1
            "000400000000000100000000", // type 4
            "0000000000000001ffffffff")) { // 4 GiB of data against a 1 KiB limit
      EmbeddedChannel ch = new EmbeddedChannel(new YamuxFrameDecoder(id -> 1024));
      ByteBuf in = Unpooled.wrappedBuffer(ByteBufUtil.decodeHexDump(bad));
      DecoderException e = assertThrows(DecoderException.class, () -> ch.writeInbound(in));
      assertTrue(e instanceof YamuxProtocolException, bad);
      // Once failed, the decoder drops input instead of parsing garbage.
      ch.writeInbound(
          Unpooled.wrappedBuffer(ByteBufUtil.decodeHexDump("000200010000000000000001")));
      assertNull(ch.readInbound());
      ch.finishAndReleaseAll();
    }
  }

  @Test
  void frameRecordChecksItsFields() {
    assertThrows(IllegalArgumentException.class, () -> YamuxFrame.windowUpdate(1, 0, -1));
    assertThrows(IllegalArgumentException.class, () -> YamuxFrame.windowUpdate(1, 0x10000, 0));
    assertThrows(
        IllegalArgumentException.class,
        () -> new YamuxFrame(FrameType.PING, 0, 0, 0, Unpooled.EMPTY_BUFFER));
  }
}
