package io.layerproof.p2p.pubsub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.layerproof.p2p.identity.PeerId;
import io.layerproof.p2p.identity.PeerKey;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The router's bounded stores: seen cache, message cache, promises, scores. */
class CachesTest {

  private static final ByteString A = ByteString.copyFromUtf8("a");
  private static final ByteString B = ByteString.copyFromUtf8("b");
  private static final ByteString C = ByteString.copyFromUtf8("c");
  private final PeerId peer = PeerKey.ofSeed(new byte[32]).peerId();

  @Test
  void seenEntriesExpireAndTheOldestGoFirstWhenFull() {
    SeenCache seen = new SeenCache(1000, 2);
    assertTrue(seen.add(A, 0));
    assertFalse(seen.add(A, 500), "duplicate within the TTL");
    assertTrue(seen.add(B, 600));
    assertTrue(seen.add(C, 700)); // evicts A, the oldest
    assertFalse(seen.contains(A, 700));
    assertEquals(2, seen.size());
    assertFalse(seen.contains(B, 1600));
    seen.evictExpired(1701);
    assertEquals(0, seen.size());
  }

  @Test
  void messageCacheGossipsTheNewestWindowsAndForgetsTheOldest() {
    MessageCache cache = new MessageCache(3, 2, 2);
    PubsubMessage m = new PubsubMessage(null, null, null, "t", null, null);
    cache.put(A, m);
    cache.put(B, m);
    cache.put(C, m); // window full: not cached
    assertNull(cache.get(C));
    assertEquals(List.of(A, B), cache.gossipIds("t"));
    assertEquals(List.of(), cache.gossipIds("other"));
    cache.shift();
    assertEquals(List.of(A, B), cache.gossipIds("t"));
    cache.shift();
    assertEquals(List.of(), cache.gossipIds("t"), "older than the gossip windows");
    assertNotNull(cache.get(A), "still served to IWANT");
    cache.shift();
    assertNull(cache.get(A));
    assertEquals(0, cache.size());
  }

  @Test
  void promisesBreakAfterTheFollowUpUnlessFulfilled() {
    GossipPromises promises = new GossipPromises(100, 10);
    promises.add(peer, List.of(A), 0, new Random(1));
    promises.add(peer, List.of(B), 0, new Random(1));
    promises.fulfil(A);
    assertEquals(Map.of(), promises.broken(50));
    assertEquals(Map.of(peer, 1), promises.broken(100));
    assertEquals(0, promises.size());
  }

  @Test
  void scoresDecayAndBadRecordsOutliveTheConnection() {
    PeerScoreParams p = PeerScoreParams.DEFAULT;
    PeerScore score = new PeerScore(p, 10, 10);
    score.addPeer(peer);
    score.refresh(0);
    score.invalidMessage(peer, "t");
    score.invalidMessage(peer, "t");
    assertEquals(-40.0, score.score(peer, 0), 1e-9);
    score.removePeer(peer, 0);
    score.addPeer(peer);
    assertEquals(-40.0, score.score(peer, 0), 1e-9, "reconnecting does not wash the score");
    score.refresh(Duration.ofSeconds(10).toMillis());
    double decayed = -10 * Math.pow(2 * Math.pow(0.99, 10), 2);
    assertEquals(decayed, score.score(peer, 10_000), 1e-9);
    score.graft(peer, "t", 10_000);
    assertEquals(
        decayed + 0.01 * 100, score.score(peer, 110_000), 1e-9, "P1: 0.01 per second in mesh");
    score.addPenalty(peer, 1);
    assertEquals(decayed + 1 - 10, score.score(peer, 110_000), 1e-9, "P7");
  }

  @Test
  void meshDeliveryDeficitPenalisesQuietMeshPeersOnceActive() {
    TopicScoreParams t =
        TopicScoreParams.DEFAULT.withMeshDeliveries(
            -1, 4, 10, Duration.ofSeconds(1), Duration.ofMillis(100), -1);
    PeerScoreParams p =
        new PeerScoreParams(
            Map.of(), t, 100, -10, 0, 0.9, Duration.ofSeconds(1), 0.01, Duration.ofMinutes(10));
    PeerScore score = new PeerScore(p, 10, 10);
    PeerId other =
        PeerKey.ofSeed(
                new byte[] {
                  1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23,
                  24, 25, 26, 27, 28, 29, 30, 31, 32
                })
            .peerId();
    score.addPeer(peer);
    score.addPeer(other);
    score.graft(peer, "t", 0);
    score.graft(other, "t", 0);
    assertEquals(0.0, score.score(peer, 999), 0.01, "not active before the activation time");
    assertEquals(-16 + 0.01, score.score(peer, 1000), 1e-9, "deficit 4, squared");
    score.firstDelivery(peer, "t", A, 1000);
    score.duplicateDelivery(other, "t", A, 1050); // within the window: credited
    score.firstDelivery(peer, "t", B, 1100);
    score.duplicateDelivery(other, "t", B, 1300); // too late: not credited
    assertEquals(-4 + 2 + 0.011, score.score(peer, 1100), 1e-9, "2 deliveries: deficit 2; P2 +2");
    assertEquals(-9 + 0.011, score.score(other, 1100), 1e-9, "1 delivery: deficit 3");
    score.prune(other, "t", 1100);
    assertEquals(-9, score.score(other, 1100), 1e-9, "P3b: the deficit is kept after PRUNE");
  }
}
