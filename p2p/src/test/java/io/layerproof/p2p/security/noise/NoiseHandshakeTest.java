package io.layerproof.p2p.security.noise;

import static io.layerproof.p2p.testing.EmbeddedWire.pump;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.southernstorm.noise.protocol.HandshakeState;
import io.layerproof.p2p.identity.PeerId;
import io.layerproof.p2p.identity.PeerKey;
import io.layerproof.p2p.testing.EmbeddedWire.Collector;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The libp2p Noise handshake between two handlers on EmbeddedChannels, and its refusals. */
class NoiseHandshakeTest {

  private static final Duration TIMEOUT = NoiseHandshakeHandler.DEFAULT_TIMEOUT;
  private static final PeerKey ALICE = PeerKey.generate();
  private static final PeerKey BOB = PeerKey.generate();

  static NoiseHandshakeHandler.NextStage collectInto(Collector c) {
    return (ctx, session) -> ctx.pipeline().addAfter(ctx.name(), "app", c);
  }

  @Test
  void payloadRoundTrips() {
    NoisePayload p = new NoisePayload(new byte[] {1, 2}, new byte[64], List.of("/yamux/1.0.0"));
    assertEquals(p, NoisePayload.decode(p.encode()));
    NoisePayload none = new NoisePayload(new byte[36], new byte[64], List.of());
    assertEquals(none, NoisePayload.decode(none.encode()));
    // An unknown field (the legacy data = 3) is skipped.
    byte[] withData = Arrays.copyOf(none.encode(), none.encode().length + 3);
    withData[withData.length - 3] = 26;
    withData[withData.length - 2] = 1;
    assertEquals(none, NoisePayload.decode(withData));
  }

  @Test
  void payloadDecodingIsBounded() {
    assertThrows(IllegalArgumentException.class, () -> NoisePayload.decode(new byte[] {10}));
    assertThrows(IllegalArgumentException.class, () -> NoisePayload.decode(new byte[] {10, 0}));
    byte[] twice = {10, 0, 10, 0, 18, 0};
    assertThrows(IllegalArgumentException.class, () -> NoisePayload.decode(twice));
    byte[] huge = new NoisePayload(new byte[2000], new byte[64], List.of()).encode();
    assertThrows(IllegalArgumentException.class, () -> NoisePayload.decode(huge));
    byte[] lying = {10, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x7f};
    assertThrows(IllegalArgumentException.class, () -> NoisePayload.decode(lying));
  }

  @Test
  void handshakeAuthenticatesBothSidesAndCarriesData() throws Exception {
    Collector aliceApp = new Collector();
    Collector bobApp = new Collector();
    NoiseHandshakeHandler a =
        NoiseHandshakeHandler.initiator(
            ALICE, Optional.of(BOB.peerId()), TIMEOUT, collectInto(aliceApp));
    NoiseHandshakeHandler b = NoiseHandshakeHandler.responder(BOB, TIMEOUT, collectInto(bobApp));
    EmbeddedChannel ac = new EmbeddedChannel(a);
    EmbeddedChannel bc = new EmbeddedChannel(b);
    pump(ac, bc);
    assertEquals(BOB.peerId(), a.result().get().remotePeerId());
    assertEquals(BOB.publicKey(), a.result().get().remotePublicKey());
    assertEquals(ALICE.peerId(), b.result().get().remotePeerId());

    byte[] big = new byte[200_000]; // several frames
    new Random(1).nextBytes(big);
    ac.writeOutbound(Unpooled.wrappedBuffer(big));
    bc.writeOutbound(Unpooled.wrappedBuffer(new byte[] {9, 8, 7}));
    pump(ac, bc);
    assertArrayEquals(big, bobApp.bytes.toByteArray());
    assertArrayEquals(new byte[] {9, 8, 7}, aliceApp.bytes.toByteArray());
  }

