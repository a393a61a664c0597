package io.layerproof.node.sequencing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.layerproof.chain.event.Bytes32;
import io.layerproof.chain.event.NodeId;
import io.layerproof.node.bus.Bus;
import io.layerproof.node.bus.InMemoryNetwork.LinkModel;
import io.layerproof.node.election.Session;
import io.layerproof.node.sequencing.SequencingMessage.EventsIndexed;
import io.layerproof.node.sequencing.SequencingMessage.RequestEventLog;
import io.layerproof.node.sequencing.SequencingMessage.SubmitEvent;
import io.layerproof.node.testing.TestIds;
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
 * Issue 3, Must show 3: five complete nodes (election + sequencing) on the in-memory bus, in
 * virtual time, anchoring to a double of LedgerAnchor's chaining rule.
 */
class LedgerClusterTest {
  private static final Duration MAX_LATENCY = Duration.ofMillis(10);

  private static SimCluster cluster(long seed) {
    SimCluster c = new SimCluster(5, SimCluster.Settings.defaults(seed));
    c.startAll();
    return c;
  }

  private static Set<NodeId> set(SimCluster c) {
    return new TreeSet<>(c.ids);
  }

  /** Stops traffic, lets everything anchor, and checks the end state every test wants. */
  private static void assertConvergedAndComplete(SimCluster c) {
    c.stopTraffic();
    assertTrue(c.runUntil(c::quiescent, Duration.ofSeconds(30)), "no quiescence: " + describe(c));
    assertEquals(1, c.activeSequencers().size());
    assertEquals(1, new HashSet<>(c.stateHashes().values()).size(), c.stateHashes().toString());
    NodeId any = c.running.keySet().iterator().next();
    assertEquals(List.of(), c.exactlyOnceProblems(any));
    assertEquals(List.of(), anchoredHistoryProblems(c, any));
  }

  /** Every anchored batch's root is the root of the same entries in {@code id}'s final log. */
  static List<String> anchoredHistoryProblems(SimCluster c, NodeId id) {
    List<String> problems = new ArrayList<>();
    List<LogEntry> log = c.entries(id);
    long first = 0;
    List<AnchorContract.Stored> batches = c.contract.batches();
    for (int k = 0; k < batches.size(); k++) {
      AnchorContract.Stored b = batches.get(k);
      long last = first + b.eventCount() - 1;
      if (last >= log.size()) {
        problems.add("batch " + k + " ends at " + last + " past the log's end " + (log.size() - 1));
        break;
      }
      if (!ContractAnchoring.rootOf(log.subList((int) first, (int) last + 1)).equals(b.root())) {
        problems.add("batch " + k + " root differs from the log's entries " + first + ".." + last);
      }
      first = last + 1;
    }
    return problems;
  }

  /** Index of the last entry of each anchored batch, by batch number. */
  private static List<Long> batchEnds(SimCluster c) {
    List<Long> ends = new ArrayList<>();
    long next = 0;
    for (AnchorContract.Stored b : c.contract.batches()) {
      next += b.eventCount();
      ends.add(next - 1);
    }
    return ends;
  }

