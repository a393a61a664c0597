package io.layerproof.node.sequencing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.layerproof.chain.event.NodeId;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The halt window: a sequencer dies with its anchor transaction in flight, the only nodes holding
 * that batch re-sync to a sequencer whose log lacks it, and then the transaction lands. Without
 * pins the chain holds a batch no live node can produce and every later anchor is refused.
 */
class AnchorInFlightTest {
  private static final Duration INCLUSION_DELAY = Duration.ofSeconds(4);

  /**
   * Five settled nodes cut 3|2 on a slow chain: the majority (the sequencer and two followers, the
   * "holders") indexes a short batch and proposes it, the minority elects its own sequencer and
   * indexes a longer log it may not anchor yet (minority delay).
   */
  private record Cut(SimCluster c, NodeId old, Set<NodeId> holders, NodeId rival, long batch) {
    static Cut make() {
      SimCluster c = new SimCluster(5, SimCluster.Settings.defaults(11));
      c.startAll();
      assertTrue(c.runUntil(c::settled, Duration.ofSeconds(2)));
      for (NodeId id : c.ids) {
        c.produce(id, 3);
      }
      assertTrue(c.runUntil(c::quiescent, Duration.ofSeconds(5)), describe(c));
      NodeId old = c.activeSequencers().iterator().next();
      List<NodeId> others = new ArrayList<>(c.ids);
      others.remove(old);
      Set<NodeId> holders = new TreeSet<>(others.subList(0, 2));
      Set<NodeId> majority = new TreeSet<>(holders);
      majority.add(old);
      Set<NodeId> minority = new TreeSet<>(others.subList(2, 4));
      long batch = c.contract.batches().size(); // the one the old sequencer proposes

      c.contract.setInclusionDelay(INCLUSION_DELAY);
      c.net.partition(majority, minority);
      assertTrue(
          c.runUntil(
              () -> c.agreedSession(minority).isPresent() && c.activeSequencers().size() == 2,
              Duration.ofSeconds(2)),
          describe(c));
      NodeId rival = c.agreedSession(minority).orElseThrow().sequencer();
      for (NodeId id : minority) {
        c.produce(id, 15);
      }
      for (NodeId id : majority) {
        c.produce(id, 1);
      }
      return new Cut(c, old, holders, rival, batch);
    }

    /** Heals, runs traffic, and checks that the cluster anchors one history again. */
    void assertRecovers() {
      c.net.heal();
      c.startTraffic(new TreeSet<>(c.running.keySet()), Duration.ofMillis(50));
      c.runFor(Duration.ofSeconds(3));
      c.stopTraffic();
      assertTrue(c.runUntil(c::quiescent, Duration.ofSeconds(30)), "halted: " + describe(c));
      assertEquals(1, c.activeSequencers().size());
      assertNotEquals(old, c.activeSequencers().iterator().next());
      assertEquals(1, new HashSet<>(c.stateHashes().values()).size(), c.stateHashes().toString());
      assertTrue(c.contract.batches().size() > batch + 1, "later batches were anchored");
      NodeId any = c.running.keySet().iterator().next();
      assertEquals(List.of(), c.exactlyOnceProblems(any));
      assertEquals(List.of(), LedgerClusterTest.anchoredHistoryProblems(c, any));
    }
  }

  @ParameterizedTest(name = "pin holders restarted meanwhile: {0}")
  @ValueSource(booleans = {false, true})
  void aBatchThatLandsAfterItsSequencerDiedIsRecoveredFromItsPinHolders(boolean restartHolders) {
    Cut cut = Cut.make();
    SimCluster c = cut.c();
    assertTrue(c.runUntil(() -> c.contract.pending() > 0, Duration.ofSeconds(2)), describe(c));

    // The old sequencer dies with its transaction in flight; the cut heals at once, and the
    // rival (senior on its side, with the longer log) goes on sequencing before it lands.
    c.kill(cut.old());
    if (restartHolders) {
      for (NodeId id : cut.holders()) {
        c.restart(id); // pins and marks come back from the SequencingStore
      }
    }
    c.net.heal();
    assertTrue(
        c.runUntil(() -> c.contract.batches().size() > cut.batch(), INCLUSION_DELAY.plusSeconds(1)),
        describe(c));
    assertEquals(cut.old(), c.contract.batch(cut.batch()).sequencer(), "the dead one's batch");
    c.contract.setInclusionDelay(Duration.ZERO);
    cut.assertRecovers();
  }

  @Test
  void aProposalWhoseSequencerDiedBeforeSendingItDoesNotHoldUpARivalHistory() {
    Cut cut = Cut.make();
    SimCluster c = cut.c();
    NodeId holder = cut.holders().iterator().next();
    assertTrue(
        c.runUntil(
            () -> c.node(holder).sequencing.log().pinned().isPresent(), Duration.ofSeconds(2)),
        describe(c));
    assertEquals(0, c.contract.pending());

    // Only the holders, whose pins nothing will ever decide, and the rival are left: the rival
    // must take the pinned history (it lacks it, and they refuse its own) and anchor it.
    c.kill(cut.old());
    for (NodeId id : new ArrayList<>(c.running.keySet())) {
      if (!id.equals(cut.rival()) && !cut.holders().contains(id)) {
        c.kill(id);
      }
    }
    c.contract.setInclusionDelay(Duration.ZERO);
    cut.assertRecovers();
    assertEquals(List.of(), c.contract.reverts(), "taken over, not raced");
  }

  private static String describe(SimCluster c) {
    StringBuilder sb =
        new StringBuilder("t=" + c.now() + " batches=" + c.contract.batches().size());
    sb.append(" reverts=").append(c.contract.reverts()).append('\n');
    c.running.forEach(
        (id, n) ->
            sb.append(id)
                .append(" session=")
                .append(n.sequencing.session().orElse(null))
                .append(n.sequencing.isActiveSequencer() ? " ACTIVE" : "")
                .append(n.sequencing.isStale() ? " STALE" : "")
                .append(" head=")
                .append(n.sequencing.log().head())
                .append(" anchored=")
                .append(n.sequencing.log().anchoredThrough())
                .append(" protected=")
                .append(n.sequencing.log().protectedThrough())
                .append(" pending=")
                .append(n.producer().pending())
                .append('\n'));
    return sb.toString();
  }
}
