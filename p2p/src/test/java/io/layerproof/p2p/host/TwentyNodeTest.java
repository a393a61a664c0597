package io.layerproof.p2p.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.layerproof.p2p.P2pNetwork;
import io.layerproof.p2p.identity.PeerKey;
import io.layerproof.p2p.multiaddr.Multiaddr;
import io.layerproof.p2p.pubsub.GossipConfig;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Twenty hosts on loopback in a sparse topology (each dials the next, the one after, and the fifth
 * after it): every published message reaches every other node exactly once; a node killed and
 * restarted with its key rejoins and receives later messages. Prints the propagation latency.
 */
@Timeout(240)
class TwentyNodeTest {

  static final int NODES = 20;
  static final String TOPIC = "layerproof/twenty";

  /** One node and what it received: message number -> arrival time, and duplicates seen. */
  static final class Node {
    final PeerKey key;
    Host host;
    final Map<Integer, Long> arrivals = new ConcurrentHashMap<>();
    final AtomicInteger duplicates = new AtomicInteger();

    Node(PeerKey key) {
      this.key = key;
    }

    void start() {
      host = new Host(key, config());
      host.listen(Multiaddr.fromString("/ip4/127.0.0.1/tcp/0"));
      host.subscribe(
          TOPIC,
          (author, data) -> {
            int n = ByteBuffer.wrap(data).getInt();
            if (arrivals.putIfAbsent(n, System.nanoTime()) != null) {
              duplicates.incrementAndGet();
            }
            return P2pNetwork.Validation.ACCEPT;
          });
    }

    Multiaddr addr() {
      return host.listenAddresses().get(0);
    }
  }

  static HostConfig config() {
    return HostConfig.defaults().withGossip(GossipConfig.forTests());
  }

  /** Message {@code n}: its number and the nanoTime it was published at. */
  static byte[] message(int n) {
    return ByteBuffer.allocate(12).putInt(n).putLong(System.nanoTime()).array();
  }

  @Test
  void everyMessageReachesEveryNodeAndARestartedNodeRejoins() throws Exception {
    List<Node> nodes = new ArrayList<>();
    for (int i = 0; i < NODES; i++) {
      nodes.add(new Node(PeerKey.generate()));
    }
    try {
      for (Node n : nodes) {
        n.start();
      }
      for (int i = 0; i < NODES; i++) {
        for (int step : new int[] {1, 2, 5}) {
          Node from = nodes.get(i);
          Node to = nodes.get((i + step) % NODES);
          from.host.connect(to.addr()).get(30, TimeUnit.SECONDS);
        }
      }
      awaitMeshes(nodes);

      // 100 messages from every node in turn, 10 ms apart.
      Map<Integer, Long> published = new ConcurrentHashMap<>();
      Map<Integer, Integer> author = new ConcurrentHashMap<>();
      for (int m = 0; m < 100; m++) {
        int from = m % NODES;
        byte[] msg = message(m);
        published.put(m, ByteBuffer.wrap(msg).getLong(4));
        author.put(m, from);
        nodes.get(from).host.publish(TOPIC, msg);
        Thread.sleep(10);
      }
      awaitDelivery(nodes, 0, 100, author, -1);
      List<Long> latencies = new ArrayList<>();
      for (int i = 0; i < NODES; i++) {
        Node n = nodes.get(i);
        assertEquals(0, n.duplicates.get(), "node " + i + " delivered a message twice");
        for (int m = 0; m < 100; m++) {
          if (author.get(m) != i) {
            latencies.add(n.arrivals.get(m) - published.get(m));
          } else {
            assertTrue(!n.arrivals.containsKey(m), "a publisher does not deliver its own message");
          }
        }
      }
      Collections.sort(latencies);
      double median = latencies.get(latencies.size() / 2) / 1e6;
      double p99 = latencies.get((int) Math.ceil(latencies.size() * 0.99) - 1) / 1e6;
      System.out.printf(
          "twenty-node gossip: %d deliveries, median %.2f ms, p99 %.2f ms, max %.2f ms%n",
          latencies.size(), median, p99, latencies.get(latencies.size() - 1) / 1e6);
      assertEquals(100 * (NODES - 1), latencies.size());

      // Kill node 7: the others still get everything.
      Node seven = nodes.get(7);
      seven.host.close();
      for (int m = 100; m < 110; m++) {
        author.put(m, 0);
        nodes.get(0).host.publish(TOPIC, message(m));
      }
      awaitDelivery(nodes, 100, 110, author, 7);

      // Restart it with the same key on a new port; it dials two neighbours and rejoins.
      seven.arrivals.clear();
      seven.start();
      seven.host.connect(nodes.get(8).addr()).get(30, TimeUnit.SECONDS);
      seven.host.connect(nodes.get(9).addr()).get(30, TimeUnit.SECONDS);
      awaitMeshes(List.of(seven));
      for (int m = 110; m < 120; m++) {
        author.put(m, 3);
        nodes.get(3).host.publish(TOPIC, message(m));
      }
      awaitDelivery(nodes, 110, 120, author, -1);
      for (int m = 110; m < 120; m++) {
        assertTrue(seven.arrivals.containsKey(m), "the restarted node got message " + m);
      }
      assertEquals(0, seven.duplicates.get());
      // Messages sent while it was down may also reach it, from its neighbours' gossip history.
      System.out.printf(
          "restarted node: %d of the 10 messages sent while it was down recovered by gossip%n",
          seven.arrivals.keySet().stream().filter(m -> m >= 100 && m < 110).count());
    } finally {
      for (Node n : nodes) {
        if (n.host != null) {
          n.host.close();
        }
      }
    }
  }

  /** Until every node has mesh peers for the topic. */
  private static void awaitMeshes(List<Node> nodes) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    for (Node n : nodes) {
      while (n.host.onGossipThread(() -> n.host.router().meshPeers(TOPIC)).size() < 2) {
        if (System.nanoTime() > deadline) {
          throw new AssertionError("no mesh formed at " + n.host.self());
        }
        Thread.sleep(50);
      }
    }
  }

  /** Until every node but the author (and {@code down}) has messages {@code from..to-1}. */
  private static void awaitDelivery(
      List<Node> nodes, int from, int to, Map<Integer, Integer> author, int down)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    for (int i = 0; i < nodes.size(); i++) {
      if (i == down) {
        continue;
      }
      Node n = nodes.get(i);
      for (int m = from; m < to; m++) {
        if (author.get(m) == i) {
          continue;
        }
        while (!n.arrivals.containsKey(m)) {
          if (System.nanoTime() > deadline) {
            throw new AssertionError("node " + i + " never got message " + m);
          }
          Thread.sleep(5);
        }
      }
    }
  }
}