  @Test
  void dialingTheWrongPeerFails() {
    NoiseHandshakeHandler a =
        NoiseHandshakeHandler.initiator(
            ALICE, Optional.of(PeerKey.generate().peerId()), TIMEOUT, (c, s) -> {});
    NoiseHandshakeHandler b = NoiseHandshakeHandler.responder(BOB, TIMEOUT, (c, s) -> {});
    EmbeddedChannel ac = new EmbeddedChannel(a);
    EmbeddedChannel bc = new EmbeddedChannel(b);
    pump(ac, bc);
    ExecutionException e = assertThrows(ExecutionException.class, () -> a.result().get());
    assertTrue(e.getCause().getMessage().contains("peer id mismatch"), e.getCause().getMessage());
    assertFalse(ac.isOpen());
  }

  /** A responder written against noise-java directly, sending whatever payload it is given. */
  private static NoiseException dialForgedResponder(PayloadForger forger) throws Exception {
    NoiseHandshakeHandler a =
        NoiseHandshakeHandler.initiator(ALICE, Optional.empty(), TIMEOUT, (c, s) -> {});
    EmbeddedChannel ac = new EmbeddedChannel(a);
    ByteBuf m1 = ac.readOutbound();
    byte[] msg1 = ByteBufUtil.getBytes(m1, 2, m1.readableBytes() - 2);
    m1.release();
    HandshakeState hs = new HandshakeState(NoiseHandshake.NOISE_PROTOCOL, HandshakeState.RESPONDER);
    hs.getLocalKeyPair().generateKeyPair();
    hs.start();
    hs.readMessage(msg1, 0, msg1.length, new byte[msg1.length], 0);
    byte[] staticKey = new byte[32];
    hs.getLocalKeyPair().getPublicKey(staticKey, 0);
    byte[] payload = forger.payload(staticKey);
    byte[] out = new byte[65535];
    int n = hs.writeMessage(out, 0, payload, 0, payload.length);
    ac.writeInbound(Unpooled.buffer().writeShort(n).writeBytes(out, 0, n));
    assertFalse(ac.isOpen());
    ExecutionException e = assertThrows(ExecutionException.class, () -> a.result().get());
    return (NoiseException) e.getCause();
  }

  interface PayloadForger {
    byte[] payload(byte[] staticKey);
  }

  static byte[] signed(byte[] staticKey) {
    byte[] d = Arrays.copyOf(NoiseHandshake.SIGNATURE_PREFIX, 24 + staticKey.length);
    System.arraycopy(staticKey, 0, d, 24, staticKey.length);
    return d;
  }

  @Test
  void aForgedResponderIsAcceptedOnlyWhenHonest() throws Exception {
    // Sanity check of the forger itself: an honest payload passes.
    NoiseHandshakeHandler a =
        NoiseHandshakeHandler.initiator(ALICE, Optional.empty(), TIMEOUT, (c, s) -> {});
    EmbeddedChannel ac = new EmbeddedChannel(a);
    ByteBuf m1 = ac.readOutbound();
    byte[] msg1 = ByteBufUtil.getBytes(m1, 2, m1.readableBytes() - 2);
    m1.release();
    HandshakeState hs = new HandshakeState(NoiseHandshake.NOISE_PROTOCOL, HandshakeState.RESPONDER);
    hs.getLocalKeyPair().generateKeyPair();
    hs.start();
    hs.readMessage(msg1, 0, msg1.length, new byte[msg1.length], 0);
    byte[] sk = new byte[32];
    hs.getLocalKeyPair().getPublicKey(sk, 0);
    byte[] payload =
        new NoisePayload(BOB.publicKey().toProtobuf(), BOB.sign(signed(sk)), List.of()).encode();
    byte[] out = new byte[65535];
    int n = hs.writeMessage(out, 0, payload, 0, payload.length);
    ac.writeInbound(Unpooled.buffer().writeShort(n).writeBytes(out, 0, n));
    assertEquals(BOB.peerId(), a.result().get().remotePeerId());
  }

