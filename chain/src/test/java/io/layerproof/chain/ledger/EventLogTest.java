package io.layerproof.chain.ledger;

import static io.layerproof.chain.ledger.LedgerTesting.appendAll;
import static io.layerproof.chain.ledger.LedgerTesting.story;
import static io.layerproof.chain.ledger.LedgerTesting.verified;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.layerproof.chain.event.Bytes32;
import io.layerproof.chain.event.JobPosted;
import io.layerproof.chain.event.SignedEvent;
import io.layerproof.chain.event.TestEvents;
import io.layerproof.chain.event.TokenStreamed;
import io.layerproof.chain.merkle.MerkleTree;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.abi.datatypes.generated.Uint64;

/** Appending, reading, hash chain, batches, proofs and indices of the RocksDB log. */
class EventLogTest {

  @TempDir Path dir;

  private final AtomicLong clock = new AtomicLong(1_000_000);

  private EventLog open(int batchSize) {
    return EventLog.open(
        dir,
        new BatchPolicy(batchSize, Duration.ofSeconds(10)),
        clock::get,
        EventLog.DEFAULT_TAIL_CHECK);
  }

  @Test
  void appendsAreIndexedInOrderAndChained() {
    List<SignedEvent> events = story(2, 3);
    try (EventLog log = open(1000)) {
      assertEquals(-1, log.head());
      assertEquals(Bytes32.ZERO, log.headHash());
      List<IndexedEvent> appended = appendAll(log, events);
      assertEquals(events.size() - 1, log.head());
      Bytes32 previous = Bytes32.ZERO;
      for (int i = 0; i < events.size(); i++) {
        IndexedEvent e = log.get(i).orElseThrow();
        assertEquals(i, e.index());
        assertEquals(events.get(i), e.envelope());
        assertEquals(appended.get(i), e);
        assertEquals(EntryHashes.entryHash(previous, i, e.envelopeHash()), e.entryHash());
        previous = e.entryHash();
      }
      assertEquals(previous, log.headHash());
      assertTrue(log.get(events.size()).isEmpty());
      // Paging, as a late joiner does.
      List<IndexedEvent> paged = new ArrayList<>();
      for (long from = 0; ; ) {
        List<IndexedEvent> page = log.read(from, 4);
        if (page.isEmpty()) {
          break;
        }
        paged.addAll(page);
        from = page.get(page.size() - 1).index() + 1;
      }
      assertEquals(appended, paged);
      assertTrue(log.verify().ok());
    }
  }

  @Test
  void reopeningRecoversTheSameLogAndItsBatching() {
    List<SignedEvent> events = story(3, 4);
    int half = events.size() / 2;
    Bytes32 head;
    List<BatchRecord> batches = new ArrayList<>();
    try (EventLog log = open(5)) {
      appendAll(log, events.subList(0, half));
    }
    try (EventLog log = open(5)) {
      assertEquals(half - 1, log.head());
      for (int i = 0; i < half; i++) {
        assertEquals(events.get(i), log.get(i).orElseThrow().envelope());
      }
      // Authors carry on with their next sequence numbers after the restart.
      SignedEvent next = events.get(half);
      assertEquals(next.seq(), log.nextSeq(next.author()));
      appendAll(log, events.subList(half, events.size()));
      head = log.headHash();
      for (long b = 0; b < log.batchCount(); b++) {
        batches.add(log.batch(b).orElseThrow());
      }
      assertTrue(log.verify().ok());
    }
    // The restart did not change anything: same head hash and batches as without it.
    try (EventLog other =
        EventLog.open(
            dir.resolve("other"), new BatchPolicy(5, Duration.ofSeconds(10)), clock::get, 64)) {
      appendAll(other, events);
      assertEquals(head, other.headHash());
      for (BatchRecord b : batches) {
        BatchRecord o = other.batch(b.batchIndex()).orElseThrow();
        assertEquals(b.root(), o.root());
        assertEquals(b.firstIndex(), o.firstIndex());
      }
    }
  }

  @Test
  void batchesSealEveryNEventsAndChainTheirRoots() {
    List<SignedEvent> events = story(1, 6); // 5 joins + 13 job events
    try (EventLog log = open(4)) {
      appendAll(log, events);
      assertEquals(events.size() / 4, log.batchCount());
      Bytes32 previous = Bytes32.ZERO;
      for (long b = 0; b < log.batchCount(); b++) {
        BatchRecord batch = log.batch(b).orElseThrow();
        assertEquals(4 * b, batch.firstIndex());
        assertEquals(4, batch.eventCount());
        assertEquals(previous, batch.prevRoot());
        List<byte[]> leaves = new ArrayList<>();
        for (long i = batch.firstIndex(); i <= batch.lastIndex(); i++) {
          leaves.add(EntryHashes.leaf(i, log.get(i).orElseThrow().entryHash()).toByteArray());
        }
        assertEquals(Bytes32.of(MerkleTree.of(leaves).root()), batch.root());
        assertTrue(log.anchorStatus(b) instanceof AnchorStatus.Pending);
        previous = batch.root();
      }
      long open = log.size() - 4 * log.batchCount();
      assertEquals(events.size() % 4, open);
      BatchRecord rest = log.seal().orElseThrow();
      assertEquals(open, rest.eventCount());
      assertEquals(previous, rest.prevRoot());
      assertTrue(log.seal().isEmpty(), "nothing left to seal");
    }
  }

