package io.layerproof.chain.ledger.state;

import static io.layerproof.chain.ledger.LedgerTesting.appendAll;
import static io.layerproof.chain.ledger.LedgerTesting.story;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.layerproof.chain.event.Bytes32;
import io.layerproof.chain.event.JobPosted;
import io.layerproof.chain.event.Sample;
import io.layerproof.chain.event.ShardAssignment;
import io.layerproof.chain.event.ShardsAssigned;
import io.layerproof.chain.event.SignedEvent;
import io.layerproof.chain.event.TestEvents;
import io.layerproof.chain.event.TokenStreamed;
import io.layerproof.chain.event.VerificationPassed;
import io.layerproof.chain.ledger.EventLog;
import io.layerproof.chain.ledger.IndexedEvent;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The pure state machine, its snapshots and replay determinism (Must show 1). */
class ReplayTest {

  @TempDir Path dir;

  @Test
  void replayFromZeroAndFromASnapshotGiveTheSameState() {
    List<SignedEvent> events = story(6, 5);
    try (EventLog log = EventLog.open(dir)) {
      appendAll(log, events);
      LedgerProjection live = LedgerProjection.fromGenesis(log, 10);
      LedgerState state = live.catchUp();
      assertEquals(log.head(), state.lastIndex());
      long lastSnapshot = (events.size() / 10) * 10 - 1;
      assertEquals(lastSnapshot, log.snapshotAtOrBefore(log.head()).orElseThrow().index());

      Bytes32 fromZero = LedgerProjection.replayFromGenesis(log).hash();
      Bytes32 fromSnapshot = LedgerProjection.replayFromLatestSnapshot(log).hash();
      assertEquals(state.hash(), fromZero);
      assertEquals(fromZero, fromSnapshot);
      // Every stored snapshot, not only the latest, leads to the same state.
      for (long s = 9; s <= lastSnapshot; s += 10) {
        LedgerState snap = LedgerState.fromBytes(log.snapshotAtOrBefore(s).orElseThrow().state());
        assertEquals(s, snap.lastIndex());
        assertEquals(fromZero, LedgerTransition.applyAll(snap, log.read(s + 1, 10_000)).hash());
      }
    }
    // After a restart the projection resumes from its snapshot and reaches the same state.
    try (EventLog log = EventLog.open(dir)) {
      LedgerProjection resumed = LedgerProjection.fromLatestSnapshot(log, 10);
      assertTrue(resumed.state().lastIndex() < log.head());
      assertEquals(LedgerProjection.replayFromGenesis(log).hash(), resumed.catchUp().hash());
    }
  }

  @Test
  void twoNodesWithTheSameLogHaveTheSameStateHash() {
    List<SignedEvent> events = story(3, 4);
    try (EventLog a = EventLog.open(dir.resolve("a"));
        EventLog b = EventLog.open(dir.resolve("b"))) {
      appendAll(a, events);
      appendAll(b, events);
      assertEquals(a.headHash(), b.headHash());
      assertEquals(
          LedgerProjection.replayFromGenesis(a).hash(),
          LedgerProjection.replayFromGenesis(b).hash());
    }
  }

  @Test
  void theStateTellsEachJobsStory() {
    TestEvents.Cast cast = TestEvents.Cast.fresh(TestEvents.DOMAIN);
    List<SignedEvent> events = new ArrayList<>(cast.joins());
    List<SignedEvent> honest = cast.job(1, 4, false);
    List<SignedEvent> cheat = cast.job(2, 3, true);
    events.addAll(honest);
    events.addAll(cheat);
    try (EventLog log = EventLog.open(dir)) {
      appendAll(log, events);
      LedgerState s = LedgerProjection.replayFromGenesis(log);
      assertEquals(0, s.inapplicable());
      assertEquals(5, s.nodes().size());
      JobState h = s.jobs().get(((JobPosted) honest.get(0).event()).jobId());
      assertEquals(JobStatus.SETTLED, h.status());
      assertEquals(4, h.tokensStreamed());
      assertTrue(h.shards().stream().allMatch(sh -> sh.verdict() == Verdict.PASSED));
      assertEquals(1, h.payouts().size());
      JobState c = s.jobs().get(((JobPosted) cheat.get(0).event()).jobId());
      assertEquals(JobStatus.SETTLED, c.status());
      assertEquals(Verdict.PASSED, c.shards().get(0).verdict());
      assertEquals(Verdict.FRAUD, c.shards().get(1).verdict());
      assertEquals(cast.providerB().author(), c.shards().get(1).provider());
    }
  }

  @Test
  void eventsThatDoNotFitOnlyBumpTheCounter() {
    TestEvents.Cast cast = TestEvents.Cast.fresh(TestEvents.DOMAIN);
    List<SignedEvent> events = new ArrayList<>(cast.joins());
    TestEvents.SignedRequest req = TestEvents.postJob(TestEvents.DOMAIN, cast.buyer(), 1);
    Bytes32 jobId = req.event().jobId();
    events.add(cast.gateway().sign(req.event(), req.signature()));
    events.add(
        cast.sequencer()
            .sign(
                new ShardsAssigned(
                    jobId,
                    List.of(
                        new ShardAssignment(0, cast.providerA().author(), 0, 4),
                        new ShardAssignment(1, cast.providerB().author(), 4, 8)),
                    cast.verifier().author())));
    try (EventLog log = EventLog.open(dir)) {
      appendAll(log, events);
      LedgerState before = LedgerProjection.replayFromGenesis(log);
      appendAll(
          log,
          List.of(
              cast.providerB().sign(new TokenStreamed(TestEvents.h("no such job"), 0, 1)),
              cast.providerA().sign(new TokenStreamed(jobId, 0, 1)), // not the last stage
              cast.providerB().sign(new TokenStreamed(jobId, 5, 1)), // out of order
              cast.gateway().sign(new VerificationPassed(jobId, 0, List.of(new Sample(0, 0))))));
      LedgerState after = LedgerProjection.replayFromGenesis(log);
      assertEquals(4, after.inapplicable());
      assertEquals(before.jobs().get(jobId), after.jobs().get(jobId));
      assertNull(after.jobs().get(TestEvents.h("no such job")));
    }
  }

  @Test
  void applyIsPureAndInOrder() {
    List<SignedEvent> events = story(1, 2);
    try (EventLog log = EventLog.open(dir)) {
      appendAll(log, events);
      List<IndexedEvent> all = log.read(0, 1000);
      LedgerState s = LedgerTransition.applyAll(LedgerState.EMPTY, all.subList(0, 6));
      Bytes32 hashBefore = s.hash();
      LedgerState once = LedgerTransition.apply(s, all.get(6));
      LedgerState twice = LedgerTransition.apply(s, all.get(6));
      assertEquals(once, twice);
      assertEquals(hashBefore, s.hash(), "apply must not change its input");
      assertNotEquals(hashBefore, once.hash());
      assertThrows(IllegalArgumentException.class, () -> LedgerTransition.apply(s, all.get(7)));
      assertThrows(IllegalArgumentException.class, () -> LedgerTransition.apply(once, all.get(6)));
      assertEquals(once, LedgerState.fromBytes(once.toBytes()));
      assertEquals(once.hash(), LedgerState.fromBytes(once.toBytes()).hash());
    }
  }
}