  @Test
  void aBadIdentitySignatureFails() throws Exception {
    NoiseException e =
        dialForgedResponder(
            sk -> {
              byte[] wrong = sk.clone();
              wrong[0] ^= 1; // signs a different static key
              return new NoisePayload(
                      BOB.publicKey().toProtobuf(), BOB.sign(signed(wrong)), List.of())
                  .encode();
            });
    assertTrue(e.getMessage().contains("signature"), e.getMessage());
  }

  @Test
  void aKeyThatDidNotSignFails() throws Exception {
    NoiseException e =
        dialForgedResponder(
            sk ->
                new NoisePayload(BOB.publicKey().toProtobuf(), ALICE.sign(signed(sk)), List.of())
                    .encode());
    assertTrue(e.getMessage().contains("signature"), e.getMessage());
  }

  @Test
  void aMalformedPayloadFails() throws Exception {
    NoiseException e = dialForgedResponder(sk -> new byte[] {10, 5, 1});
    assertTrue(e.getMessage().contains("payload"), e.getMessage());
  }

  @Test
  void anOversizeHandshakeFrameFails() {
    NoiseHandshakeHandler b = NoiseHandshakeHandler.responder(BOB, TIMEOUT, (c, s) -> {});
    EmbeddedChannel bc = new EmbeddedChannel(b);
    bc.writeInbound(Unpooled.wrappedBuffer(new byte[] {(byte) 0xff, (byte) 0xff, 1, 2, 3}));
    assertTrue(b.result().isCompletedExceptionally());
    assertFalse(bc.isOpen());
  }

  @Test
  void aTruncatedHandshakeFrameFails() {
    NoiseHandshakeHandler b = NoiseHandshakeHandler.responder(BOB, TIMEOUT, (c, s) -> {});
    EmbeddedChannel bc = new EmbeddedChannel(b);
    bc.writeInbound(Unpooled.wrappedBuffer(new byte[] {0, 32, 1, 2, 3}));
    assertFalse(b.result().isDone());
    bc.close();
    assertTrue(b.result().isCompletedExceptionally());
    // And a frame too short to hold an ephemeral key fails at once.
    NoiseHandshakeHandler b2 = NoiseHandshakeHandler.responder(BOB, TIMEOUT, (c, s) -> {});
    EmbeddedChannel bc2 = new EmbeddedChannel(b2);
    bc2.writeInbound(Unpooled.wrappedBuffer(new byte[] {0, 3, 1, 2, 3}));
    assertTrue(b2.result().isCompletedExceptionally());
    assertFalse(bc2.isOpen());
  }

  @Test
  void aCorruptTransportFrameClosesTheChannel() throws Exception {
    Collector bobApp = new Collector();
    NoiseHandshakeHandler a =
        NoiseHandshakeHandler.initiator(ALICE, Optional.empty(), TIMEOUT, (c, s) -> {});
    NoiseHandshakeHandler b = NoiseHandshakeHandler.responder(BOB, TIMEOUT, collectInto(bobApp));
    EmbeddedChannel ac = new EmbeddedChannel(a);
    EmbeddedChannel bc = new EmbeddedChannel(b);
    pump(ac, bc);
    b.result().get();
    ac.writeOutbound(Unpooled.wrappedBuffer(new byte[] {1, 2, 3}));
    ByteBuf frame = ac.readOutbound();
    frame.setByte(4, frame.getByte(4) ^ 1);
    bc.writeInbound(frame);
    assertFalse(bc.isOpen());
    assertEquals(0, bobApp.bytes.size());
    bc.checkException();
  }

  @Test
  void timesOut() {
    NoiseHandshakeHandler b = NoiseHandshakeHandler.responder(BOB, TIMEOUT, (c, s) -> {});
    EmbeddedChannel bc = new EmbeddedChannel(b);
    bc.advanceTimeBy(TIMEOUT.toMillis() + 1, TimeUnit.MILLISECONDS);
    bc.runScheduledPendingTasks();
    assertTrue(b.result().isCompletedExceptionally());
    assertFalse(bc.isOpen());
  }