  static String describe(SimCluster c) {
    StringBuilder sb = new StringBuilder("t=" + c.now() + "\n");
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
                .append(" pending=")
                .append(n.producer().pending())
                .append(" ")
                .append(n.election.state().clock())
                .append('/')
                .append(n.election.state().seniority())
                .append('\n'));
    return sb.toString();
  }

  @Test
  void startElectsExactlyOneActiveSequencerAndItStaysOne() {
    SimCluster c = cluster(1);
    assertTrue(
        c.runUntil(
            c::settled,
            c.settings
                .election()
                .takeoverBound(MAX_LATENCY)
                .plus(c.settings.sequencing().catchUpTimeout())),
        describe(c));
    Session s = c.agreedSession().orElseThrow();
    c.startTraffic(set(c), Duration.ofMillis(50));
    for (int i = 0; i < 50; i++) {
      c.runFor(Duration.ofMillis(100));
      assertEquals(Set.of(s.sequencer()), c.activeSequencers(), "at " + c.now());
    }
    assertConvergedAndComplete(c);
    assertTrue(c.contract.batches().size() > 10, "batches were anchored");
    assertTrue(c.contract.reverts().isEmpty(), c.contract.reverts().toString());
  }

  @Test
  void aKilledSequencerIsReplacedWithinTheCampaignTimeoutAndNoEventIsLost() {
    SimCluster c = cluster(2);
    assertTrue(c.runUntil(c::settled, Duration.ofSeconds(2)));
    c.startTraffic(set(c), Duration.ofMillis(50));
    for (int round = 0; round < 2; round++) {
      c.runFor(Duration.ofSeconds(2));
      NodeId old = c.activeSequencers().iterator().next();
      Set<NodeId> survivors = new TreeSet<>(c.running.keySet());
      survivors.remove(old);
      c.kill(old);
      long killedAt = c.now();

      // Agreement on a successor within debounce + one campaign (+ message flight) ...
      assertTrue(
          c.runUntil(
              () -> c.agreedSession(survivors).filter(s -> !s.sequencer().equals(old)).isPresent(),
              c.settings.election().takeoverBound(MAX_LATENCY)),
          "no successor within the bound: " + describe(c));
      long elected = c.now() - killedAt;
      assertTrue(
          elected <= c.settings.election().takeoverBound(MAX_LATENCY).toMillis(), "" + elected);
      // ... and it indexes events once it caught up with its peers' logs.
      assertTrue(c.runUntil(c::settled, c.settings.sequencing().catchUpTimeout()), describe(c));
      c.start(old); // back as a follower
    }
    assertConvergedAndComplete(c);
  }

  @ParameterizedTest(name = "old sequencer in the minority: {0}")
  @ValueSource(booleans = {false, true})
  void inA3To2PartitionOnlyTheMajorityAnchorsAndAfterHealingAllNodesAgree(boolean oldInMinority) {
    SimCluster c = cluster(oldInMinority ? 4 : 3);
    assertTrue(c.runUntil(c::settled, Duration.ofSeconds(2)));
    c.startTraffic(set(c), Duration.ofMillis(40));
    c.runFor(Duration.ofSeconds(2));

    NodeId old = c.activeSequencers().iterator().next();
    List<NodeId> others = new ArrayList<>(c.ids);
    others.remove(old);
    Set<NodeId> minority = new TreeSet<>();
    Set<NodeId> majority = new TreeSet<>();
    (oldInMinority ? minority : majority).add(old);
    for (NodeId id : others) {
      (minority.size() < 2 && (oldInMinority || majority.size() == 3) ? minority : majority)
          .add(id);
    }
    assertEquals(2, minority.size());
    long sharedHead =
        c.running.values().stream().mapToLong(n -> n.sequencing.log().head()).max().orElseThrow();
    int batchesBefore = c.contract.batches().size();
    c.net.partition(majority, minority);

    // Each side elects its own sequencer.
    assertTrue(
        c.runUntil(
            () ->
                c.agreedSession(majority).isPresent()
                    && c.agreedSession(minority).isPresent()
                    && c.activeSequencers().size() == 2,
            Duration.ofSeconds(2)),
        describe(c));
    NodeId minoritySequencer =
        c.activeSequencers().stream().filter(minority::contains).findFirst().orElseThrow();

    c.runFor(Duration.ofSeconds(8));

    // Only the majority's batches are anchored: every batch stored during the partition that
    // holds an event indexed after the cut was anchored by a majority node.
    List<Long> ends = batchEnds(c);
    List<AnchorContract.Stored> stored = c.contract.batches();
    int majorityBatches = 0;
    for (int k = batchesBefore; k < stored.size(); k++) {
      if (ends.get(k) > sharedHead) {
        assertTrue(
            majority.contains(stored.get(k).sequencer()),
            "batch " + k + " by " + stored.get(k).sequencer());
        majorityBatches++;
      }
    }
    assertTrue(majorityBatches > 5, "the majority kept anchoring: " + majorityBatches);
    // The minority's sequencer tried, was refused by the chain, and stepped down.
    assertTrue(
        c.contract.reverts().stream()
            .anyMatch(r -> r.startsWith(minoritySequencer + ": BatchAlreadyAnchored")),
        c.contract.reverts().toString());
    SimCluster.SimNode m = c.node(minoritySequencer);
    assertTrue(m.sequencing.isStale(), describe(c));
    assertEquals(0, m.election.state().seniority(), "forfeited its seniority");
    assertTrue(
        minority.stream().noneMatch(id -> c.node(id).sequencing.isActiveSequencer()), describe(c));
    assertEquals(1, c.activeSequencers().size());

    c.net.heal();
    assertTrue(c.runUntil(c::settled, Duration.ofSeconds(3)), describe(c));
    assertTrue(majority.contains(c.activeSequencers().iterator().next()), describe(c));
    assertConvergedAndComplete(c);
    assertTrue(c.running.values().stream().noneMatch(n -> n.sequencing.isStale()), "re-synced");
  }

  @Test
  void producersEventsArePresentExactlyOnceInProducerOrderAfterKillsAPartitionAndLoss() {
    SimCluster c =
        new SimCluster(
            5,
            SimCluster.Settings.defaults(5)
                .withLink(new LinkModel(Duration.ofMillis(2), MAX_LATENCY, 0.05))
                .withAnchorFailRate(0.1));
    c.startAll();
    assertTrue(c.runUntil(c::settled, Duration.ofSeconds(3)), describe(c));
    c.startTraffic(set(c), Duration.ofMillis(30));
    c.runFor(Duration.ofSeconds(2));
    NodeId seq = c.activeSequencers().iterator().next();
    c.kill(seq); // the sequencer, mid-stream
    c.runFor(Duration.ofSeconds(2));
    NodeId follower =
        c.running.keySet().stream()
            .filter(id -> !c.node(id).sequencing.isActiveSequencer())
            .findFirst()
            .orElseThrow();
    c.kill(follower);
    c.runFor(Duration.ofMillis(700));
    c.start(seq);
    c.start(follower);
    c.runFor(Duration.ofSeconds(2));
    List<NodeId> ids = new ArrayList<>(c.ids);
    c.net.partition(new TreeSet<>(ids.subList(0, 3)), new TreeSet<>(ids.subList(3, 5)));
    c.runFor(Duration.ofSeconds(6));
    c.net.heal();
    c.runFor(Duration.ofSeconds(2));
    assertTrue(c.totalProduced() > 1000, "a real workload: " + c.totalProduced());
    assertTrue(c.net.droppedCount() > 0);
    assertConvergedAndComplete(c);
  }

  @Test
  void badSequencingInputIsIgnoredWithALoggedReason() {
    SimCluster c = cluster(6);
    assertTrue(c.runUntil(c::settled, Duration.ofSeconds(2)));
    for (NodeId id : c.ids) {
      c.produce(id, 3);
    }
    assertTrue(c.runUntil(c::quiescent, Duration.ofSeconds(5)), describe(c));
    NodeId seq = c.activeSequencers().iterator().next();
    Session session = c.agreedSession().orElseThrow();
    NodeId other = c.ids.stream().filter(id -> !id.equals(seq)).findFirst().orElseThrow();
    NodeId third =
        c.ids.stream().filter(id -> !id.equals(seq) && !id.equals(other)).findFirst().orElseThrow();
    Bytes32 before = c.node(seq).sequencing.stateHash();
    long head = c.node(seq).sequencing.log().head();

    Bus mallory = c.net.join(TestIds.named("mallory"));
    ProducerId malloryProducer = new ProducerId(TestIds.named("mallory"), 1);
    mallory.send(
        seq,
        SequencingNode.TOPIC,
        SequencingCodec.encode(
            new SubmitEvent(new ProducerEvent(malloryProducer, 1, new byte[] {1}))));
    Bus otherBus = c.node(other).bus;
    otherBus.send(seq, SequencingNode.TOPIC, new byte[] {'S', 1, 1, 0, 0});
    ProducerId thirds = c.node(third).producer().id();
    otherBus.send(
        seq,
        SequencingNode.TOPIC,
        SequencingCodec.encode(new SubmitEvent(new ProducerEvent(thirds, 4, new byte[] {6}))));
    otherBus.publish(
        SequencingNode.TOPIC, SequencingCodec.encode(new EventsIndexed(session, List.of())));
    otherBus.send(seq, SequencingNode.TOPIC, SequencingCodec.encode(new RequestEventLog(0, 0)));
    // The real head entry, then one whose chain hash does not follow from it.
    LogEntry real = c.entries(seq).get((int) head);
    LogEntry forged =
        new LogEntry(
            head + 1,
            new ProducerEvent(c.node(seq).producer().id(), 4, new byte[] {7}),
            Bytes32.ZERO);
    c.node(seq)
        .bus
        .publish(
            SequencingNode.TOPIC,
            SequencingCodec.encode(new EventsIndexed(session, List.of(real, forged))));
    c.runFor(Duration.ofSeconds(1));

    for (String reason :
        List.of(
            seq + "<-" + TestIds.named("mallory") + ": sequencing message from unknown sender",
            seq + "<-" + other + ": malformed sequencing message: truncated",
            seq + "<-" + other + ": submitted an event of producer " + thirds,
            third + "<-" + other + ": speaks for session " + session + " of another node",
            seq + "<-" + other + ": RequestEventLog for 0 entries",
            other
                + "<-"
                + seq
                + ": invalid log entries: chain hash mismatch at index "
                + (head + 1))) {
      assertTrue(
          c.rejected.stream().anyMatch(r -> r.startsWith(reason)),
          "missing '" + reason + "' in " + c.rejected);
    }
    assertEquals(Set.of(before), new HashSet<>(c.stateHashes().values()), "nothing was stored");
    assertEquals(head, c.node(seq).sequencing.log().head());
    assertEquals(Set.of(seq), c.activeSequencers());
    assertFalse(c.running.values().stream().anyMatch(n -> n.sequencing.isStale()));
  }
}
