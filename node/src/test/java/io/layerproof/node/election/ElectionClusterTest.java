package io.layerproof.node.election;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.layerproof.chain.event.NodeId;
import io.layerproof.node.bus.Bus;
import io.layerproof.node.bus.InMemoryNetwork;
import io.layerproof.node.bus.InMemoryNetwork.LinkModel;
import io.layerproof.node.bus.Membership;
import io.layerproof.node.bus.ScopedScheduler;
import io.layerproof.node.bus.VirtualScheduler;
import io.layerproof.node.testing.TestIds;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The election alone, on the in-memory bus in virtual time: nodes start, restart and misbehave. */
class ElectionClusterTest {
  private static final Duration MAX_LATENCY = Duration.ofMillis(10);
  private static final ElectionConfig CONFIG =
      new ElectionConfig(Duration.ofMillis(300), Duration.ofMillis(50));

  @TempDir Path dir;

  /** n election nodes plus the means to kill, restart and impersonate them. */
  private static final class Sim {
    final VirtualScheduler clock = new VirtualScheduler();
    final InMemoryNetwork net =
        new InMemoryNetwork(clock, 7, new LinkModel(Duration.ofMillis(2), MAX_LATENCY, 0));
    final Membership membership;
    final Map<NodeId, ElectionStore> stores = new HashMap<>();
    final Map<NodeId, Node> nodes = new TreeMap<>();
    final List<String> rejected = new ArrayList<>();

    final class Node {
      final ScopedScheduler scheduler = new ScopedScheduler(clock);
      final Bus bus;
      final ElectionService election;
      final List<ElectionResult> results = new ArrayList<>();

      Node(NodeId id) {
        bus = net.join(id);
        election =
            new ElectionService(
                bus,
                scheduler,
                membership,
                stores.get(id),
                CONFIG,
                (at, from, why) ->
                    rejected.add(TestIds.name(at) + "<-" + TestIds.name(from) + ": " + why));
        election.onResult(results::add);
        election.start();
      }
    }

    Sim(int members, Function<NodeId, ElectionStore> stores) {
      Set<NodeId> ids = new HashSet<>();
      for (int i = 1; i <= members; i++) {
        NodeId id = TestIds.named("n" + i);
        ids.add(id);
        this.stores.put(id, stores.apply(id));
      }
      membership = Membership.of(ids);
    }

    Node start(String id) {
      Node n = new Node(TestIds.named(id));
      nodes.put(TestIds.named(id), n);
      return n;
    }

    void kill(String id) {
      nodes.remove(TestIds.named(id)).scheduler.close();
      net.kill(TestIds.named(id));
    }

    Node node(String id) {
      return nodes.get(TestIds.named(id));
    }

    /** The session all live nodes agree on, none campaigning, exactly one calling itself it. */
    Optional<Session> settled() {
      Set<Session> sessions = new HashSet<>();
      int selfBelieved = 0;
      for (Node n : nodes.values()) {
        ElectionState s = n.election.state();
        if (s.campaigning() || s.session() == null) {
          return Optional.empty();
        }
        sessions.add(s.session());
        selfBelieved += s.isSequencer() ? 1 : 0;
      }
      return sessions.size() == 1 && selfBelieved == 1
          ? Optional.of(sessions.iterator().next())
          : Optional.empty();
    }

    Session settle(Duration within) {
      assertTrue(
          clock.runUntil(() -> settled().isPresent(), within), "did not settle: " + states());
      return settled().orElseThrow();
    }

    String states() {
      StringBuilder sb = new StringBuilder();
      nodes.forEach((id, n) -> sb.append(id).append('=').append(n.election.state()).append('\n'));
      return sb.toString();
    }
  }

  @Test
  void fiveNodesElectExactlyOneSequencerWithinOneCampaign() {
    Sim sim = new Sim(5, id -> new InMemoryElectionStore());
    for (int i = 1; i <= 5; i++) {
      sim.start("n" + i);
    }
    Session s = sim.settle(CONFIG.takeoverBound(MAX_LATENCY));
    // All start equal, so the largest id wins, and earns the 4 candidates it beat.
    assertEquals(TestIds.named("n5"), s.sequencer());
    assertEquals(4, sim.node("n5").election.state().seniority());
    sim.clock.runFor(Duration.ofSeconds(5));
    assertEquals(Optional.of(s), sim.settled(), "quiet network, no further elections");
  }

