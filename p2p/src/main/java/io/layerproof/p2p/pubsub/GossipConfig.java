package io.layerproof.p2p.pubsub;

import java.time.Duration;

/**
 * GossipSub router parameters. {@link #DEFAULT} has the values of the v1.0/v1.1 specs (and of go
 * and js): D=6, D_lo=5, D_hi=12, D_lazy=6, 1 s heartbeat, 60 s fanout TTL, 5 history windows of
 * which 3 are gossiped, 60 s prune backoff, flood publishing on. The caps at the end bound every
 * map the router keeps.
 *
 * @param d target mesh degree
 * @param dLo below it, the heartbeat grafts
 * @param dHi above it, the heartbeat prunes
 * @param dScore mesh peers kept by score when pruning (the rest are random)
 * @param dOut outbound peers the mesh keeps (Sybil resistance: they were chosen by us)
 * @param dLazy minimum number of peers gossip is emitted to per topic
 * @param gossipFactor fraction of eligible non-mesh peers gossip goes to, when more than dLazy
 * @param heartbeatInterval time between heartbeats
 * @param heartbeatInitialDelay first heartbeat after start
 * @param fanoutTtl fanout state of an unsubscribed topic is dropped this long after our last
 *     publish
 * @param mcacheLength history windows kept for IWANT
 * @param mcacheGossip newest windows advertised in IHAVE
 * @param seenTtl how long message ids are remembered as seen
 * @param pruneBackoff no re-GRAFT this long after a PRUNE
 * @param unsubscribeBackoff backoff sent when pruning because we unsubscribed
 * @param graftFloodThreshold a GRAFT this soon after our PRUNE earns an extra penalty
 * @param prunePeers peers offered in PRUNE peer exchange
 * @param opportunisticGraftTicks heartbeats between opportunistic grafting rounds
 * @param opportunisticGraftPeers peers grafted per opportunistic round
 * @param gossipRetransmission times one message is served to one peer by IWANT
 * @param maxIHaveLength message ids asked per peer per heartbeat
 * @param maxIHaveMessages IHAVE control entries accepted per peer per heartbeat
 * @param iwantFollowupTime how long an IWANT'ed message may take before the promise is broken
 * @param floodPublish our own messages go to every topic peer above the publish threshold
 * @param doPx offer peer exchange in PRUNE
 * @param maxPeers peers tracked
 * @param maxTopics topics tracked (ours and our peers')
 * @param maxTopicsPerPeer subscriptions tracked per peer
 * @param seenCapacity seen cache entries
 * @param mcacheWindowCapacity messages per history window
 * @param promiseCapacity IWANT promises tracked
 * @param limits RPC decoding limits
 * @param scoreParams peer score parameters
 * @param thresholds peer score thresholds
 */
public record GossipConfig(
    int d,
    int dLo,
    int dHi,
    int dScore,
    int dOut,
    int dLazy,
    double gossipFactor,
    Duration heartbeatInterval,
    Duration heartbeatInitialDelay,
    Duration fanoutTtl,
    int mcacheLength,
    int mcacheGossip,
    Duration seenTtl,
    Duration pruneBackoff,
    Duration unsubscribeBackoff,
    Duration graftFloodThreshold,
    int prunePeers,
    int opportunisticGraftTicks,
    int opportunisticGraftPeers,
    int gossipRetransmission,
    int maxIHaveLength,
    int maxIHaveMessages,
    Duration iwantFollowupTime,
    boolean floodPublish,
    boolean doPx,
    int maxPeers,
    int maxTopics,
    int maxTopicsPerPeer,
    int seenCapacity,
    int mcacheWindowCapacity,
    int promiseCapacity,
    RpcLimits limits,
    PeerScoreParams scoreParams,
    PeerScoreThresholds thresholds) {

  public static final GossipConfig DEFAULT =
      new GossipConfig(
          6,
          5,
          12,
          4,
          2,
          6,
          0.25,
          Duration.ofSeconds(1),
          Duration.ofMillis(100),
          Duration.ofSeconds(60),
          5,
          3,
          Duration.ofMinutes(2),
          Duration.ofSeconds(60),
          Duration.ofSeconds(10),
          Duration.ofSeconds(10),
          16,
          60,
          2,
          3,
          5000,
          10,
          Duration.ofSeconds(3),
          true,
          true,
          5000,
          1000,
          200,
          200_000,
          10_000,
          10_000,
          RpcLimits.DEFAULT,
          PeerScoreParams.DEFAULT,
          PeerScoreThresholds.DEFAULT);

  public GossipConfig {
    if (!(dLo <= d && d <= dHi && dOut < dLo && dOut <= d / 2 && dScore <= d && dLazy >= 0)) {
      throw new IllegalArgumentException("need dOut < dLo <= d <= dHi, dOut <= d/2, dScore <= d");
    }
    if (mcacheGossip > mcacheLength || mcacheLength <= 0 || heartbeatInterval.isZero()) {
      throw new IllegalArgumentException("invalid history or heartbeat");
    }
    if (opportunisticGraftTicks <= 0
        || maxPeers <= 0
        || maxTopics <= 0
        || maxTopicsPerPeer <= 0
        || seenCapacity <= 0
        || mcacheWindowCapacity <= 0
        || promiseCapacity <= 0) {
      throw new IllegalArgumentException("caps and tick counts must be positive");
    }
  }

  /** Spec defaults with a 100 ms heartbeat and a 300 ms IWANT follow-up, for simulations. */
  public static GossipConfig forTests() {
    GossipConfig c = DEFAULT;
    return new GossipConfig(
        c.d,
        c.dLo,
        c.dHi,
        c.dScore,
        c.dOut,
        c.dLazy,
        c.gossipFactor,
        Duration.ofMillis(100),
        Duration.ofMillis(10),
        c.fanoutTtl,
        c.mcacheLength,
        c.mcacheGossip,
        c.seenTtl,
        c.pruneBackoff,
        c.unsubscribeBackoff,
        c.graftFloodThreshold,
        c.prunePeers,
        c.opportunisticGraftTicks,
        c.opportunisticGraftPeers,
        c.gossipRetransmission,
        c.maxIHaveLength,
        c.maxIHaveMessages,
        Duration.ofMillis(300),
        c.floodPublish,
        c.doPx,
        c.maxPeers,
        c.maxTopics,
        c.maxTopicsPerPeer,
        c.seenCapacity,
        c.mcacheWindowCapacity,
        c.promiseCapacity,
        c.limits,
        c.scoreParams,
        c.thresholds);
  }

  public GossipConfig withFloodPublish(boolean flood) {
    return new GossipConfig(
        d,
        dLo,
        dHi,
        dScore,
        dOut,
        dLazy,
        gossipFactor,
        heartbeatInterval,
        heartbeatInitialDelay,
        fanoutTtl,
        mcacheLength,
        mcacheGossip,
        seenTtl,
        pruneBackoff,
        unsubscribeBackoff,
        graftFloodThreshold,
        prunePeers,
        opportunisticGraftTicks,
        opportunisticGraftPeers,
        gossipRetransmission,
        maxIHaveLength,
        maxIHaveMessages,
        iwantFollowupTime,
        flood,
        doPx,
        maxPeers,
        maxTopics,
        maxTopicsPerPeer,
        seenCapacity,
        mcacheWindowCapacity,
        promiseCapacity,
        limits,
        scoreParams,
        thresholds);
  }
}
