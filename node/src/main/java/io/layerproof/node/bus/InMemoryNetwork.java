package io.layerproof.node.bus;

import io.layerproof.chain.event.NodeId;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * A simulated network for many nodes in one JVM: partitions, kill and restart, per-message latency
 * and loss. All randomness comes from one seeded {@link Random} consumed in send order, so on a
 * {@link VirtualScheduler} a run is fully reproducible from its seed. Links are FIFO per direction
 * (as a stream is); a message in flight when its link is cut, or its target is killed, is lost.
 */
public final class InMemoryNetwork {
  /** Latency is drawn uniformly from [min, max]; each message is lost with {@code dropRate}. */
  public record LinkModel(Duration minLatency, Duration maxLatency, double dropRate) {
    public LinkModel {
      if (minLatency.isNegative() || maxLatency.compareTo(minLatency) < 0) {
        throw new IllegalArgumentException("need 0 <= minLatency <= maxLatency");
      }
      if (dropRate < 0 || dropRate >= 1) {
        throw new IllegalArgumentException("dropRate must be in [0, 1)");
      }
    }

    public static LinkModel reliable(Duration latency) {
      return new LinkModel(latency, latency, 0);
    }
  }

  private final Scheduler scheduler;
  private final Random random;
  private LinkModel model;
  private final Map<NodeId, Endpoint> live = new TreeMap<>();
  private final Map<NodeId, Integer> side = new HashMap<>();
  private final Map<List<NodeId>, Long> lastArrival = new HashMap<>();
  private long delivered;
  private long dropped;

  public InMemoryNetwork(Scheduler scheduler, long seed, LinkModel model) {
    this.scheduler = scheduler;
    this.random = new Random(seed);
    this.model = model;
  }

  public void setModel(LinkModel model) {
    this.model = model;
  }

  public LinkModel model() {
    return model;
  }

  /** Connects {@code id} (first start or restart) and returns its endpoint. */
  public Bus join(NodeId id) {
    if (live.containsKey(id)) {
      throw new IllegalStateException(id + " is already connected");
    }
    Set<NodeId> before = reachableFrom(id);
    Endpoint e = new Endpoint(id);
    live.put(id, e);
    for (NodeId peer : before) {
      if (reachable(id, peer)) {
        live.get(peer).peerEvent(new PeerEvent(id, true));
      }
    }
    return e;
  }

  /** Disconnects {@code id} abruptly: its peers see it go down, messages to it are lost. */
  public void kill(NodeId id) {
    Set<NodeId> peers = reachableFrom(id);
    if (live.remove(id) == null) {
      throw new IllegalStateException(id + " is not connected");
    }
    for (NodeId peer : peers) {
      live.get(peer).peerEvent(new PeerEvent(id, false));
    }
  }

  /** Cuts the network into {@code sides}; nodes named in none form one more side together. */
  @SafeVarargs
  public final void partition(Set<NodeId>... sides) {
    Map<NodeId, Integer> next = new HashMap<>();
    for (int i = 0; i < sides.length; i++) {
      for (NodeId n : sides[i]) {
        next.put(n, i + 1);
      }
    }
    regroup(next);
  }

  public void heal() {
    regroup(Map.of());
  }

  public boolean isLive(NodeId id) {
    return live.containsKey(id);
  }

  public Set<NodeId> liveNodes() {
    return new TreeSet<>(live.keySet());
  }

  public boolean reachable(NodeId a, NodeId b) {
    return live.containsKey(a)
        && live.containsKey(b)
        && side.getOrDefault(a, 0).equals(side.getOrDefault(b, 0));
  }

  public long deliveredCount() {
    return delivered;
  }

  public long droppedCount() {
    return dropped;
  }

  private Set<NodeId> reachableFrom(NodeId id) {
    Set<NodeId> out = new TreeSet<>();
    for (NodeId peer : live.keySet()) {
      if (!peer.equals(id) && side.getOrDefault(peer, 0).equals(side.getOrDefault(id, 0))) {
        out.add(peer);
      }
    }
    return out;
  }

  private void regroup(Map<NodeId, Integer> next) {
    List<NodeId> nodes = new ArrayList<>(live.keySet());
    Map<NodeId, Integer> old = new HashMap<>(side);
    side.clear();
    side.putAll(next);
    for (NodeId a : nodes) {
      for (NodeId b : nodes) {
        if (a.equals(b)) {
          continue;
        }
        boolean was = old.getOrDefault(a, 0).equals(old.getOrDefault(b, 0));
        boolean is = reachable(a, b);
        if (was != is) {
          live.get(a).peerEvent(new PeerEvent(b, is));
        }
      }
    }
  }

  private void transmit(Endpoint from, NodeId to, Topic topic, byte[] payload) {
    if (to.equals(from.id)) {
      byte[] copy = payload.clone();
      scheduler.execute(() -> deliver(from, from, topic, copy));
      return;
    }
    if (!reachable(from.id, to)) {
      dropped++;
      return;
    }
    if (model.dropRate() > 0 && random.nextDouble() < model.dropRate()) {
      dropped++;
      return;
    }
    long min = model.minLatency().toMillis();
    long spread = model.maxLatency().toMillis() - min;
    long at = scheduler.nowMillis() + min + (spread == 0 ? 0 : random.nextInt((int) spread + 1));
    List<NodeId> link = List.of(from.id, to);
    at = Math.max(at, lastArrival.getOrDefault(link, 0L));
    lastArrival.put(link, at);
    Endpoint target = live.get(to);
    byte[] copy = payload.clone();
    scheduler.schedule(
        Duration.ofMillis(at - scheduler.nowMillis()), () -> deliver(from, target, topic, copy));
  }

  private void deliver(Endpoint from, Endpoint target, Topic topic, byte[] payload) {
    // Lost if either end died (or restarted as a new endpoint) or the link was cut meanwhile.
    boolean intact =
        live.get(target.id) == target
            && live.get(from.id) == from
            && (from == target || reachable(from.id, target.id));
    if (!intact) {
      dropped++;
      return;
    }
    delivered++;
    for (Consumer<Inbound> h : target.handlers.getOrDefault(topic, List.of())) {
      h.accept(new Inbound(from.id, topic, payload));
    }
  }

  private final class Endpoint implements Bus {
    final NodeId id;
    final Map<Topic, List<Consumer<Inbound>>> handlers = new HashMap<>();
    final List<Consumer<PeerEvent>> peerListeners = new ArrayList<>();

    Endpoint(NodeId id) {
      this.id = id;
    }

    @Override
    public NodeId self() {
      return id;
    }

    @Override
    public void publish(Topic topic, byte[] payload) {
      for (NodeId peer : reachableFrom(id)) {
        transmit(this, peer, topic, payload);
      }
    }

    @Override
    public void send(NodeId to, Topic topic, byte[] payload) {
      transmit(this, to, topic, payload);
    }

    @Override
    public void subscribe(Topic topic, Consumer<Inbound> handler) {
      handlers.computeIfAbsent(topic, t -> new ArrayList<>()).add(handler);
    }

    @Override
    public void onPeerEvent(Consumer<PeerEvent> listener) {
      peerListeners.add(listener);
      for (NodeId peer : reachableFrom(id)) {
        scheduler.execute(
            () -> {
              if (live.get(id) == this) {
                listener.accept(new PeerEvent(peer, true));
              }
            });
      }
    }

    void peerEvent(PeerEvent event) {
      scheduler.execute(
          () -> {
            if (live.get(id) == this) {
              for (Consumer<PeerEvent> l : List.copyOf(peerListeners)) {
                l.accept(event);
              }
            }
          });
    }
  }
}