  @Test
  void aRestartedNodeOrANewcomerWithALargerIdDoesNotDisplaceTheEstablishedSequencer() {
    Sim sim = new Sim(6, id -> new InMemoryElectionStore());
    for (int i = 1; i <= 5; i++) {
      sim.start("n" + i);
    }
    Session s = sim.settle(Duration.ofSeconds(2));
    Map<String, Integer> resultsBefore = new HashMap<>();
    sim.nodes.forEach((id, n) -> resultsBefore.put(TestIds.name(id), n.results.size()));

    sim.kill("n2");
    Sim.Node restarted = sim.start("n2");
    Sim.Node newcomer = sim.start("n6"); // "n6" > "n5": on id alone it would win
    sim.clock.runFor(Duration.ofSeconds(3));

    assertEquals(Optional.of(s), sim.settled(), sim.states());
    for (String id : List.of("n1", "n3", "n4", "n5")) {
      List<ElectionResult> later =
          sim.node(id).results.subList(resultsBefore.get(id), sim.node(id).results.size());
      assertTrue(!later.isEmpty(), id + " took part in the new rounds");
      assertTrue(
          later.stream().noneMatch(ElectionResult::newSession), id + " had to re-sync: " + later);
    }
    for (Sim.Node n : List.of(restarted, newcomer)) {
      assertTrue(!n.results.isEmpty());
      assertTrue(
          n.results.stream().allMatch(r -> r.session().equals(s)),
          "never believed anyone else sequencer (EXO starts as its own master): " + n.results);
    }
  }

  @Test
  void clockAndSenioritySurviveARestart() {
    Sim sim = new Sim(5, id -> new FileElectionStore(dir.resolve(TestIds.name(id) + ".election")));
    for (int i = 1; i <= 5; i++) {
      sim.start("n" + i);
    }
    Session first = sim.settle(Duration.ofSeconds(2));
    NodeId senior = first.sequencer();
    long clockBefore = sim.node(TestIds.name(senior)).election.state().clock();
    assertEquals(4, sim.node(TestIds.name(senior)).election.state().seniority());

    sim.kill(TestIds.name(senior));
    Session second = sim.settle(CONFIG.takeoverBound(MAX_LATENCY));
    assertTrue(!second.sequencer().equals(senior));
    assertEquals(3, sim.nodes.get(second.sequencer()).election.state().seniority(), "beat 3");

    Sim.Node back = sim.start(TestIds.name(senior)); // a new process reading the same file
    ElectionState loaded = back.election.state();
    assertEquals(4, loaded.seniority(), "seniority read back from disk");
    assertTrue(loaded.clock() > clockBefore, "clock continues past " + clockBefore + ": " + loaded);

    // With its seniority intact it outranks the stand-in (4 > 3) and takes its role back; with
    // EXO's reset to 0 it would have lost to every other node.
    Session third = sim.settle(Duration.ofSeconds(3));
    assertEquals(senior, third.sequencer());
  }

  @Test
  void badElectionInputIsIgnoredWithALoggedReason() {
    Sim sim = new Sim(5, id -> new InMemoryElectionStore());
    for (int i = 1; i <= 5; i++) {
      sim.start("n" + i);
    }
    Session s = sim.settle(Duration.ofSeconds(2));
    Map<NodeId, Long> clocks = new HashMap<>();
    sim.nodes.forEach((id, n) -> clocks.put(id, n.election.state().clock()));
    long clock = clocks.get(TestIds.named("n1"));

    Bus mallory = sim.net.join(TestIds.named("mallory"));
    mallory.publish(
        ElectionService.TOPIC,
        ElectionCodec.encode(
            new ElectionMessage(clock + 100, 1000, 0, TestIds.named("mallory"), 0)));
    Bus n1 = sim.node("n1").bus;
    n1.publish(ElectionService.TOPIC, new byte[] {'E', 1, 0, 0});
    n1.publish(
        ElectionService.TOPIC,
        ElectionCodec.encode(new ElectionMessage(0, 9, 9, TestIds.named("n1"), 0)));
    n1.publish(
        ElectionService.TOPIC,
        ElectionCodec.encode(new ElectionMessage(clock + 100, 9, 9, TestIds.named("n2"), 0)));
    sim.clock.runFor(Duration.ofSeconds(1));

    for (String reason :
        List.of(
            "n2<-mallory: election message from unknown sender",
            "n2<-n1: malformed election message: truncated",
            "n2<-n1: stale clock 0 < " + clock,
            "n2<-n1: election message names node " + TestIds.named("n2") + ", not its sender")) {
      assertTrue(
          sim.rejected.stream().anyMatch(r -> r.startsWith(reason)),
          "missing '" + reason + "' in " + sim.rejected);
    }
    sim.nodes.forEach(
        (id, n) -> assertEquals(clocks.get(id), n.election.state().clock(), id + "'s clock moved"));
    assertEquals(Optional.of(s), sim.settled());
  }
}
