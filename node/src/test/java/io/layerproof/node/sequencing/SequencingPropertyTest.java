package io.layerproof.node.sequencing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.layerproof.chain.event.NodeId;
import io.layerproof.node.bus.InMemoryNetwork.LinkModel;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.From;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.Size;

/**
 * Random schedules of kills, restarts, partitions, heals, message loss and failing anchor calls
 * under steady traffic. Whatever happens, once the network heals and every node is back: one
 * sequencer, one log on every node, the anchored batches are that log's, and every producer's
 * events are in it exactly once, in the producer's order.
 */
class SequencingPropertyTest {
  /** One step of a schedule; node numbers are taken modulo the cluster size. */
  sealed interface Action {}

  record Kill(int node) implements Action {}

  record Restart(int node) implements Action {}

  record Partition(int offset, int minoritySize) implements Action {}

  record Heal() implements Action {}

  record Wait(int millis) implements Action {}

  @Provide
  Arbitrary<Action> actions() {
    Arbitrary<Integer> node = Arbitraries.integers().between(0, 4);
    return Arbitraries.frequencyOf(
        Tuple2.of(3, node.map(Kill::new)),
        Tuple2.of(3, node.map(Restart::new)),
        Tuple2.of(
            2, Combinators.combine(node, Arbitraries.integers().between(1, 2)).as(Partition::new)),
        Tuple2.of(2, Arbitraries.just(new Heal())),
        Tuple2.of(5, Arbitraries.integers().between(50, 4000).map(Wait::new)));
  }

  /** jqwik's frequencyOf takes Tuple2s; a tiny alias keeps the table above readable. */
  private static final class Tuple2 {
    static net.jqwik.api.Tuple.Tuple2<Integer, Arbitrary<? extends Action>> of(
        int weight, Arbitrary<? extends Action> a) {
      return net.jqwik.api.Tuple.of(weight, a);
    }
  }

  @Property(tries = 40)
  void anyScheduleEndsInOneSequencerOneLogAndEveryEventOnce(
      @ForAll long seed,
      @ForAll @Size(min = 2, max = 10) List<@From("actions") Action> schedule,
      @ForAll @DoubleRange(min = 0, max = 0.15) double dropRate,
      @ForAll @DoubleRange(min = 0, max = 0.2) double anchorFailRate) {
    runAndCheck(seed, schedule, dropRate, anchorFailRate);
  }

  /**
   * Runs {@code schedule} on five nodes under traffic, then heals, restarts every dead node, stops
   * the traffic and checks the end state.
   */
  static void runAndCheck(
      long seed, List<Action> schedule, double dropRate, double anchorFailRate) {
    SimCluster c =
        new SimCluster(
            5,
            SimCluster.Settings.defaults(seed)
                .withLink(new LinkModel(Duration.ofMillis(1), Duration.ofMillis(15), dropRate))
                .withAnchorFailRate(anchorFailRate));
    c.startAll();
    c.startTraffic(new TreeSet<>(c.ids), Duration.ofMillis(60));
    for (Action a : schedule) {
      apply(c, a);
    }
    c.net.heal();
    for (NodeId id : c.ids) {
      if (!c.running.containsKey(id)) {
        c.start(id);
      }
    }
    c.runFor(Duration.ofSeconds(2));
    c.stopTraffic();

    String trace = "schedule " + schedule + " drop " + dropRate + " anchorFail " + anchorFailRate;
    assertTrue(c.runUntil(c::quiescent, Duration.ofSeconds(60)), "no quiescence: " + trace);
    assertEquals(1, c.activeSequencers().size(), trace);
    assertEquals(1, new HashSet<>(c.stateHashes().values()).size(), trace);
    NodeId any = c.ids.get(0);
    assertEquals(List.of(), c.exactlyOnceProblems(any), trace);
    assertEquals(List.of(), LedgerClusterTest.anchoredHistoryProblems(c, any), trace);
    assertEquals(c.entries(any).size(), batchedEvents(c), "everything anchored: " + trace);
    assertTrue(c.totalProduced() > 0, trace);
  }

  private static long batchedEvents(SimCluster c) {
    return c.contract.batches().stream().mapToLong(AnchorContract.Stored::eventCount).sum();
  }

  static void apply(SimCluster c, Action a) {
    if (a instanceof Kill k) {
      NodeId id = c.ids.get(k.node());
      if (c.running.containsKey(id) && c.running.size() > 1) {
        c.kill(id);
      }
    } else if (a instanceof Restart r) {
      NodeId id = c.ids.get(r.node());
      if (c.running.containsKey(id)) {
        c.restart(id);
      } else {
        c.start(id);
      }
    } else if (a instanceof Partition p) {
      Set<NodeId> minority = new TreeSet<>();
      for (int i = 0; i < p.minoritySize(); i++) {
        minority.add(c.ids.get((p.offset() + i) % c.ids.size()));
      }
      Set<NodeId> majority = new TreeSet<>(c.ids);
      majority.removeAll(minority);
      c.net.partition(majority, minority);
    } else if (a instanceof Heal) {
      c.net.heal();
    } else if (a instanceof Wait w) {
      c.runFor(Duration.ofMillis(w.millis()));
    }
  }
}