  @Test
  void anOldOpenBatchIsSealedByTheAgeRule() {
    try (EventLog log = open(1000)) {
      appendAll(log, story(0, 0).subList(0, 2));
      assertTrue(log.sealIfDue().isEmpty());
      clock.addAndGet(Duration.ofSeconds(10).toMillis());
      BatchRecord b = log.sealIfDue().orElseThrow();
      assertEquals(2, b.eventCount());
      assertTrue(log.sealIfDue().isEmpty());
    }
  }

  @Test
  void aFollowerCutsBatchesWhereTheSequencerDid() {
    try (EventLog log = open(1000)) {
      appendAll(log, story(1, 2));
      BatchRecord first = log.sealThrough(2);
      assertEquals(3, first.eventCount());
      BatchRecord second = log.sealThrough(6);
      assertEquals(3, second.firstIndex());
      assertEquals(4, second.eventCount());
      assertEquals(first.root(), second.prevRoot());
      assertThrows(IllegalArgumentException.class, () -> log.sealThrough(2));
      assertThrows(IllegalArgumentException.class, () -> log.sealThrough(log.head() + 1));
    }
  }

  @Test
  void everyEventOfASealedBatchHasAnInclusionProof() {
    List<SignedEvent> events = story(2, 5);
    try (EventLog log = open(7)) {
      appendAll(log, events);
      long sealedEvents = 7 * log.batchCount();
      for (long i = 0; i < sealedEvents; i++) {
        InclusionProof p = log.proveInclusion(i);
        BatchRecord b = log.batchContaining(i).orElseThrow();
        assertEquals(b.batchIndex(), p.batchIndex());
        assertEquals(b.root(), p.root());
        assertTrue(p.verify(), "proof of " + i);
        assertEquals(log.get(i).orElseThrow().entryHash(), p.entryHash());
        // Someone else's envelope, or another root, does not verify.
        InclusionProof forged =
            new InclusionProof(
                i,
                TestEvents.h("forged"),
                p.prevEntryHash(),
                p.batchIndex(),
                p.root(),
                p.siblings());
        assertFalse(forged.verify());
        assertFalse(p.verifyAgainst(TestEvents.h("another root")));
      }
      long openIndex = sealedEvents;
      assertThrows(IllegalStateException.class, () -> log.proveInclusion(openIndex));
    }
  }

  @Test
  void theLeafIsOpenZeppelinsStandardLeaf() {
    Bytes32 entry = TestEvents.h("entry");
    for (long index : new long[] {0, 1, 255, 1L << 40}) {
      assertArrayEquals(
          MerkleTree.standardLeaf(
              new Uint64(index),
              new org.web3j.abi.datatypes.generated.Bytes32(entry.toByteArray())),
          EntryHashes.leaf(index, entry).toByteArray());
    }
  }

  @Test
  void indicesFindEventsByJobNodeAuthorAndType() {
    TestEvents.Cast cast = TestEvents.Cast.fresh(TestEvents.DOMAIN);
    List<SignedEvent> events = new ArrayList<>(cast.joins());
    List<SignedEvent> job1 = cast.job(1, 3, false);
    List<SignedEvent> job2 = cast.job(2, 2, true);
    events.addAll(job1);
    events.addAll(job2);
    try (EventLog log = open(1000)) {
      appendAll(log, events);
      Bytes32 id1 = ((JobPosted) job1.get(0).event()).jobId();
      long start1 = cast.joins().size();
      assertEquals(range(start1, job1.size()), log.indicesOfJob(id1));
      assertEquals(
          range(start1 + job1.size(), job2.size()),
          log.indicesOfJob(((JobPosted) job2.get(0).event()).jobId()));
      assertEquals(5, log.indicesOfType(TokenStreamed.class).size());
      assertEquals(List.of(start1, start1 + job1.size()), log.indicesOfType(JobPosted.class));
      assertEquals(List.of(), log.indicesOfType("Job")); // a prefix of a type name is no type
      for (long i : log.indicesOfAuthor(cast.providerB().author())) {
        assertEquals(cast.providerB().author(), log.get(i).orElseThrow().envelope().author());
      }
      // Provider B: its join, its tokens and commitments, and the events that name it
      // (ShardsAssigned twice, FraudDetected once).
      List<Long> byB = log.indicesOfNode(cast.providerB().author());
      assertEquals(log.indicesOfAuthor(cast.providerB().author()).size() + 3, byB.size());
      assertEquals(log.indexOf(job1.get(0).id()).orElseThrow(), start1);
    }
  }

  private static List<Long> range(long start, int count) {
    return LongStream.range(start, start + count).boxed().toList();
  }

  @Test
  void appendAllVerifiesNothingTwice() {
    List<SignedEvent> events = story(0, 0);
    try (EventLog log = open(1000)) {
      List<AppendResult> results =
          log.appendAll(verified(List.of(events.get(0), events.get(0), events.get(1))));
      assertTrue(results.get(0) instanceof AppendResult.Appended);
      assertTrue(results.get(1) instanceof AppendResult.Rejected);
      assertTrue(results.get(2) instanceof AppendResult.Appended);
      assertEquals(1, log.head());
    }
  }
}
