package io.layerproof.p2p.pubsub;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.layerproof.p2p.identity.Varint;
import io.layerproof.p2p.pubsub.ControlMessage.Graft;
import io.layerproof.p2p.pubsub.ControlMessage.IHave;
import io.layerproof.p2p.pubsub.ControlMessage.Prune;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

class RpcCodecTest {

  private static final HexFormat HEX = HexFormat.of();
  private final RpcCodec codec = new RpcCodec();

  /**
   * Derived by hand from the field numbers (tag = field << 3 | wire type 2 or 0):
   *
   * <pre>
   * 0a 05                      RPC.subscriptions (1), 5 bytes
   *   08 01                      SubOpts.subscribe (1) = true
   *   12 01 74                   SubOpts.topicid (2) = "t"
   * 12 15                      RPC.publish (2), 21 bytes
   *   0a 02 01 02                Message.from (1)
   *   12 02 68 69                Message.data (2) = "hi"
   *   1a 08 00..01               Message.seqno (3) = 1, 8 bytes big-endian
   *   22 01 74                   Message.topic (4) = "t"
   * 1a 14                      RPC.control (3), 20 bytes
   *   0a 06 0a 01 74 12 01 61    ihave (1) {topicID "t", messageIDs ["a"]}
   *   1a 03 0a 01 74             graft (3) {topicID "t"}
   *   22 05 0a 01 74 18 3c       prune (4) {topicID "t", backoff (3, varint) = 60}
   * </pre>
   */
  static final String GOLDEN =
      "0a05080112017412150a02010212026869"
          + "1a080000000000000001220174"
          + "1a140a060a01741201611a030a017422050a0174183c";

  static Rpc goldenRpc() {
    PubsubMessage m =
        new PubsubMessage(
            ByteString.copyFrom(new byte[] {1, 2}),
            ByteString.copyFromUtf8("hi"),
            ByteString.copyFrom(new byte[] {0, 0, 0, 0, 0, 0, 0, 1}),
            "t",
            null,
            null);
    ControlMessage c =
        new ControlMessage(
            List.of(new IHave("t", List.of(ByteString.copyFromUtf8("a")))),
            List.of(),
            List.of(new Graft("t")),
            List.of(new Prune("t", List.of(), 60)),
            List.of());
    return new Rpc(List.of(new Rpc.SubOpts(true, "t")), List.of(m), c);
  }

  @Test
  void goldenVectorEncodesAndDecodes() {
    assertEquals(GOLDEN, HEX.formatHex(codec.encode(goldenRpc())));
    assertEquals(goldenRpc(), codec.decode(HEX.parseHex(GOLDEN)));
    // 7 + 2 + 21 + 2 + 20 = 52 = 0x34 bytes behind the varint length.
    byte[] framed = codec.encodeFramed(goldenRpc());
    assertEquals("34" + GOLDEN, HEX.formatHex(framed));
  }

  @Property(tries = 300)
  void roundTrips(@ForAll long seed) {
    Rpc rpc = RpcSamples.random(new Random(seed));
    byte[] wire = codec.encode(rpc);
    assertEquals(rpc, codec.decode(wire));
    assertArrayEquals(wire, codec.encode(codec.decode(wire)));
  }

  @Property(tries = 100)
  void framesSurviveAnyChunking(@ForAll long seed) {
    Random r = new Random(seed);
    List<Rpc> rpcs = List.of(RpcSamples.random(r), RpcSamples.random(r), Rpc.EMPTY);
    ByteArrayOutputStream stream = new ByteArrayOutputStream();
    rpcs.forEach(x -> stream.writeBytes(codec.encodeFramed(x)));
    byte[] all = stream.toByteArray();
    RpcFrameDecoder decoder = new RpcFrameDecoder(codec);
    List<Rpc> got = new java.util.ArrayList<>();
    for (int pos = 0; pos < all.length; ) {
      int n = Math.min(all.length - pos, 1 + r.nextInt(17));
      got.addAll(decoder.feed(all, pos, n));
      pos += n;
    }
    assertEquals(rpcs, got);
    assertEquals(0, decoder.buffered());
  }

  @Test
  void unknownFieldsAreSkippedUpToALimit() {
    byte[] golden = HEX.parseHex(GOLDEN);
    // field 15 varint, field 14 fixed64, field 13 length-delimited: skipped.
    byte[] extra = HEX.parseHex("7801" + "710000000000000000" + "6a03616263");
    byte[] withUnknown = concat(golden, extra);
    assertEquals(goldenRpc(), codec.decode(withUnknown));
    RpcCodec strict = new RpcCodec(limits(1 << 20, 2));
    assertThrows(MalformedRpcException.class, () -> strict.decode(withUnknown));
  }

  @Test
  void schemaViolationsAreRefused() {
    // wrong wire type for subscriptions, a group, repeated singular field, invalid UTF-8 topic.
    for (String hex :
        List.of(
            "0801", "0b0c", "12060a01010a0102", "0a03120180", "0a05080112", "ff", "0affffffff0f")) {
      assertThrows(MalformedRpcException.class, () -> codec.decode(HEX.parseHex(hex)), hex);
    }
  }

