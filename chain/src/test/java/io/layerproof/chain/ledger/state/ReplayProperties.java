package io.layerproof.chain.ledger.state;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.layerproof.chain.event.BatchAnchored;
import io.layerproof.chain.event.Bytes32;
import io.layerproof.chain.event.EventSigner;
import io.layerproof.chain.event.FraudDetected;
import io.layerproof.chain.event.JobSettled;
import io.layerproof.chain.event.LayerCommitmentsGenerated;
import io.layerproof.chain.event.NodeJoined;
import io.layerproof.chain.event.NodeTimedOut;
import io.layerproof.chain.event.Payout;
import io.layerproof.chain.event.Sample;
import io.layerproof.chain.event.SampleVerdict;
import io.layerproof.chain.event.ShardAssignment;
import io.layerproof.chain.event.ShardsAssigned;
import io.layerproof.chain.event.SignedEvent;
import io.layerproof.chain.event.TestEvents;
import io.layerproof.chain.event.TokenStreamed;
import io.layerproof.chain.event.VerificationPassed;
import io.layerproof.chain.ledger.EventLog;
import io.layerproof.chain.ledger.LedgerTesting;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * Replay determinism over random event sequences: a mix of events that fit the state and events
 * that do not (unknown jobs, wrong authors, out-of-order tokens, unchained batches). Whatever the
 * sequence, the live projection, a replay from index 0 and a replay from every stored snapshot
 * reach the identical state and state hash.
 */
class ReplayProperties {

  @Property(tries = 25)
  void replayFromZeroAndFromEverySnapshotAgree(
      @ForAll long seed,
      @ForAll @IntRange(min = 1, max = 150) int length,
      @ForAll @IntRange(min = 1, max = 25) int snapshotEvery)
      throws IOException {
    Path dir = Files.createTempDirectory("ledger-replay");
    try (EventLog log = EventLog.open(dir)) {
      LedgerTesting.appendAll(log, randomEvents(new Random(seed), length));
      LedgerState live = LedgerProjection.fromGenesis(log, snapshotEvery).catchUp();
      LedgerState fromZero = LedgerProjection.replayFromGenesis(log);
      assertEquals(fromZero, live);
      assertEquals(fromZero.hash(), live.hash());
      for (long s = snapshotEvery - 1; s <= log.head(); s += snapshotEvery) {
        LedgerState snap = LedgerState.fromBytes(log.snapshotAtOrBefore(s).orElseThrow().state());
        LedgerState replayed = LedgerTransition.applyAll(snap, log.read(s + 1, 1000));
        assertEquals(fromZero.hash(), replayed.hash(), "replay from the snapshot at " + s);
      }
      assertEquals(fromZero.hash(), LedgerProjection.replayFromLatestSnapshot(log).hash());
    } finally {
      try (Stream<Path> files = Files.walk(dir)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  private static List<SignedEvent> randomEvents(Random r, int length) {
    TestEvents.Cast c = TestEvents.Cast.fresh(TestEvents.DOMAIN);
    List<EventSigner> all =
        List.of(c.gateway(), c.sequencer(), c.providerA(), c.providerB(), c.verifier());
    List<Bytes32> jobs = new ArrayList<>();
    jobs.add(TestEvents.h("never posted"));
    List<SignedEvent> out = new ArrayList<>();
    long nonce = 0;
    for (int i = 0; i < length; i++) {
      Bytes32 job = jobs.get(r.nextInt(jobs.size()));
      EventSigner anyone = all.get(r.nextInt(all.size()));
      int roll = r.nextInt(100);
      if (roll < 6) {
        EventSigner who = all.get(r.nextInt(all.size()));
        out.add(
            anyone.sign(
                new NodeJoined(
                    who.author(), TestEvents.address(c.buyer()), 1 + r.nextInt(7), 1024)));
      } else if (roll < 9) {
        out.add(c.sequencer().sign(new NodeTimedOut(anyone.author(), r.nextInt(1000))));
      } else if (roll < 20) {
        nonce = r.nextInt(4) == 0 ? Math.max(0, nonce - 1) : nonce + 1; // sometimes a repost
        TestEvents.SignedRequest req = TestEvents.postJob(TestEvents.DOMAIN, c.buyer(), nonce);
        jobs.add(req.event().jobId());
        out.add(c.gateway().sign(req.event(), req.signature()));
      } else if (roll < 30) {
        out.add(
            c.sequencer()
                .sign(
                    new ShardsAssigned(
                        job,
                        List.of(
                            new ShardAssignment(0, c.providerA().author(), 0, 4),
                            new ShardAssignment(1, c.providerB().author(), 4, 8)),
                        c.verifier().author())));
      } else if (roll < 55) {
        EventSigner stage = r.nextInt(5) == 0 ? c.providerA() : c.providerB();
        out.add(stage.sign(new TokenStreamed(job, r.nextInt(4), r.nextInt(50_000))));
      } else if (roll < 68) {
        int shard = r.nextInt(2);
        EventSigner p = (shard == 0) == (r.nextInt(6) != 0) ? c.providerA() : c.providerB();
        out.add(
            p.sign(
                new LayerCommitmentsGenerated(
                    job,
                    shard,
                    4 * shard,
                    4 * shard + 4,
                    r.nextInt(4),
                    TestEvents.h("root" + i),
                    TestEvents.h("in" + i),
                    TestEvents.h("out" + i))));
      } else if (roll < 80) {
        EventSigner v = r.nextInt(5) == 0 ? anyone : c.verifier();
        out.add(
            v.sign(
                new VerificationPassed(job, r.nextInt(2), List.of(new Sample(0, r.nextInt(8))))));
      } else if (roll < 86) {
        int shard = r.nextInt(2);
        out.add(
            c.verifier()
                .sign(
                    new FraudDetected(
                        job,
                        shard,
                        shard == 0 ? c.providerA().author() : c.providerB().author(),
                        List.of(new SampleVerdict(new Sample(1, 1), false, 10_000)),
                        TestEvents.h("evidence" + i))));
      } else if (roll < 93) {
        out.add(
            c.sequencer()
                .sign(
                    new JobSettled(
                        job,
                        List.of(
                            new Payout(
                                TestEvents.address(c.buyer()),
                                BigInteger.valueOf(r.nextInt(1000)))),
                        BigInteger.valueOf(r.nextInt(10)))));
      } else {
        int batch = r.nextInt(3);
        Bytes32 prev =
            batch == 0 || r.nextInt(3) == 0 ? Bytes32.ZERO : TestEvents.h("root " + (batch - 1));
        out.add(
            c.sequencer()
                .sign(
                    new BatchAnchored(
                        batch,
                        batch * 10L,
                        10,
                        TestEvents.h("root " + batch),
                        prev,
                        TestEvents.h("tx"),
                        1)));
      }
    }
    return out;
  }
}
