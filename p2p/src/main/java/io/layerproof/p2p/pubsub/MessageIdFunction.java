package io.layerproof.p2p.pubsub;

import com.google.protobuf.ByteString;

/** How a message is named in seen caches and IHAVE/IWANT. Must be the same across the network. */
@FunctionalInterface
public interface MessageIdFunction {

  ByteString apply(PubsubMessage message);

  /** The pubsub default: {@code from || seqno} (absent fields count as empty). */
  MessageIdFunction FROM_AND_SEQNO =
      m ->
          (m.from() == null ? ByteString.EMPTY : m.from())
              .concat(m.seqno() == null ? ByteString.EMPTY : m.seqno());
}
