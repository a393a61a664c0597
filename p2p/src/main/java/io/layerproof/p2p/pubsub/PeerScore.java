package io.layerproof.p2p.pubsub;

import io.layerproof.p2p.identity.PeerId;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Peer scores (gossipsub v1.1): P1 time in mesh, P2 first message deliveries, P4 invalid messages
 * per topic, P7 behaviour penalty. Counters decay each decay interval. A disconnected peer's stats
 * are kept for {@code retainScore} so a misbehaving peer cannot reset its score by reconnecting.
 */
final class PeerScore {

  private static final class TopicStats {
    boolean inMesh;
    long graftTime;
    double firstDeliveries;
    double invalidDeliveries;
  }

  private static final class Stats {
    boolean connected = true;
    long expireAt;
    double behaviourPenalty;
    final Map<String, TopicStats> topics = new HashMap<>();
  }

  private final PeerScoreParams params;
  private final int maxTopicsPerPeer;
  private final int capacity;
  private final LinkedHashMap<PeerId, Stats> peers = new LinkedHashMap<>();
  private long lastDecay = Long.MIN_VALUE;

  PeerScore(PeerScoreParams params, int capacity, int maxTopicsPerPeer) {
    this.params = params;
    this.capacity = capacity;
    this.maxTopicsPerPeer = maxTopicsPerPeer;
  }

  void addPeer(PeerId peer) {
    Stats s = peers.get(peer);
    if (s != null) {
      s.connected = true;
      return;
    }
    if (peers.size() >= capacity) {
      evictOneDisconnected();
    }
    peers.put(peer, new Stats());
  }

  void removePeer(PeerId peer, long now) {
    Stats s = peers.get(peer);
    if (s == null) {
      return;
    }
    if (score(peer, now) > 0) {
      peers.remove(peer); // only bad records are worth remembering
      return;
    }
    s.connected = false;
    s.expireAt = now + params.retainScore().toMillis();
    for (TopicStats t : s.topics.values()) {
      t.inMesh = false;
    }
  }

  double score(PeerId peer, long now) {
    Stats s = peers.get(peer);
    if (s == null) {
      return 0;
    }
    double topicsTotal = 0;
    for (Map.Entry<String, TopicStats> e : s.topics.entrySet()) {
      TopicScoreParams p = params.topic(e.getKey());
      if (p == null) {
        continue;
      }
      TopicStats t = e.getValue();
      double topic = 0;
      if (t.inMesh) {
        double quanta = (double) (now - t.graftTime) / p.timeInMeshQuantum().toMillis();
        topic += p.timeInMeshWeight() * Math.min(quanta, p.timeInMeshCap());
      }
      topic += p.firstMessageDeliveriesWeight() * t.firstDeliveries;
      topic += p.invalidMessageDeliveriesWeight() * t.invalidDeliveries * t.invalidDeliveries;
      topicsTotal += p.topicWeight() * topic;
    }
    if (params.topicScoreCap() > 0 && topicsTotal > params.topicScoreCap()) {
      topicsTotal = params.topicScoreCap();
    }
    double excess = s.behaviourPenalty - params.behaviourPenaltyThreshold();
    double behaviour = excess > 0 ? params.behaviourPenaltyWeight() * excess * excess : 0;
    return topicsTotal + behaviour;
  }

  void graft(PeerId peer, String topic, long now) {
    TopicStats t = topic(peer, topic);
    if (t != null) {
      t.inMesh = true;
      t.graftTime = now;
    }
  }

  void prune(PeerId peer, String topic) {
    TopicStats t = topic(peer, topic);
    if (t != null) {
      t.inMesh = false;
    }
  }

  /** P2: the peer was first to deliver a valid message. */
  void firstDelivery(PeerId peer, String topic) {
    TopicStats t = topic(peer, topic);
    if (t != null) {
      double cap = params.topic(topic).firstMessageDeliveriesCap();
      t.firstDeliveries = Math.min(cap, t.firstDeliveries + 1);
    }
  }

  /** P4: the peer sent an invalid message (bad signature or rejected by the validator). */
  void invalidMessage(PeerId peer, String topic) {
    TopicStats t = topic(peer, topic);
    if (t != null) {
      t.invalidDeliveries += 1;
    }
  }

  /** P7: protocol misbehaviour (GRAFT in backoff, broken IWANT promise). */
  void addPenalty(PeerId peer, int count) {
    Stats s = peers.get(peer);
    if (s != null) {
      s.behaviourPenalty += count;
    }
  }

  /** Decays counters for each full decay interval since the last call; drops expired records. */
  void refresh(long now) {
    long interval = params.decayInterval().toMillis();
    if (lastDecay == Long.MIN_VALUE) {
      lastDecay = now;
    }
    while (now - lastDecay >= interval) {
      lastDecay += interval;
      decayOnce();
    }
    Iterator<Stats> it = peers.values().iterator();
    while (it.hasNext()) {
      Stats s = it.next();
      if (!s.connected && s.expireAt <= now) {
        it.remove();
      }
    }
  }

  private void decayOnce() {
    double zero = params.decayToZero();
    for (Stats s : peers.values()) {
      s.behaviourPenalty = decay(s.behaviourPenalty, params.behaviourPenaltyDecay(), zero);
      for (Map.Entry<String, TopicStats> e : s.topics.entrySet()) {
        TopicScoreParams p = params.topic(e.getKey());
        if (p == null) {
          continue;
        }
        TopicStats t = e.getValue();
        t.firstDeliveries = decay(t.firstDeliveries, p.firstMessageDeliveriesDecay(), zero);
        t.invalidDeliveries = decay(t.invalidDeliveries, p.invalidMessageDeliveriesDecay(), zero);
      }
    }
  }

  private static double decay(double value, double factor, double zero) {
    double v = value * factor;
    return v < zero ? 0 : v;
  }

  private TopicStats topic(PeerId peer, String topic) {
    Stats s = peers.get(peer);
    if (s == null || params.topic(topic) == null) {
      return null;
    }
    TopicStats t = s.topics.get(topic);
    if (t == null && s.topics.size() < maxTopicsPerPeer) {
      t = new TopicStats();
      s.topics.put(topic, t);
    }
    return t;
  }

  private void evictOneDisconnected() {
    Iterator<Stats> it = peers.values().iterator();
    while (it.hasNext()) {
      if (!it.next().connected) {
        it.remove();
        return;
      }
    }
  }

  int size() {
    return peers.size();
  }
}
