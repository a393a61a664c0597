package io.layerproof.chain.ledger;

import static io.layerproof.chain.ledger.LedgerStore.be;
import static io.layerproof.chain.ledger.LedgerTesting.appendAll;
import static io.layerproof.chain.ledger.LedgerTesting.story;
import static io.layerproof.chain.ledger.LedgerTesting.verified;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.layerproof.chain.event.CanonicalJson;
import io.layerproof.chain.event.SignedEvent;
import io.layerproof.chain.event.TestEvents;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@link EventLog#open} does with damage: a torn last write is dropped, entries past the head
 * marker are dropped, anything else is reported with the index where the chain breaks. RocksDB
 * writes are atomic, so these tests damage the database by hand.
 */
class RecoveryTest {

  @TempDir Path dir;

  private final List<SignedEvent> events = story(1, 5); // 5 joins + 12 job events

  private EventLog open(int tailCheck) {
    return EventLog.open(dir, new BatchPolicy(4, Duration.ofHours(1)), () -> 0L, tailCheck);
  }

  private void fill() {
    try (EventLog log = open(1024)) {
      appendAll(log, events);
    }
  }

  private void damage(long index, UnaryOperator<byte[]> how) {
    try (LedgerStore store = LedgerStore.open(dir);
        LedgerStore.Write w = store.write()) {
      w.put(store.entries, be(index), how.apply(store.get(store.entries, be(index))));
      w.commit();
    }
  }

  private static byte[] truncated(byte[] value) {
    return Arrays.copyOf(value, value.length - 20);
  }

  /** The same JSON with one token id changed: parses fine, hashes differently. */
  private static byte[] altered(byte[] value) {
    String s = new String(value, 64, value.length - 64, java.nio.charset.StandardCharsets.UTF_8);
    String changed = s.replaceFirst("\"seq\":(\\d)", "\"seq\":9$1");
    byte[] out = Arrays.copyOf(value, 64 + changed.length());
    System.arraycopy(
        changed.getBytes(java.nio.charset.StandardCharsets.UTF_8), 0, out, 64, changed.length());
    return out;
  }

  @Test
  void aTornLastWriteIsDroppedAndTheLogCarriesOn() {
    fill();
    long last = events.size() - 1;
    damage(last, RecoveryTest::truncated);
    SignedEvent lost = events.get((int) last);
    try (EventLog log = open(1024)) {
      assertEquals(last - 1, log.head());
      assertTrue(log.verify().ok());
      assertTrue(log.indexOf(lost.id()).isEmpty());
      assertFalse(log.indicesOfAuthor(lost.author()).contains(last));
      assertEquals(lost.seq(), log.nextSeq(lost.author()));
      // Its producer retries the same event, which lands where it was.
      assertEquals(last, log.append(verified(lost)).index());
      assertTrue(log.verify().ok());
    }
  }

  @Test
  void aTornWriteThatCannotBeDecodedIsDroppedWithItsIndexKeys() {
    fill();
    long last = events.size() - 1;
    damage(last, v -> Arrays.copyOf(v, 10)); // not even the two hashes survive
    SignedEvent lost = events.get((int) last);
    try (EventLog log = open(1024)) {
      assertEquals(last - 1, log.head());
      assertTrue(log.indexOf(lost.id()).isEmpty());
      assertEquals(lost.seq(), log.nextSeq(lost.author()));
      assertEquals(last, log.append(verified(lost)).index());
      assertTrue(log.verify().ok());
    }
  }

  @Test
  void damageInsideTheTailFailsOpeningWithItsIndex() {
    fill();
    damage(5, RecoveryTest::altered);
    LedgerCorruptedException e = assertThrows(LedgerCorruptedException.class, () -> open(1024));
    assertEquals(5, e.brokenAt());
    assertTrue(e.getMessage().contains("index 5"), e.getMessage());
  }

  @Test
  void damageBeforeTheTailIsReportedByVerify() {
    fill();
    damage(2, RecoveryTest::altered);
    try (EventLog log = open(3)) {
      assertEquals(events.size() - 1, log.head(), "only the tail is checked on open");
      ChainVerification v = log.verify();
      assertFalse(v.ok());
      assertEquals(2, v.brokenAt());
      assertEquals(2, v.entriesChecked());
    }
  }

  @Test
  void aBrokenLinkIsReportedWhereItBreaks() {
    fill();
    // Swap in entry 7's value for entry 6: its own bytes are intact, but it does not chain.
    byte[][] seven = new byte[1][];
    try (LedgerStore store = LedgerStore.open(dir)) {
      seven[0] = store.get(store.entries, be(7));
    }
    damage(6, v -> seven[0]);
    try (EventLog log = open(2)) {
      ChainVerification v = log.verify();
      assertEquals(6, v.brokenAt());
      assertTrue(v.problem().contains("stored hash") || v.problem().contains("chain"), v.problem());
    }
  }

  @Test
  void aDamagedBatchRecordIsReported() {
    fill();
    try (LedgerStore store = LedgerStore.open(dir);
        LedgerStore.Write w = store.write()) {
      BatchRecord b = EventLog.readBatch(store.get(store.batches, be(1)));
      BatchRecord wrong =
          new BatchRecord(
              b.batchIndex(), b.firstIndex(), b.eventCount(), TestEvents.h("x"), b.prevRoot(), 0);
      w.put(store.batches, be(1), CanonicalJson.encode(wrong));
      w.commit();
    }
    try (EventLog log = open(1024)) {
      ChainVerification v = log.verify();
      assertFalse(v.ok());
      assertEquals(4, v.brokenAt());
      assertTrue(v.problem().contains("batch 1"), v.problem());
    }
  }

  @Test
  void entriesPastTheHeadMarkerAreDropped() {
    fill();
    long next = events.size();
    try (LedgerStore store = LedgerStore.open(dir);
        LedgerStore.Write w = store.write()) {
      w.put(store.entries, be(next), store.get(store.entries, be(next - 1)));
      w.commit();
    }
    try (EventLog log = open(1024)) {
      assertEquals(next - 1, log.head());
      assertTrue(log.get(next).isEmpty());
      assertTrue(log.verify().ok());
    }
    try (LedgerStore store = LedgerStore.open(dir)) {
      assertEquals(null, store.get(store.entries, be(next)));
    }
  }
}
