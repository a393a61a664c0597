package io.layerproof.p2p.security.noise;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.southernstorm.noise.protocol.CipherState;
import com.southernstorm.noise.protocol.CipherStatePair;
import com.southernstorm.noise.protocol.HandshakeState;
import io.layerproof.p2p.identity.PeerKey;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The hand-written XX handshake and JDK cipher against noise-java, the reference implementation, in
 * both roles: the same messages are accepted, the payloads authenticate, and the split keys agree
 * (checked by moving transport messages both ways, each side's nonces counting in step).
 */
class NoiseReferenceTest {

  private static final PeerKey OURS = PeerKey.generate();
  private static final PeerKey THEIRS = PeerKey.generate();

  private static HandshakeState reference(int role) throws Exception {
    HandshakeState hs = new HandshakeState(NoiseHandshake.NOISE_PROTOCOL, role);
    hs.getLocalKeyPair().generateKeyPair();
    hs.start();
    return hs;
  }

  private static byte[] referencePayload(HandshakeState hs) {
    byte[] staticKey = new byte[32];
    hs.getLocalKeyPair().getPublicKey(staticKey, 0);
    return new NoisePayload(
            THEIRS.publicKey().toProtobuf(),
            THEIRS.sign(NoiseHandshakeTest.signed(staticKey)),
            List.of("/yamux/1.0.0"))
        .encode();
  }

  private static byte[] write(HandshakeState hs, byte[] payload) throws Exception {
    byte[] out = new byte[NoiseHandshake.MAX_MESSAGE];
    int n = hs.writeMessage(out, 0, payload, 0, payload.length);
    return Arrays.copyOf(out, n);
  }

  /** Reads a message and checks the payload it carries is our signed static key. */
  private static void readOurs(HandshakeState hs, byte[] message) throws Exception {
    byte[] payload = new byte[message.length];
    int n = hs.readMessage(message, 0, message.length, payload, 0);
    NoisePayload p = NoisePayload.decode(Arrays.copyOf(payload, n));
    byte[] staticKey = new byte[32];
    hs.getRemotePublicKey().getPublicKey(staticKey, 0);
    assertEquals(
        OURS.peerId(),
        io.layerproof.p2p.identity.PeerPublicKey.fromProtobuf(p.identityKey()).peerId());
    assertTrue(OURS.publicKey().verify(NoiseHandshakeTest.signed(staticKey), p.identitySig()));
  }

  @Test
  void ourInitiatorCompletesWithTheReferenceResponder() throws Exception {
    NoiseHandshake ours = new NoiseHandshake(true, OURS, Optional.of(THEIRS.peerId()));
    HandshakeState theirs = reference(HandshakeState.RESPONDER);
    byte[] m1 = ours.start().orElseThrow();
    assertEquals(32, m1.length);
    theirs.readMessage(m1, 0, m1.length, new byte[m1.length], 0);
    byte[] m2 = write(theirs, referencePayload(theirs));
    byte[] m3 = ours.receive(m2).orElseThrow();
    assertEquals(THEIRS.peerId(), ours.session().remotePeerId());
    readOurs(theirs, m3);
    assertEquals(HandshakeState.SPLIT, theirs.getAction());
    CipherStatePair pair = theirs.split();
    exchange(ours.ciphers(), pair.getSender(), pair.getReceiver());
  }

  @Test
  void ourResponderCompletesWithTheReferenceInitiator() throws Exception {
    NoiseHandshake ours = new NoiseHandshake(false, OURS, Optional.empty());
    HandshakeState theirs = reference(HandshakeState.INITIATOR);
    assertTrue(ours.start().isEmpty());
    byte[] m1 = write(theirs, new byte[0]);
    byte[] m2 = ours.receive(m1).orElseThrow();
    readOurs(theirs, m2);
    byte[] m3 = write(theirs, referencePayload(theirs));
    assertTrue(ours.receive(m3).isEmpty());
    assertTrue(ours.isComplete());
    assertEquals(THEIRS.peerId(), ours.session().remotePeerId());
    CipherStatePair pair = theirs.split();
    exchange(ours.ciphers(), pair.getSender(), pair.getReceiver());
  }

  /** Many messages each way, of many sizes, with the nonces advancing on both sides. */
  private static void exchange(
      NoiseHandshake.Ciphers ours, CipherState theirSender, CipherState theirReceiver)
      throws Exception {
    Random random = new Random(7);
    for (int i = 0; i < 300; i++) {
      byte[] plain = new byte[random.nextInt(NoiseTransportCodec.MAX_PLAINTEXT + 1)];
      random.nextBytes(plain);
      byte[] buf = Arrays.copyOf(plain, plain.length + NoiseCipher.TAG);
      int sealed = ours.sender().encrypt(null, buf, 0, plain.length);
      byte[] opened = new byte[sealed];
      int n = theirReceiver.decryptWithAd(null, buf, 0, opened, 0, sealed);
      assertArrayEquals(plain, Arrays.copyOf(opened, n), "ours -> reference, message " + i);

      byte[] back = new byte[plain.length + NoiseCipher.TAG];
      int sealedBack = theirSender.encryptWithAd(null, plain, 0, back, 0, plain.length);
      int m = ours.receiver().decrypt(null, back, 0, sealedBack);
      assertArrayEquals(plain, Arrays.copyOf(back, m), "reference -> ours, message " + i);
    }
    assertEquals(300, ours.sender().nonce());
    assertEquals(300, ours.receiver().nonce());
  }

  @Test
  void aTamperedMessage2Fails() throws Exception {
    for (int at : new int[] {0, 40, 70, 100}) {
      NoiseHandshake ours = new NoiseHandshake(true, OURS, Optional.empty());
      HandshakeState theirs = reference(HandshakeState.RESPONDER);
      byte[] m1 = ours.start().orElseThrow();
      theirs.readMessage(m1, 0, m1.length, new byte[m1.length], 0);
      byte[] m2 = write(theirs, referencePayload(theirs));
      m2[at] ^= 1;
      assertThrows(NoiseException.class, () -> ours.receive(m2), "flipped byte " + at);
    }
  }

  @Test
  void aLowOrderEphemeralKeyIsRefused() throws Exception {
    NoiseHandshake ours = new NoiseHandshake(false, OURS, Optional.empty());
    NoiseException e = assertThrows(NoiseException.class, () -> ours.receive(new byte[32]));
    assertTrue(e.getMessage().contains("low order"), e.getMessage());
  }

  @Test
  void messagesOutOfTurnAreRefused() throws Exception {
    NoiseHandshake initiator = new NoiseHandshake(true, OURS, Optional.empty());
    assertThrows(NoiseException.class, () -> initiator.receive(new byte[96]));
    NoiseHandshake responder = new NoiseHandshake(false, OURS, Optional.empty());
    HandshakeState theirs = reference(HandshakeState.INITIATOR);
    responder.receive(write(theirs, new byte[0]));
    assertThrows(NoiseException.class, () -> responder.receive(new byte[31]));
  }

  @Test
  void aCorruptTransportMessageFailsAuthentication() throws Exception {
    NoiseCipher sender = new NoiseCipher(new byte[32]);
    NoiseCipher receiver = new NoiseCipher(new byte[32]);
    byte[] buf = Arrays.copyOf("hello".getBytes(), 5 + NoiseCipher.TAG);
    int n = sender.encrypt(null, buf, 0, 5);
    buf[2] ^= 1;
    assertThrows(javax.crypto.AEADBadTagException.class, () -> receiver.decrypt(null, buf, 0, n));
  }
}
