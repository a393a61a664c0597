package io.layerproof.node.sequencing;

import io.layerproof.chain.event.Bytes32;
import io.layerproof.chain.event.NodeId;
import io.layerproof.node.bus.Bus;
import io.layerproof.node.bus.InMemoryNetwork;
import io.layerproof.node.bus.InMemoryNetwork.LinkModel;
import io.layerproof.node.bus.Membership;
import io.layerproof.node.bus.Rejections;
import io.layerproof.node.bus.ScopedScheduler;
import io.layerproof.node.bus.VirtualScheduler;
import io.layerproof.node.election.ElectionConfig;
import io.layerproof.node.election.ElectionResult;
import io.layerproof.node.election.ElectionService;
import io.layerproof.node.election.ElectionStore;
import io.layerproof.node.election.InMemoryElectionStore;
import io.layerproof.node.election.Session;
import io.layerproof.node.sequencing.SequencingConfig.Backoffs;
import io.layerproof.node.testing.TestIds;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

/**
 * Five (or n) complete nodes, election and sequencing, on one {@link InMemoryNetwork} and one
 * {@link VirtualScheduler}, anchoring to one {@link AnchorContract}. Everything is driven by the
 * seed: a failing run replays exactly.
 */
final class SimCluster {
  /** What a node stands on: its identity, its durable log, the event format and the chain. */
  interface Backend {
    NodeId id(int i);

    /** The node's durable log, created once and kept across its restarts. */
    OrderedLog log(NodeId id);

    /** The node's anchor mark and pin, created once and kept across its restarts. */
    default SequencingStore sequencingStore(NodeId id) {
      return new InMemorySequencingStore();
    }

    EventFormat format();

    Anchoring anchoring(NodeId id, SimCluster cluster);

    /** The payload of {@code id}'s event number {@code seq}, saying {@code text}. */
    byte[] payload(NodeId id, long seq, String text);

    /** Called once a node (incarnation) has started. */
    default void started(SimNode node, SimCluster cluster) {}
  }

  /** Named ids, in-memory logs, opaque payloads and the {@link AnchorContract} double. */
  static final class InMemoryBackend implements Backend {
    final AnchorContract contract = new AnchorContract();

    @Override
    public NodeId id(int i) {
      return TestIds.named("n" + i);
    }

    @Override
    public OrderedLog log(NodeId id) {
      return new InMemoryOrderedLog();
    }

    @Override
    public EventFormat format() {
      return EventFormat.OPAQUE;
    }

    @Override
    public Anchoring anchoring(NodeId id, SimCluster c) {
      return new ContractAnchoring(
          contract, id, c.clock, c.settings.chainLatency(), c.random, c.settings.anchorFailRate());
    }

    @Override
    public byte[] payload(NodeId id, long seq, String text) {
      return text.getBytes(StandardCharsets.UTF_8);
    }
  }

  /** Everything that shapes a run. */
  record Settings(
      long seed,
      LinkModel link,
      ElectionConfig election,
      SequencingConfig sequencing,
      Duration chainLatency,
      double anchorFailRate) {

    static Settings defaults(long seed) {
      return new Settings(
          seed,
          new LinkModel(Duration.ofMillis(2), Duration.ofMillis(10), 0),
          new ElectionConfig(Duration.ofMillis(300), Duration.ofMillis(50)),
          new SequencingConfig(
              32,
              8,
              Duration.ofMillis(200),
              Duration.ofMillis(100),
              Duration.ofMillis(300),
              1,
              Duration.ofSeconds(3),
              new Backoffs(Duration.ofMillis(50), Duration.ofMillis(800)),
              new Backoffs(Duration.ofMillis(30), Duration.ofMillis(500)),
              new Backoffs(Duration.ofMillis(100), Duration.ofMillis(1000)),
              1024),
          Duration.ofMillis(40),
          0);
    }

    Settings withLink(LinkModel l) {
      return new Settings(seed, l, election, sequencing, chainLatency, anchorFailRate);
    }

    Settings withAnchorFailRate(double r) {
      return new Settings(seed, link, election, sequencing, chainLatency, r);
    }
  }

  /** One running incarnation of a node. */
  final class SimNode {
    final NodeId id;
    final ScopedScheduler scheduler;
    final Bus bus;
    final ElectionService election;
    final SequencingNode sequencing;
    final List<ElectionResult> results = new ArrayList<>();

