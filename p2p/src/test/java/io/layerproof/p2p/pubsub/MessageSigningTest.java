package io.layerproof.p2p.pubsub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.layerproof.p2p.identity.PeerKey;
import io.layerproof.p2p.pubsub.MessageSigning.Check;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class MessageSigningTest {

  private final PeerKey alice = PeerKey.ofSeed(new byte[32]);
  private final PeerKey bob = PeerKey.ofSeed(filled(7));
  private final byte[] seqno = new SeqnoGenerator(42).next();
  private final PubsubMessage signed =
      MessageSigning.sign(alice, "jobs", "hello".getBytes(StandardCharsets.UTF_8), seqno);

  @Test
  void signedHereVerifiesAndSurvivesTheWire() {
    assertEquals(Check.VALID, MessageSigning.verify(signed));
    assertNull(signed.key(), "an Ed25519 peer id inlines the key: key is omitted");
    assertEquals("000000000000002a", HexFormat.of().formatHex(signed.seqno().toByteArray()));
    RpcCodec codec = new RpcCodec();
    PubsubMessage back =
        codec.decode(codec.encode(Rpc.ofMessages(java.util.List.of(signed)))).messages().get(0);
    assertEquals(Check.VALID, MessageSigning.verify(back));
    assertEquals(
        MessageIdFunction.FROM_AND_SEQNO.apply(signed),
        ByteString.copyFrom(alice.peerId().toBytes()).concat(ByteString.copyFrom(seqno)));
  }

  @Test
  void jsMessageIdsAreTheKeyProtobufAndSeqno() {
    ByteString js = MessageIdFunction.JS_LIBP2P.apply(signed);
    assertEquals(
        ByteString.copyFrom(alice.publicKey().toProtobuf()).concat(ByteString.copyFrom(seqno)), js);
    // For Ed25519 it is from || seqno without the identity multihash header (00 24).
    assertEquals(MessageIdFunction.FROM_AND_SEQNO.apply(signed).substring(2), js);
    // Same id whether the key travels in the key field or only inside from.
    PubsubMessage withKey =
        signed.withSignature(
            signed.signature(), ByteString.copyFrom(alice.publicKey().toProtobuf()));
    assertEquals(js, MessageIdFunction.JS_LIBP2P.apply(withKey));
  }

  @Test
  void signatureCoversThePrefixedProtobufWithoutSignatureAndKey() {
    byte[] expected =
        concat(
            "libp2p-pubsub:".getBytes(StandardCharsets.US_ASCII),
            RpcCodec.encodeMessage(signed.unsigned()));
    assertTrue(alice.publicKey().verify(expected, signed.signature().toByteArray()));
  }

  @Test
  void tamperingAnyFieldFails() {
    ByteString other = ByteString.copyFromUtf8("x");
    assertEquals(Check.BAD_SIGNATURE, MessageSigning.verify(with(signed, 2, other)));
    assertEquals(
        Check.BAD_SIGNATURE,
        MessageSigning.verify(with(signed, 3, ByteString.copyFrom(new SeqnoGenerator(43).next()))));
    assertEquals(
        Check.BAD_SIGNATURE,
        MessageSigning.verify(
            new PubsubMessage(
                signed.from(), signed.data(), signed.seqno(), "other", signed.signature(), null)));
    byte[] sig = signed.signature().toByteArray();
    sig[5] ^= 1;
    assertEquals(
        Check.BAD_SIGNATURE, MessageSigning.verify(with(signed, 5, ByteString.copyFrom(sig))));
    // Dropping the data field changes the signed bytes too (presence matters).
    assertEquals(Check.BAD_SIGNATURE, MessageSigning.verify(with(signed, 2, null)));
  }

  @Test
  void fromMustMatchTheSigningKey() {
    // Bob re-labels Alice's signed message as his own.
    PubsubMessage stolen = with(signed, 1, ByteString.copyFrom(bob.peerId().toBytes()));
    assertEquals(Check.BAD_SIGNATURE, MessageSigning.verify(stolen));
    // A key field that does not match from.
    PubsubMessage wrongKey =
        signed.withSignature(signed.signature(), ByteString.copyFrom(bob.publicKey().toProtobuf()));
    assertEquals(Check.BAD_KEY, MessageSigning.verify(wrongKey));
    // A matching key field is accepted.
    PubsubMessage rightKey =
        signed.withSignature(
            signed.signature(), ByteString.copyFrom(alice.publicKey().toProtobuf()));
    assertEquals(Check.VALID, MessageSigning.verify(rightKey));
    assertEquals(
        Check.BAD_FROM, MessageSigning.verify(with(signed, 1, ByteString.copyFromUtf8("junk"))));
  }

  @Test
  void unsignedOrAnonymousMessagesAreRejected() {
    assertEquals(Check.MISSING_FIELDS, MessageSigning.verify(signed.unsigned()));
    assertEquals(Check.MISSING_FIELDS, MessageSigning.verify(with(signed, 1, null)));
    assertEquals(Check.MISSING_FIELDS, MessageSigning.verify(with(signed, 3, null)));
    assertEquals(
        Check.BAD_SEQNO,
        MessageSigning.verify(with(signed, 3, ByteString.copyFrom(new byte[] {1}))));
  }

  private static PubsubMessage with(PubsubMessage m, int field, ByteString v) {
    return switch (field) {
      case 1 -> new PubsubMessage(v, m.data(), m.seqno(), m.topic(), m.signature(), m.key());
      case 2 -> new PubsubMessage(m.from(), v, m.seqno(), m.topic(), m.signature(), m.key());
      case 3 -> new PubsubMessage(m.from(), m.data(), v, m.topic(), m.signature(), m.key());
      default -> new PubsubMessage(m.from(), m.data(), m.seqno(), m.topic(), v, m.key());
    };
  }

  private static byte[] filled(int b) {
    byte[] s = new byte[32];
    Arrays.fill(s, (byte) b);
    return s;
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
