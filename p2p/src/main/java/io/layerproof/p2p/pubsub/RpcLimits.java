package io.layerproof.p2p.pubsub;

/**
 * Caps applied while decoding an RPC, so a peer cannot make us allocate or loop beyond them.
 *
 * @param maxRpcSize bytes of one RPC (the varint length prefix excluded)
 * @param maxSubscriptions {@code SubOpts} entries per RPC
 * @param maxMessages published messages per RPC
 * @param maxControlEntries IHAVE + IWANT + GRAFT + PRUNE + IDONTWANT entries per RPC
 * @param maxMessageIds message ids across all IHAVE/IWANT/IDONTWANT entries of one RPC
 * @param maxPeerInfos peer-exchange entries across all PRUNEs of one RPC
 * @param maxTopicLength UTF-8 bytes of a topic id
 * @param maxUnknownFields unknown fields skipped per RPC before it is refused
 */
public record RpcLimits(
    int maxRpcSize,
    int maxSubscriptions,
    int maxMessages,
    int maxControlEntries,
    int maxMessageIds,
    int maxPeerInfos,
    int maxTopicLength,
    int maxUnknownFields) {

  /** 1 MiB per RPC (the pubsub spec's suggested message limit) and generous counts below it. */
  public static final RpcLimits DEFAULT =
      new RpcLimits(1 << 20, 1024, 1024, 1024, 10_000, 256, 1024, 64);

  public RpcLimits {
    if (maxRpcSize <= 0
        || maxSubscriptions < 0
        || maxMessages < 0
        || maxControlEntries < 0
        || maxMessageIds < 0
        || maxPeerInfos < 0
        || maxTopicLength <= 0
        || maxUnknownFields < 0) {
      throw new IllegalArgumentException("invalid RPC limits");
    }
  }
}