    SimNode(NodeId id) {
      this.id = id;
      this.scheduler = new ScopedScheduler(clock);
      this.bus = net.join(id);
      Rejections r =
          rejections.andThen((at, from, why) -> rejected.add(at + "<-" + from + ": " + why));
      this.election =
          new ElectionService(bus, scheduler, membership, stores.get(id), settings.election(), r);
      this.sequencing =
          new SequencingNode(
              bus,
              scheduler,
              membership,
              election,
              logs.get(id),
              sequencingStores.get(id),
              backend.format(),
              backend.anchoring(id, SimCluster.this),
              settings.sequencing(),
              r);
      election.onResult(results::add);
    }

    void start() {
      election.start();
      sequencing.start();
    }

    Producer producer() {
      return sequencing.producer();
    }
  }

  final VirtualScheduler clock = new VirtualScheduler();
  final Settings settings;
  final InMemoryNetwork net;
  final Backend backend;

  /** The anchor double, when the cluster runs on the in-memory backend (else null). */
  final AnchorContract contract;

  final Membership membership;
  final List<NodeId> ids = new ArrayList<>();
  final Random random;
  final Map<NodeId, ElectionStore> stores = new HashMap<>();
  final Map<NodeId, OrderedLog> logs = new HashMap<>();
  final Map<NodeId, SequencingStore> sequencingStores = new HashMap<>();
  final Map<NodeId, SimNode> running = new TreeMap<>();
  final List<String> rejected = new ArrayList<>();

  /** Reasons are logged as in production (quiet in tests) and kept for assertions. */
  final Rejections rejections = Rejections.logging();

  /** Every payload each producer made for each of its numbers (more than one after a renumber). */
  final Map<ProducerId, Map<Long, List<byte[]>>> produced = new LinkedHashMap<>();

  /** How many events each producer was asked to submit: the text of the next one. */
  private final Map<ProducerId, Integer> submitted = new HashMap<>();

  /** For incarnations that were killed: how far they had seen their events anchored. */
  final Map<ProducerId, Long> anchoredAtDeath = new HashMap<>();

  private final Set<NodeId> traffic = new HashSet<>();
  private Duration trafficInterval = Duration.ZERO;

  SimCluster(int n, Settings settings) {
    this(n, settings, id -> new InMemoryElectionStore());
  }

  SimCluster(int n, Settings settings, Function<NodeId, ElectionStore> storeFactory) {
    this(n, settings, storeFactory, new InMemoryBackend());
  }

  SimCluster(
      int n, Settings settings, Function<NodeId, ElectionStore> storeFactory, Backend backend) {
    this.settings = settings;
    this.backend = backend;
    this.contract = backend instanceof InMemoryBackend b ? b.contract : null;
    this.random = new Random(settings.seed() * 31 + 7);
    this.net = new InMemoryNetwork(clock, settings.seed(), settings.link());
    for (int i = 1; i <= n; i++) {
      NodeId id = backend.id(i);
      ids.add(id);
      stores.put(id, storeFactory.apply(id));
      logs.put(id, backend.log(id));
      sequencingStores.put(id, backend.sequencingStore(id));
    }
    this.membership = Membership.of(new HashSet<>(ids));
  }

  void startAll() {
    for (NodeId id : ids) {
      start(id);
    }
  }

  SimNode start(NodeId id) {
    SimNode node = new SimNode(id);
    running.put(id, node);
    node.start();
    backend.started(node, this);
    return node;
  }

  void kill(NodeId id) {
    SimNode node = running.remove(id);
    anchoredAtDeath.put(node.producer().id(), node.producer().anchoredUpTo());
    node.scheduler.close();
    net.kill(id);
  }

  SimNode restart(NodeId id) {
    kill(id);
    return start(id);
  }

  SimNode node(NodeId id) {
    return running.get(id);
  }

  /** Submits {@code count} events from {@code id}'s producer now. */
  void produce(NodeId id, int count) {
    SimNode node = running.get(id);
    for (int i = 0; i < count; i++) {
      ProducerId p = node.producer().id();
      int n = submitted.merge(p, 1, Integer::sum);
      String text = TestIds.name(p.node()) + "#" + p.incarnation() + "/" + n;
      Map<Long, List<byte[]>> made = produced.computeIfAbsent(p, k -> new HashMap<>());
      long before = node.producer().lastSubmitted();
      long seq =
          node.producer()
              .submit(
                  number -> {
                    byte[] payload = backend.payload(id, number, text);
                    made.computeIfAbsent(number, k -> new ArrayList<>()).add(payload);
                    return payload;
                  });
      if (seq != before + 1) {
        throw new AssertionError("producer numbered " + seq + ", expected " + (before + 1));
      }
    }
  }