  @Test
  void fuzzRandomBytesIntoTheResponder() {
    Random random = new Random(11);
    for (int i = 0; i < 1000; i++) {
      byte[] junk = new byte[random.nextInt(300)];
      random.nextBytes(junk);
      if (random.nextBoolean() && junk.length >= 2) {
        // Mostly plausible lengths, so the handshake code itself is reached.
        junk[0] = 0;
        junk[1] = (byte) (junk.length - 2);
      }
      fuzzOne(junk, random);
    }
  }

  @Test
  void fuzzMutatedHandshakesIntoTheResponder() {
    Random random = new Random(12);
    List<byte[]> transcripts = new java.util.ArrayList<>();
    for (int i = 0; i < 20; i++) {
      transcripts.add(initiatorTranscript());
    }
    for (int i = 0; i < 1000; i++) {
      byte[] m = transcripts.get(random.nextInt(transcripts.size())).clone();
      int flips = random.nextInt(4);
      for (int f = 0; f < flips; f++) {
        m[random.nextInt(m.length)] = (byte) random.nextInt(256);
      }
      if (random.nextBoolean()) {
        m = Arrays.copyOf(m, random.nextInt(m.length + 1));
      }
      fuzzOne(m, random);
    }
  }

  /** A real first message, then the third message of an initiator that met another responder. */
  private static byte[] initiatorTranscript() {
    NoiseHandshakeHandler a =
        NoiseHandshakeHandler.initiator(ALICE, Optional.empty(), TIMEOUT, (c, s) -> {});
    NoiseHandshakeHandler other = NoiseHandshakeHandler.responder(BOB, TIMEOUT, (c, s) -> {});
    EmbeddedChannel ac = new EmbeddedChannel(a);
    EmbeddedChannel oc = new EmbeddedChannel(other);
    ByteArrayOutputStream transcript = new ByteArrayOutputStream();
    ByteBuf m1 = ac.readOutbound();
    transcript.writeBytes(ByteBufUtil.getBytes(m1));
    oc.writeInbound(m1);
    ac.writeInbound((ByteBuf) oc.readOutbound());
    ByteBuf m3 = ac.readOutbound();
    transcript.writeBytes(ByteBufUtil.getBytes(m3));
    m3.release();
    ac.finishAndReleaseAll();
    oc.finishAndReleaseAll();
    return transcript.toByteArray();
  }

  private static void fuzzOne(byte[] input, Random random) {
    NoiseHandshakeHandler b = NoiseHandshakeHandler.responder(BOB, TIMEOUT, (c, s) -> {});
    EmbeddedChannel bc = new EmbeddedChannel(b);
    int pos = 0;
    while (pos < input.length && bc.isOpen()) {
      int n = Math.min(input.length - pos, 1 + random.nextInt(100));
      bc.writeInbound(Unpooled.wrappedBuffer(input, pos, n));
      pos += n;
    }
    bc.advanceTimeBy(TIMEOUT.toMillis() + 1, TimeUnit.MILLISECONDS);
    bc.runScheduledPendingTasks();
    bc.checkException();
    assertTrue(b.result().isCompletedExceptionally(), "never authenticates forged input");
    assertFalse(bc.isOpen());
    bc.finishAndReleaseAll();
  }

  @Test
  void peerIdsAreDerivedFromTheIdentityKey() throws Exception {
    NoiseHandshake i = new NoiseHandshake(true, ALICE, Optional.of(BOB.peerId()));
    NoiseHandshake r = new NoiseHandshake(false, BOB, Optional.empty());
    byte[] m1 = i.start().orElseThrow();
    assertTrue(r.start().isEmpty());
    byte[] m2 = r.receive(m1).orElseThrow();
    byte[] m3 = i.receive(m2).orElseThrow();
    assertTrue(i.isComplete());
    assertTrue(r.receive(m3).isEmpty());
    assertTrue(r.isComplete());
    PeerId alice = r.session().remotePeerId();
    assertEquals(ALICE.peerId(), alice);
    assertEquals(32, m1.length); // e only, empty payload
  }
}
