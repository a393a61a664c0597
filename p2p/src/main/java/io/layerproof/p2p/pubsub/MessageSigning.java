package io.layerproof.p2p.pubsub;

import com.google.protobuf.ByteString;
import io.layerproof.p2p.identity.PeerId;
import io.layerproof.p2p.identity.PeerKey;
import io.layerproof.p2p.identity.PeerPublicKey;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * StrictSign, the default of go-libp2p-pubsub and js gossipsub: every message carries its author
 * ({@code from}), a {@code seqno} and an Ed25519 signature over {@code "libp2p-pubsub:"} followed
 * by the {@code Message} protobuf without {@code signature} and {@code key}.
 */
public final class MessageSigning {

  static final byte[] PREFIX = "libp2p-pubsub:".getBytes(StandardCharsets.US_ASCII);

  /** Why a received message was refused (or {@link #VALID}). */
  public enum Check {
    VALID,
    MISSING_FIELDS,
    BAD_SEQNO,
    BAD_FROM,
    BAD_KEY,
    BAD_SIGNATURE
  }

  private MessageSigning() {}

  /**
   * A signed message authored by {@code key}. {@code key} is left out when the peer id inlines the
   * public key, as it does for every Ed25519 peer.
   */
  public static PubsubMessage sign(PeerKey key, String topic, byte[] data, byte[] seqno) {
    if (seqno.length != 8) {
      throw new IllegalArgumentException("seqno is 8 bytes");
    }
    PeerId author = key.peerId();
    PubsubMessage unsigned =
        new PubsubMessage(
            ByteString.copyFrom(author.toBytes()),
            ByteString.copyFrom(data),
            ByteString.copyFrom(seqno),
            topic,
            null,
            null);
    ByteString signature = ByteString.copyFrom(key.sign(signedBytes(unsigned)));
    ByteString keyField =
        author.publicKey().isPresent() ? null : ByteString.copyFrom(key.publicKey().toProtobuf());
    return unsigned.withSignature(signature, keyField);
  }

  /** Verifies a received message under StrictSign. */
  public static Check verify(PubsubMessage m) {
    if (m.from() == null || m.seqno() == null || m.signature() == null || m.topic() == null) {
      return Check.MISSING_FIELDS;
    }
    if (m.seqno().size() != 8) {
      return Check.BAD_SEQNO; // js gossipsub refuses anything but 8 bytes too
    }
    PeerId author;
    try {
      author = PeerId.fromBytes(m.from().toByteArray());
    } catch (IllegalArgumentException e) {
      return Check.BAD_FROM;
    }
    Optional<PeerPublicKey> key = author(author, m.key());
    if (key.isEmpty()) {
      return Check.BAD_KEY;
    }
    return key.get().verify(signedBytes(m.unsigned()), m.signature().toByteArray())
        ? Check.VALID
        : Check.BAD_SIGNATURE;
  }

  /**
   * The key from {@code key} if sent (it must match {@code from}), else the one {@code from}
   * inlines.
   */
  private static Optional<PeerPublicKey> author(PeerId from, ByteString keyField) {
    if (keyField == null) {
      return from.publicKey();
    }
    try {
      PeerPublicKey k = PeerPublicKey.fromProtobuf(keyField.toByteArray());
      return from.matches(k) ? Optional.of(k) : Optional.empty();
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  static byte[] signedBytes(PubsubMessage unsigned) {
    byte[] body = RpcCodec.encodeMessage(unsigned.unsigned());
    byte[] out = new byte[PREFIX.length + body.length];
    System.arraycopy(PREFIX, 0, out, 0, PREFIX.length);
    System.arraycopy(body, 0, out, PREFIX.length, body.length);
    return out;
  }
}
