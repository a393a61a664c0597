package io.layerproof.p2p.pubsub;

import com.google.protobuf.ByteString;
import io.layerproof.p2p.identity.PeerId;
import io.layerproof.p2p.identity.PeerKey;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.BiPredicate;

/**
 * An in-memory network of routers on one virtual clock. Every RPC is encoded, carried with a fixed
 * latency and decoded, as it would be on a stream. Records, per node and message, the delivery
 * count, the time and the hop count of the first delivery.
 */
final class SimNetwork {

  static final String TOPIC = "/layerproof/test";

  final VirtualScheduler clock = new VirtualScheduler();
  final RpcCodec codec = new RpcCodec();
  final Random random;
  final GossipConfig config;
  final long latencyMs;
  final Map<PeerId, Node> nodes = new HashMap<>();
  final Set<Set<PeerId>> links = new HashSet<>();
  final Map<ByteString, Long> publishedAt = new HashMap<>();

  /** Return true to strip the messages from an RPC on (from, to): a lossy link. */
  BiPredicate<PeerId, PeerId> dropMessages = (from, to) -> false;

  final class Node {
    final PeerKey key;
    final PeerId id;
    GossipRouter router;
    final Map<ByteString, Integer> deliveries = new HashMap<>();
    final Map<ByteString, Integer> hops = new HashMap<>();
    final Map<ByteString, Long> deliveredAt = new HashMap<>();

    Node(PeerKey key) {
      this.key = key;
      this.id = key.peerId();
    }

    void start(boolean subscribe) {
      router =
          new GossipRouter(
              key,
              config,
              clock,
              (to, rpc) -> send(id, to, rpc),
              new Random(random.nextLong()),
              MessageIdFunction.FROM_AND_SEQNO,
              new SeqnoGenerator(random.nextLong() >>> 1));
      if (subscribe) {
        router.subscribe(
            TOPIC,
            (topic, m) -> {
              ByteString mid = MessageIdFunction.FROM_AND_SEQNO.apply(m);
              deliveries.merge(mid, 1, Integer::sum);
              deliveredAt.putIfAbsent(mid, clock.nowMillis());
            });
      }
      // Heartbeats are staggered, as on real machines.
      clock.schedule(router::start, random.nextInt((int) config.heartbeatInterval().toMillis()));
    }
  }

  SimNetwork(long seed, GossipConfig config, long latencyMs) {
    this.random = new Random(seed);
    this.config = config;
    this.latencyMs = latencyMs;
  }

  Node addNode() {
    byte[] seed = new byte[32];
    random.nextBytes(seed);
    Node n = new Node(PeerKey.ofSeed(seed));
    nodes.put(n.id, n);
    return n;
  }

  /** {@code a} dials {@code b}. */
  void connect(Node a, Node b) {
    if (a == b || !links.add(Set.of(a.id, b.id))) {
      return;
    }
    a.router.addPeer(b.id, true);
    b.router.addPeer(a.id, false);
  }

  /** Links a puppet (an identity with no router, driven by {@link #inject}) to {@code n}. */
  void linkPuppet(PeerId puppet, Node n) {
    links.add(Set.of(puppet, n.id));
    n.router.addPeer(puppet, false);
  }

  boolean linked(PeerId a, PeerId b) {
    return links.contains(Set.of(a, b));
  }

  int degree(Node n) {
    return (int) links.stream().filter(l -> l.contains(n.id)).count();
  }

  List<Node> neighbours(Node n) {
    List<Node> out = new ArrayList<>();
    for (Set<PeerId> l : links) {
      if (l.contains(n.id)) {
        for (PeerId p : l) {
          if (!p.equals(n.id)) {
            out.add(nodes.get(p));
          }
        }
      }
    }
    return out;
  }

  /** Takes {@code n} off the network: every link closes, its peers forget it. */
  void kill(Node n) {
    n.router.stop();
    for (Node other : neighbours(n)) {
      links.remove(Set.of(n.id, other.id));
      if (other.router != null) {
        other.router.removePeer(n.id);
      }
    }
    n.router = null;
  }

  PubsubMessage publish(Node from, String text) {
    PubsubMessage m =
        from.router.publish(TOPIC, text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    ByteString mid = MessageIdFunction.FROM_AND_SEQNO.apply(m);
    publishedAt.put(mid, clock.nowMillis());
    from.hops.put(mid, 0);
    return m;
  }

  /** Sends a hand-made RPC from {@code from} (a router or a puppet without one). */
  void inject(PeerId from, PeerId to, Rpc rpc) {
    send(from, to, rpc);
  }

  private void send(PeerId from, PeerId to, Rpc rpc) {
    if (!linked(from, to)) {
      return;
    }
    Rpc carried =
        dropMessages.test(from, to) && !rpc.messages().isEmpty()
            ? new Rpc(rpc.subscriptions(), List.of(), rpc.control())
            : rpc;
    if (carried.isEmpty()) {
      return;
    }
    byte[] wire = codec.encodeFramed(carried);
    Node sender = nodes.get(from);
    Map<ByteString, Integer> hopCount = new HashMap<>();
    for (PubsubMessage m : carried.messages()) {
      ByteString mid = MessageIdFunction.FROM_AND_SEQNO.apply(m);
      int before = sender == null ? 0 : sender.hops.getOrDefault(mid, 0);
      hopCount.put(mid, before + 1);
    }
    clock.schedule(
        () -> {
          Node target = nodes.get(to);
          if (target == null || target.router == null || !linked(from, to)) {
            return;
          }
          for (Map.Entry<ByteString, Integer> e : hopCount.entrySet()) {
            target.hops.putIfAbsent(e.getKey(), e.getValue());
          }
          for (Rpc r : new RpcFrameDecoder(codec).feed(wire)) {
            target.router.onRpc(from, r);
          }
        },
        latencyMs);
  }

  /**
   * A random sparse topology: every node gets at least {@code degree} links, none more than {@code
   * max}.
   */
  void randomTopology(List<Node> all, int degree, int max) {
    for (Node n : all) {
      int guard = 0;
      while (degree(n) < degree && guard++ < 1000) {
        Node other = all.get(random.nextInt(all.size()));
        if (other != n && !linked(n.id, other.id) && degree(other) < max) {
          connect(n, other);
        }
      }
    }
  }
}