  /** Every live node in {@code nodes} submits one event every {@code interval}. */
  void startTraffic(Set<NodeId> nodes, Duration interval) {
    traffic.clear();
    traffic.addAll(nodes);
    boolean wasIdle = trafficInterval.isZero();
    trafficInterval = interval;
    if (wasIdle) {
      clock.schedule(interval, this::trafficTick);
    }
  }

  void stopTraffic() {
    traffic.clear();
    trafficInterval = Duration.ZERO;
  }

  private void trafficTick() {
    if (trafficInterval.isZero()) {
      return;
    }
    for (NodeId id : traffic) {
      if (running.containsKey(id)) {
        produce(id, 1);
      }
    }
    clock.schedule(trafficInterval, this::trafficTick);
  }

  void runFor(Duration d) {
    clock.runFor(d);
  }

  boolean runUntil(BooleanSupplier condition, Duration timeout) {
    return clock.runUntil(condition, timeout);
  }

  long now() {
    return clock.nowMillis();
  }

  // ---- observations ----

  Set<NodeId> activeSequencers() {
    Set<NodeId> out = new TreeSet<>();
    running.forEach(
        (id, n) -> {
          if (n.sequencing.isActiveSequencer()) {
            out.add(id);
          }
        });
    return out;
  }

  /** The session every node in {@code nodes} agrees on, if they all agree. */
  Optional<Session> agreedSession(Set<NodeId> nodes) {
    Session first = null;
    for (NodeId id : nodes) {
      SimNode n = running.get(id);
      if (n == null) {
        return Optional.empty();
      }
      Optional<Session> s = n.sequencing.session();
      if (s.isEmpty() || n.election.state().campaigning()) {
        return Optional.empty();
      }
      if (first == null) {
        first = s.get();
      } else if (!first.equals(s.get())) {
        return Optional.empty();
      }
    }
    return Optional.ofNullable(first);
  }

  Optional<Session> agreedSession() {
    return agreedSession(running.keySet());
  }

  /** All live nodes agree on one session whose sequencer is live and the only active one. */
  boolean settled() {
    Optional<Session> s = agreedSession();
    return s.isPresent() && activeSequencers().equals(Set.of(s.get().sequencer()));
  }

  /** Settled, every live log equal, and every live producer's events anchored. */
  boolean quiescent() {
    if (!settled()) {
      return false;
    }
    Set<Bytes32> hashes = new HashSet<>();
    for (SimNode n : running.values()) {
      hashes.add(n.sequencing.stateHash());
      if (n.producer().pending() > 0) {
        return false;
      }
    }
    return hashes.size() == 1;
  }

  Map<NodeId, Bytes32> stateHashes() {
    Map<NodeId, Bytes32> out = new TreeMap<>();
    running.forEach((id, n) -> out.put(id, n.sequencing.stateHash()));
    return out;
  }

  List<LogEntry> entries(NodeId id) {
    return logs.get(id).read(0, Integer.MAX_VALUE);
  }

  /**
   * Checks {@code id}'s log against what producers submitted: each producer's events appear once,
   * in its own order, with the payload it submitted; live producers' events are all there; a killed
   * producer's are there at least up to what it had seen anchored. Returns problems found.
   */
  List<String> exactlyOnceProblems(NodeId id) {
    List<String> problems = new ArrayList<>();
    Map<ProducerId, Long> seen = new HashMap<>();
    for (LogEntry e : entries(id)) {
      ProducerEvent ev = e.event();
      long expected = seen.getOrDefault(ev.producer(), 0L) + 1;
      if (ev.seq() != expected) {
        problems.add(
            ev.producer() + " seq " + ev.seq() + " at " + e.index() + ", expected " + expected);
      }
      seen.put(ev.producer(), ev.seq());
      List<byte[]> sent = produced.getOrDefault(ev.producer(), Map.of()).get(ev.seq());
      if (sent == null) {
        problems.add("entry " + e.index() + " was never submitted: " + ev);
      } else if (sent.stream().noneMatch(b -> Arrays.equals(b, ev.payload()))) {
        problems.add("entry " + e.index() + " payload differs from what was submitted");
      }
    }
    Map<ProducerId, Long> live = new HashMap<>();
    running.values().forEach(n -> live.put(n.producer().id(), n.producer().lastSubmitted()));
    produced.forEach(
        (p, sent) -> {
          long have = seen.getOrDefault(p, 0L);
          long need = live.getOrDefault(p, anchoredAtDeath.getOrDefault(p, 0L));
          if (have < need) {
            problems.add(p + " has " + have + " events in the log, needs " + need);
          }
        });
    return problems;
  }

  int totalProduced() {
    return submitted.values().stream().mapToInt(Integer::intValue).sum();
  }
}
