package io.layerproof.p2p.pubsub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.layerproof.p2p.identity.PeerKey;
import io.layerproof.p2p.pubsub.SimNetwork.Node;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Routers on an in-memory network with a virtual clock (100 ms heartbeats, 10 ms links). */
class GossipSimulationTest {

  private static final Logger LOG = LoggerFactory.getLogger(GossipSimulationTest.class);
  private static final int ROUTERS = 20;

  private static SimNetwork sparseNetwork(long seed, GossipConfig config) {
    SimNetwork net = new SimNetwork(seed, config, 10);
    List<Node> all = new ArrayList<>();
    for (int i = 0; i < ROUTERS; i++) {
      Node n = net.addNode();
      n.start(true);
      all.add(n);
    }
    net.randomTopology(all, 6, 9);
    return net;
  }

  private static List<Node> ordered(SimNetwork net) {
    List<Node> all = new ArrayList<>(net.nodes.values());
    all.sort((a, b) -> a.id.compareTo(b.id));
    return all;
  }

  /** Heartbeats (of 100 ms) until every mesh size is within [D_lo, D_hi]; -1 if never. */
  private static int heartbeatsToConverge(SimNetwork net, int max) {
    GossipConfig c = net.config;
    for (int beats = 0; beats <= max; beats++) {
      boolean ok = true;
      for (Node n : net.nodes.values()) {
        int size = n.router.meshPeers(SimNetwork.TOPIC).size();
        ok &= size >= c.dLo() && size <= c.dHi();
      }
      if (ok) {
        return beats;
      }
      net.clock.advance(c.heartbeatInterval().toMillis());
    }
    return -1;
  }

