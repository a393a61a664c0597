package io.layerproof.p2p.pubsub;

import com.google.protobuf.ByteString;
import io.layerproof.p2p.identity.PeerId;

/**
 * How a message is named in seen caches and in IHAVE/IWANT. Every peer of a network must use the
 * same function, or gossip ids never match (and IWANT promises look broken).
 */
@FunctionalInterface
public interface MessageIdFunction {

  ByteString apply(PubsubMessage message);

  /** The pubsub spec's and go-libp2p-pubsub's default: {@code from || seqno}. */
  MessageIdFunction FROM_AND_SEQNO = m -> orEmpty(m.from()).concat(orEmpty(m.seqno()));

  /**
   * What js-libp2p 2.x ({@code @chainsafe/libp2p-gossipsub} 14) uses under StrictSign: the author's
   * {@code PublicKey} protobuf (inlined in {@code from}, else the {@code key} field) followed by
   * the seqno. For an Ed25519 author that is {@code from} without its 2-byte multihash header.
   */
  MessageIdFunction JS_LIBP2P = m -> authorKey(m).concat(orEmpty(m.seqno()));

  private static ByteString orEmpty(ByteString b) {
    return b == null ? ByteString.EMPTY : b;
  }

  private static ByteString authorKey(PubsubMessage m) {
    if (m.from() != null) {
      try {
        var inlined = PeerId.fromBytes(m.from().toByteArray()).publicKey();
        if (inlined.isPresent()) {
          return ByteString.copyFrom(inlined.get().toProtobuf());
        }
      } catch (IllegalArgumentException malformed) {
        // fall through to the key field
      }
    }
    return orEmpty(m.key());
  }
}
