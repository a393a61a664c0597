package io.layerproof.p2p.pubsub;

import com.google.protobuf.ByteString;
import io.layerproof.p2p.identity.PeerId;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Peer scores (gossipsub v1.1): P1 time in mesh, P2 first message deliveries, P3/P3b mesh delivery
 * deficit and failure penalty, P4 invalid messages per topic, P7 behaviour penalty. Counters decay
 * each decay interval. A disconnected peer's stats are kept for {@code retainScore} so a
 * misbehaving peer cannot reset its score by reconnecting.
 */
final class PeerScore {

  private static final class TopicStats {
    boolean inMesh;
    long graftTime;
    double firstDeliveries;
    double meshDeliveries;
    double meshFailurePenalty;
    double invalidDeliveries;
  }

  /** When a message was first delivered and who has been credited for it (P3 window). */
  private record Delivery(long firstTime, Set<PeerId> credited) {}

  /** Peers credited per message: enough for any sane mesh (D_hi is 12 by default). */
  private static final int MAX_CREDITED = 64;

  private static final long DELIVERY_RECORD_TTL_MS = 120_000;

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
  private final LinkedHashMap<ByteString, Delivery> deliveries = new LinkedHashMap<>();
  private final int deliveryCapacity;
  private long lastDecay = Long.MIN_VALUE;

  PeerScore(PeerScoreParams params, int capacity, int maxTopicsPerPeer) {
    this(params, capacity, maxTopicsPerPeer, 20_000);
  }

  PeerScore(PeerScoreParams params, int capacity, int maxTopicsPerPeer, int deliveryCapacity) {
    this.deliveryCapacity = deliveryCapacity;
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
    for (String topic : List.copyOf(s.topics.keySet())) {
      prune(peer, topic, now);
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
      if (t.inMesh
          && now - t.graftTime >= p.meshMessageDeliveriesActivation().toMillis()
          && t.meshDeliveries < p.meshMessageDeliveriesThreshold()) {
        double deficit = p.meshMessageDeliveriesThreshold() - t.meshDeliveries;
        topic += p.meshMessageDeliveriesWeight() * deficit * deficit;
      }
      topic += p.meshFailurePenaltyWeight() * t.meshFailurePenalty;
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

  void prune(PeerId peer, String topic, long now) {
    TopicStats t = topic(peer, topic);
    if (t == null || !t.inMesh) {
      return;
    }
    TopicScoreParams p = params.topic(topic);
    // P3b: leaving the mesh with a delivery deficit is remembered after the peer is gone from it.
    if (now - t.graftTime >= p.meshMessageDeliveriesActivation().toMillis()
        && t.meshDeliveries < p.meshMessageDeliveriesThreshold()) {
      double deficit = p.meshMessageDeliveriesThreshold() - t.meshDeliveries;
      t.meshFailurePenalty += deficit * deficit;
    }
    t.inMesh = false;
  }

  /** P2 (and P3 if in the mesh): the peer was first to deliver a valid message. */
  void firstDelivery(PeerId peer, String topic, ByteString id, long now) {
    if (deliveries.size() >= deliveryCapacity) {
      Iterator<ByteString> oldest = deliveries.keySet().iterator();
      oldest.next();
      oldest.remove();
    }
    Set<PeerId> credited = new HashSet<>();
    credited.add(peer);
    deliveries.put(id, new Delivery(now, credited));
    TopicStats t = topic(peer, topic);
    if (t != null) {
      TopicScoreParams p = params.topic(topic);
      t.firstDeliveries = Math.min(p.firstMessageDeliveriesCap(), t.firstDeliveries + 1);
      creditMesh(t, p);
    }
  }

  /** P3: a mesh peer forwarding a message soon after its first delivery still did its part. */
  void duplicateDelivery(PeerId peer, String topic, ByteString id, long now) {
    Delivery d = deliveries.get(id);
    TopicStats t = topic(peer, topic);
    if (d == null
        || t == null
        || d.credited().contains(peer)
        || d.credited().size() >= MAX_CREDITED) {
      return;
    }
    TopicScoreParams p = params.topic(topic);
    if (now - d.firstTime() <= p.meshMessageDeliveriesWindow().toMillis()) {
      d.credited().add(peer);
      creditMesh(t, p);
    }
  }

  private static void creditMesh(TopicStats t, TopicScoreParams p) {
    if (t.inMesh) {
      t.meshDeliveries = Math.min(p.meshMessageDeliveriesCap(), t.meshDeliveries + 1);
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
    Iterator<Delivery> d = deliveries.values().iterator();
    while (d.hasNext() && d.next().firstTime() + DELIVERY_RECORD_TTL_MS < now) {
      d.remove();
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
        t.meshDeliveries = decay(t.meshDeliveries, p.meshMessageDeliveriesDecay(), zero);
        t.meshFailurePenalty = decay(t.meshFailurePenalty, p.meshFailurePenaltyDecay(), zero);
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