  private static List<ByteString> publishBurst(SimNetwork net, Node from, int count, String tag) {
    List<ByteString> ids = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      ids.add(MessageIdFunction.FROM_AND_SEQNO.apply(net.publish(from, tag + i)));
      net.clock.advance(10);
    }
    return ids;
  }

  private static void assertEachDeliveredOnce(
      SimNetwork net, Node publisher, List<ByteString> ids) {
    for (Node n : net.nodes.values()) {
      if (n == publisher || n.router == null) {
        continue;
      }
      for (ByteString id : ids) {
        assertEquals(
            1,
            n.deliveries.getOrDefault(id, 0),
            n.id + " delivered a message " + n.deliveries.getOrDefault(id, 0) + " times");
      }
    }
  }

  private void runSparse(boolean flood) {
    runSparseSeed(42, flood);
  }

  private void runSparseSeed(long seed, boolean flood) {
    SimNetwork net = sparseNetwork(seed, GossipConfig.forTests().withFloodPublish(flood));
    int beats = heartbeatsToConverge(net, 50);
    assertTrue(beats >= 0, "meshes did not converge within D_lo..D_hi");
    for (Node n : net.nodes.values()) {
      assertTrue(net.degree(n) >= 6);
      for (var p : n.router.meshPeers(SimNetwork.TOPIC)) {
        assertTrue(net.linked(n.id, p), "mesh peers are connected peers");
      }
    }
    Node publisher = ordered(net).get(0);
    List<ByteString> ids = publishBurst(net, publisher, 100, "m");
    net.clock.advance(2000);
    assertEachDeliveredOnce(net, publisher, ids);

    int maxHops = 0;
    long maxLatency = 0;
    double hopSum = 0;
    int samples = 0;
    for (Node n : net.nodes.values()) {
      if (n == publisher) {
        continue;
      }
      for (ByteString id : ids) {
        int h = n.hops.get(id);
        maxHops = Math.max(maxHops, h);
        hopSum += h;
        samples++;
        maxLatency = Math.max(maxLatency, n.deliveredAt.get(id) - net.publishedAt.get(id));
      }
    }
    int meshMin = Integer.MAX_VALUE;
    int meshMax = 0;
    long duplicates = 0;
    for (Node n : net.nodes.values()) {
      int size = n.router.meshPeers(SimNetwork.TOPIC).size();
      meshMin = Math.min(meshMin, size);
      meshMax = Math.max(meshMax, size);
      duplicates += n.router.stats().duplicates();
    }
    String figures =
        String.format(
            "flood=%s: meshes in [%d,%d] after %d heartbeats; 100 messages x %d routers delivered once each;"
                + " hops max %d mean %.2f; full delivery within %d ms (%d link latencies); %d duplicates dropped",
            flood,
            meshMin,
            meshMax,
            beats,
            ROUTERS - 1,
            maxHops,
            hopSum / samples,
            maxLatency,
            maxLatency / net.latencyMs,
            duplicates);
    LOG.info(figures);
    System.out.println("SIM " + figures);
  }

  @Test
  void twentyRoutersDeliverEveryMessageExactlyOnceWithFloodPublishing() {
    runSparse(true);
  }

  @Test
  void twentyRoutersDeliverEveryMessageExactlyOnceThroughTheMesh() {
    runSparse(false);
  }

  @Test
  void otherTopologiesToo() {
    // Six more random topologies, alternating flood publishing (30 seeds were run while writing
    // this).
    for (long seed = 100; seed < 106; seed++) {
      runSparseSeed(seed, seed % 2 == 0);
    }
  }

  @Test
  void denseNetworkMeshesTrimToTheDegreeBounds() {
    // 20 routers all connected to each other: grafts overshoot, PRUNE and backoff bring them back.
    SimNetwork net = new SimNetwork(5, GossipConfig.forTests().withFloodPublish(false), 10);
    List<Node> all = new ArrayList<>();
    for (int i = 0; i < ROUTERS; i++) {
      Node n = net.addNode();
      n.start(true);
      all.add(n);
    }
    for (Node a : all) {
      for (Node b : all) {
        if (a.id.compareTo(b.id) < 0) {
          net.connect(a, b);
        }
      }
    }
    int beats = heartbeatsToConverge(net, 50);
    assertTrue(beats >= 0);
    net.clock.advance(3000); // and they stay there
    assertEquals(0, heartbeatsToConverge(net, 0));
    for (Node n : all) {
      for (var p : n.router.meshPeers(SimNetwork.TOPIC)) {
        assertTrue(
            net.nodes.get(p).router.meshPeers(SimNetwork.TOPIC).contains(n.id),
            "meshes are symmetric");
      }
    }
    List<ByteString> ids = publishBurst(net, all.get(0), 100, "d");
    net.clock.advance(2000);
    assertEachDeliveredOnce(net, all.get(0), ids);
    int maxHops = 0;
    for (Node n : all) {
      for (ByteString id : ids) {
        maxHops = Math.max(maxHops, n.hops.get(id));
      }
    }
    System.out.println(
        "SIM dense (flood off): meshes within [D_lo,D_hi] after "
            + beats
            + " heartbeats; max hops "
            + maxHops);
  }

  @Test
  void aRestartedRouterReceivesLaterMessages() {
    SimNetwork net = sparseNetwork(7, GossipConfig.forTests());
    assertTrue(heartbeatsToConverge(net, 50) >= 0);
    List<Node> all = ordered(net);
    Node publisher = all.get(0);
    Node victim = all.get(5);
    List<Node> neighbours = net.neighbours(victim);
    List<ByteString> before = publishBurst(net, publisher, 10, "before");
    net.clock.advance(2000);
    assertEachDeliveredOnce(net, publisher, before);

    net.kill(victim);
    net.clock.advance(500);
    victim.deliveries.clear();
    victim.start(true); // a new router: empty seen cache, empty mesh
    for (Node n : neighbours) {
      net.connect(victim, n);
    }
    int beats = heartbeatsToConverge(net, 50);
    assertTrue(beats >= 0);
    List<ByteString> after = publishBurst(net, publisher, 20, "after");
    net.clock.advance(2000);
    assertEachDeliveredOnce(net, publisher, after);
    assertTrue(victim.router.meshPeers(SimNetwork.TOPIC).size() >= net.config.dLo());
    System.out.println(
        "SIM restart: mesh rebuilt in " + beats + " heartbeats; 20 later messages delivered once");
  }

  @Test
  void aPeerSendingBadSignaturesIsPenalisedThenGraylisted() {
    SimNetwork net = sparseNetwork(11, GossipConfig.forTests());
    assertTrue(heartbeatsToConverge(net, 50) >= 0);
    Node target = ordered(net).get(3);
    PeerKey puppet = PeerKey.ofSeed(new byte[32]);
    net.linkPuppet(puppet.peerId(), target);
    net.inject(
        puppet.peerId(),
        target.id,
        Rpc.ofSubscriptions(List.of(new Rpc.SubOpts(true, SimNetwork.TOPIC))));
    net.clock.advance(50);
    assertEquals(0.0, target.router.score(puppet.peerId()));

    SeqnoGenerator seq = new SeqnoGenerator(1);
    double graylist = net.config.thresholds().graylist();
    int sent = 0;
    while (target.router.score(puppet.peerId()) >= graylist) {
      PubsubMessage good =
          MessageSigning.sign(
              puppet, SimNetwork.TOPIC, "x".getBytes(StandardCharsets.UTF_8), seq.next());
      PubsubMessage forged =
          new PubsubMessage(
              good.from(),
              ByteString.copyFromUtf8("forged"),
              good.seqno(),
              good.topic(),
              good.signature(),
              null);
      net.inject(puppet.peerId(), target.id, Rpc.ofMessages(List.of(forged)));
      net.clock.advance(50);
      sent++;
      assertTrue(
          target.router.score(puppet.peerId()) < 0, "negative after the first invalid message");
      assertTrue(sent < 10);
    }
    assertEquals(sent, target.router.stats().invalidSignatures());
    assertTrue(target.deliveries.isEmpty(), "nothing forged was delivered");

    // Graylisted: even a correctly signed message is ignored, with the rest of the RPC.
    long before = target.router.stats().graylistedRpcs();
    PubsubMessage valid =
        MessageSigning.sign(
            puppet, SimNetwork.TOPIC, "valid".getBytes(StandardCharsets.UTF_8), seq.next());
    net.inject(puppet.peerId(), target.id, Rpc.ofMessages(List.of(valid)));
    net.clock.advance(1000);
    assertEquals(before + 1, target.router.stats().graylistedRpcs());
    assertTrue(target.deliveries.isEmpty());
    assertFalse(target.router.meshPeers(SimNetwork.TOPIC).contains(puppet.peerId()));
    System.out.printf(
        "SIM graylist: score %.1f after %d invalid signatures (graylist threshold %.0f)%n",
        target.router.score(puppet.peerId()), sent, graylist);
  }

  @Test
  void ihaveIwantRecoversAMessageLostOnTheMeshLinks() {
    // 10 routers, fully connected: each has ~6 mesh peers and ~3 that only gossip to it.
    SimNetwork net = new SimNetwork(3, GossipConfig.forTests(), 10);
    List<Node> all = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      Node n = net.addNode();
      n.start(true);
      all.add(n);
    }
    for (Node a : all) {
      for (Node b : all) {
        if (a.id.compareTo(b.id) < 0) {
          net.connect(a, b);
        }
      }
    }
    assertTrue(heartbeatsToConverge(net, 50) >= 0);
    Node publisher = all.get(0);
    Node victim = all.get(7);
    net.dropMessages = (from, to) -> to.equals(victim.id);
    List<ByteString> ids = publishBurst(net, publisher, 1, "lost");
    net.clock.advance(30); // the forward wave has passed: everyone else has it, the victim not
    net.dropMessages = (from, to) -> false;
    assertEquals(0, victim.deliveries.getOrDefault(ids.get(0), 0));
    long start = net.clock.nowMillis();
    int beats = 0;
    while (victim.deliveries.getOrDefault(ids.get(0), 0) == 0 && beats < 30) {
      net.clock.advance(net.config.heartbeatInterval().toMillis());
      beats++;
    }
    assertEachDeliveredOnce(net, publisher, ids);
    assertTrue(victim.router.stats().iwantSent() > 0);
    long served = all.stream().mapToLong(n -> n.router.stats().messagesServedByIWant()).sum();
    assertTrue(served > 0);
    System.out.printf(
        "SIM gossip recovery: missed message recovered by IHAVE/IWANT within %d heartbeats (%d ms)%n",
        beats, victim.deliveredAt.get(ids.get(0)) - start);
  }
}