  @Test
  void countLimitsAreEnforced() {
    RpcCodec small = new RpcCodec(new RpcLimits(1 << 20, 2, 2, 2, 3, 1, 16, 4));
    Rpc threeSubs =
        Rpc.ofSubscriptions(
            List.of(
                new Rpc.SubOpts(true, "a"),
                new Rpc.SubOpts(true, "b"),
                new Rpc.SubOpts(true, "c")));
    assertThrows(MalformedRpcException.class, () -> small.decode(codec.encode(threeSubs)));
    Rpc manyIds =
        Rpc.ofControl(
            new ControlMessage(
                List.of(
                    new IHave(
                        "a",
                        List.of(
                            ByteString.copyFromUtf8("1"),
                            ByteString.copyFromUtf8("2"),
                            ByteString.copyFromUtf8("3"),
                            ByteString.copyFromUtf8("4")))),
                List.of(),
                List.of(),
                List.of(),
                List.of()));
    assertThrows(MalformedRpcException.class, () -> small.decode(codec.encode(manyIds)));
    Rpc longTopic = Rpc.ofSubscriptions(List.of(new Rpc.SubOpts(true, "x".repeat(17))));
    assertThrows(MalformedRpcException.class, () -> small.decode(codec.encode(longTopic)));
  }

  @Test
  void oversizedInputIsRefusedBeforeBuffering() {
    RpcCodec small = new RpcCodec(limits(100, 64));
    assertThrows(MalformedRpcException.class, () -> small.decode(new byte[101]));
    RpcFrameDecoder decoder = new RpcFrameDecoder(small);
    // A prefix announcing 2^30 bytes: refused on its own, nothing allocated for the body.
    byte[] prefix = Varint.encode(1L << 30);
    assertThrows(MalformedRpcException.class, () -> decoder.feed(prefix));
    assertEquals(0, decoder.buffered());
    assertThrows(MalformedRpcException.class, () -> decoder.feed(new byte[] {0}));
    // 101 announced: refused after the first prefix byte that exceeds the limit.
    RpcFrameDecoder d2 = new RpcFrameDecoder(small);
    assertThrows(MalformedRpcException.class, () -> d2.feed(Varint.encode(101)));
    // A non-minimal prefix and an endless one.
    assertThrows(
        MalformedRpcException.class,
        () -> new RpcFrameDecoder(small).feed(new byte[] {(byte) 0x80, 0}));
    assertThrows(
        MalformedRpcException.class,
        () ->
            new RpcFrameDecoder(codec)
                .feed(
                    new byte[] {(byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80}));
  }

  @Test
  void everyTruncationIsRefusedOrIsAShorterValidRpc() {
    Random r = new Random(7);
    for (int k = 0; k < 50; k++) {
      byte[] wire = codec.encode(RpcSamples.random(r));
      for (int len = 0; len < wire.length; len++) {
        byte[] cut = Arrays.copyOf(wire, len);
        try {
          // Only a cut on a top-level field boundary decodes, and then re-encodes to itself.
          assertArrayEquals(cut, codec.encode(codec.decode(cut)));
        } catch (MalformedRpcException expected) {
          // refused
        }
      }
    }
  }

  @Test
  void seededFuzzOnlyEverRejectsWithTheCodecsOwnException() {
    Random r = new Random(20261121);
    RpcCodec bounded = new RpcCodec(limits(4096, 64));
    int rejected = 0;
    for (int i = 0; i < 2000; i++) {
      byte[] wire = codec.encode(RpcSamples.random(r));
      byte[] m = mutate(r, wire);
      try {
        Rpc decoded = bounded.decode(m);
        // Whatever decodes must be re-encodable and no larger than the input allows.
        assertTrue(codec.encode(decoded).length <= Math.max(m.length, 1) * 2);
      } catch (MalformedRpcException e) {
        rejected++;
      }
      RpcFrameDecoder frames = new RpcFrameDecoder(bounded);
      try {
        frames.feed(m);
      } catch (MalformedRpcException e) {
        rejected++;
      }
      assertTrue(frames.buffered() <= 4096);
    }
    assertTrue(rejected > 0);
  }

  private static byte[] mutate(Random r, byte[] wire) {
    byte[] m = wire.length == 0 ? new byte[] {(byte) r.nextInt()} : wire.clone();
    switch (r.nextInt(5)) {
      case 0 -> {
        for (int i = 1 + r.nextInt(4); i > 0; i--) {
          m[r.nextInt(m.length)] ^= (byte) (1 << r.nextInt(8));
        }
      }
      case 1 -> m[r.nextInt(m.length)] = (byte) r.nextInt();
      case 2 -> m = Arrays.copyOf(m, r.nextInt(m.length + 1));
      case 3 -> {
        byte[] junk = new byte[1 + r.nextInt(16)];
        r.nextBytes(junk);
        int at = r.nextInt(m.length + 1);
        m = concat(concat(Arrays.copyOf(m, at), junk), Arrays.copyOfRange(m, at, m.length));
      }
      default -> {
        m = new byte[r.nextInt(64)];
        r.nextBytes(m);
      }
    }
    return m;
  }

  private static RpcLimits limits(int size, int unknown) {
    RpcLimits d = RpcLimits.DEFAULT;
    return new RpcLimits(
        size,
        d.maxSubscriptions(),
        d.maxMessages(),
        d.maxControlEntries(),
        d.maxMessageIds(),
        d.maxPeerInfos(),
        d.maxTopicLength(),
        unknown);
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
