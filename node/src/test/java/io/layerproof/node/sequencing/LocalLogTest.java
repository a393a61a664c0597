package io.layerproof.node.sequencing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.layerproof.chain.event.Bytes32;
import io.layerproof.node.testing.TestIds;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class LocalLogTest {
  private static final ProducerId P = new ProducerId(TestIds.named("p"), 1);
  private static final ProducerId Q = new ProducerId(TestIds.named("q"), 1);

  private static ProducerEvent ev(ProducerId p, long seq, String body) {
    return new ProducerEvent(p, seq, body.getBytes(StandardCharsets.UTF_8));
  }

  /** A log holding p/1..p/n, built as a sequencer would. */
  private static LocalLog logOf(int n, String tag) {
    LocalLog log =
        new LocalLog(new InMemoryOrderedLog(), new InMemorySequencingStore(), EventFormat.OPAQUE);
    for (int i = 1; i <= n; i++) {
      log.appendNext(ev(P, i, tag + i));
    }
    return log;
  }

  private static List<LogEntry> all(LocalLog log) {
    return log.read(0, 1000);
  }

  @Test
  void equalLogsHaveEqualStateHashesAndDifferentOnesDiffer() {
    assertEquals(logOf(5, "x").stateHash(), logOf(5, "x").stateHash());
    assertTrue(!logOf(5, "x").stateHash().equals(logOf(5, "y").stateHash()));
    assertEquals(
        Bytes32.ZERO,
        new LocalLog(new InMemoryOrderedLog(), new InMemorySequencingStore(), EventFormat.OPAQUE)
            .stateHash());
  }

  @Test
  void mergeSkipsWhatItHoldsAndAppendsTheRest() {
    LocalLog source = logOf(6, "x");
    LocalLog replica = logOf(3, "x");
    MergeResult r = replica.merge(all(source));
    assertEquals(MergeResult.Status.MERGED, r.status());
    assertEquals(3, r.appended());
    assertFalse(r.truncated());
    assertEquals(source.stateHash(), replica.stateHash());
  }

  @Test
  void mergeReplacesADivergentProvisionalTail() {
    LocalLog source = logOf(4, "x");
    LocalLog replica =
        new LocalLog(new InMemoryOrderedLog(), new InMemorySequencingStore(), EventFormat.OPAQUE);
    replica.merge(all(source).subList(0, 2));
    replica.appendNext(ev(P, 3, "mine")); // a minority's entry at index 2
    List<Long> truncatedAt = new ArrayList<>();
    replica.addListener(
        new LocalLog.Listener() {
          @Override
          public void truncated(long index) {
            truncatedAt.add(index);
          }
        });
    MergeResult r = replica.merge(all(source));
    assertEquals(MergeResult.Status.MERGED, r.status());
    assertTrue(r.truncated());
    assertEquals(List.of(1L), truncatedAt);
    assertEquals(source.stateHash(), replica.stateHash());
    assertEquals(4, replica.lastSeq(P));
  }

  @Test
  void nothingOverridesAnAnchoredEntry() {
    LocalLog source = logOf(4, "x");
    LocalLog replica = logOf(4, "y");
    List<LogEntry> mine = all(replica);
    assertTrue(
        replica.adoptMark(new AnchorMark(0, 2, mine.get(2).chainHash(), Bytes32.ZERO)), "holds it");
    Bytes32 before = replica.stateHash();
    MergeResult r = replica.merge(all(source));
    assertEquals(MergeResult.Status.CONFLICT_ANCHORED, r.status());
    assertEquals(before, replica.stateHash());
    assertTrue(r.reason().contains("anchored entry 0"), r.reason());

    // Dropping provisional entries stops at the mark.
    assertFalse(replica.dropProvisionalAfter(1));
    assertTrue(replica.dropProvisionalAfter(2));
    assertEquals(2, replica.head());
  }

  @Test
  void brokenChainHashesAndProducerOrderAreRefused() {
    LocalLog source = logOf(3, "x");
    List<LogEntry> entries = all(source);
    LogEntry forged = new LogEntry(1, ev(P, 2, "forged"), entries.get(1).chainHash());
    LocalLog replica =
        new LocalLog(new InMemoryOrderedLog(), new InMemorySequencingStore(), EventFormat.OPAQUE);
    MergeResult r = replica.merge(List.of(entries.get(0), forged));
    assertEquals(MergeResult.Status.INVALID, r.status());
    assertTrue(r.reason().contains("chain hash mismatch at index 1"), r.reason());
    assertEquals(0, replica.head(), "the valid prefix stays");

    LogEntry skipping =
        LogEntry.chain(entries.get(0).chainHash(), 1, ev(P, 3, "skips 2"), EventFormat.OPAQUE);
    MergeResult order = replica.merge(List.of(skipping));
    assertEquals(MergeResult.Status.INVALID, order.status());
    assertTrue(order.reason().contains("seq 3"), order.reason());
  }

  @Test
  void entriesPastTheHeadAreAGap() {
    LocalLog source = logOf(5, "x");
    LocalLog replica = logOf(1, "x");
    MergeResult r = replica.merge(all(source).subList(3, 5));
    assertEquals(MergeResult.Status.GAP, r.status());
    assertEquals(1, r.nextIndex());
    assertEquals(0, replica.head());
  }

  @Test
  void theSequencerAppendsOnlyAProducersNextNumber() {
    LocalLog log = logOf(2, "x");
    assertThrows(IllegalArgumentException.class, () -> log.appendNext(ev(P, 4, "gap")));
    assertThrows(IllegalArgumentException.class, () -> log.appendNext(ev(P, 2, "dup")));
    log.appendNext(ev(Q, 1, "q"));
    assertEquals(1, log.lastSeq(Q));
  }

  @Test
  void reopeningRebuildsStateAndRefusesABrokenStoredChain() {
    InMemoryOrderedLog store = new InMemoryOrderedLog();
    LocalLog log = new LocalLog(store, new InMemorySequencingStore(), EventFormat.OPAQUE);
    log.appendNext(ev(P, 1, "a"));
    log.appendNext(ev(Q, 1, "b"));
    log.appendNext(ev(P, 2, "c"));
    LocalLog reopened = new LocalLog(store, new InMemorySequencingStore(), EventFormat.OPAQUE);
    assertEquals(log.stateHash(), reopened.stateHash());
    assertEquals(2, reopened.lastSeq(P));
    assertEquals(1, reopened.lastSeq(Q));

    InMemoryOrderedLog broken = new InMemoryOrderedLog();
    broken.append(all(log).get(0));
    broken.append(new LogEntry(1, ev(Q, 1, "tampered"), all(log).get(1).chainHash()));
    IllegalStateException e =
        assertThrows(
            IllegalStateException.class,
            () -> new LocalLog(broken, new InMemorySequencingStore(), EventFormat.OPAQUE));
    assertTrue(e.getMessage().contains("index 1"), e.getMessage());
  }

  @Test
  void aMarkIsAdoptedOnlyForEntriesThisLogHolds() {
    LocalLog log = logOf(3, "x");
    Bytes32 other = logOf(3, "y").stateHash();
    assertFalse(log.adoptMark(new AnchorMark(0, 2, other, Bytes32.ZERO)), "different entry");
    assertFalse(log.adoptMark(new AnchorMark(0, 7, other, Bytes32.ZERO)), "not held yet");
    assertTrue(log.adoptMark(new AnchorMark(0, 2, log.stateHash(), Bytes32.ZERO)));
    assertFalse(log.adoptMark(new AnchorMark(0, 2, log.stateHash(), Bytes32.ZERO)), "not newer");
    assertEquals(2, log.anchoredThrough());
  }

  /** The pin of batch {@code k} over entries {@code first..last} of {@code log}. */
  private static ProposedBatch pinOf(LocalLog log, long k, long first, long last) {
    return new ProposedBatch(k, first, last, log.hashAt(last).orElseThrow(), Bytes32.ZERO);
  }

  @Test
  void pinnedEntriesAreKeptLikeAnchoredOnesUntilTheOutcomeIsKnown() {
    LocalLog source = logOf(5, "x");
    LocalLog replica = logOf(4, "y");
    assertFalse(replica.pin(pinOf(source, 0, 0, 3)), "not our entries");
    ProposedBatch pin = pinOf(replica, 0, 0, 2);
    assertTrue(replica.pin(pin));
    assertEquals(2, replica.protectedThrough());

    MergeResult r = replica.merge(all(source));
    assertEquals(MergeResult.Status.CONFLICT_ANCHORED, r.status());
    assertTrue(r.reason().contains("pinned entry 0"), r.reason());
    assertFalse(replica.dropProvisionalAfter(1));
    assertTrue(replica.dropProvisionalAfter(2), "past the pin is provisional");

    // Only a pin that keeps more replaces it.
    assertTrue(replica.pin(pinOf(replica, 0, 0, 1)), "covered by the pin it has");
    assertEquals(Optional.of(pin), replica.pinned());

    replica.releasePin(pin);
    assertEquals(Optional.empty(), replica.pinned());
    assertEquals(MergeResult.Status.MERGED, replica.merge(all(source)).status());
    assertEquals(source.stateHash(), replica.stateHash());
  }

  @Test
  void theMarkTakesOverFromThePinAndBothSurviveAReopen() {
    InMemoryOrderedLog store = new InMemoryOrderedLog();
    InMemorySequencingStore state = new InMemorySequencingStore();
    LocalLog log = new LocalLog(store, state, EventFormat.OPAQUE);
    for (int i = 1; i <= 6; i++) {
      log.appendNext(ev(P, i, "x" + i));
    }
    AnchorMark mark = new AnchorMark(0, 1, log.hashAt(1).orElseThrow(), Bytes32.ZERO);
    assertTrue(log.adoptMark(mark));
    assertFalse(log.pin(pinOf(log, 0, 0, 1)), "batch 0 is decided");
    ProposedBatch pin = pinOf(log, 1, 2, 4);
    assertTrue(log.pin(pin));

    LocalLog reopened = new LocalLog(store, state, EventFormat.OPAQUE);
    assertEquals(Optional.of(mark), reopened.mark());
    assertEquals(Optional.of(pin), reopened.pinned());
    assertEquals(4, reopened.protectedThrough());

    // Batch 1 anchored shorter than pinned: the mark protects what the chain took.
    assertTrue(
        reopened.adoptMark(new AnchorMark(1, 3, reopened.hashAt(3).orElseThrow(), Bytes32.ZERO)));
    assertEquals(Optional.empty(), reopened.pinned());
    assertEquals(3, new LocalLog(store, state, EventFormat.OPAQUE).protectedThrough());
  }

  @Test
  void aSavedPinOrMarkThatDoesNotMatchTheLogStopsTheOpen() {
    InMemoryOrderedLog store = new InMemoryOrderedLog();
    LocalLog log = new LocalLog(store, new InMemorySequencingStore(), EventFormat.OPAQUE);
    log.appendNext(ev(P, 1, "a"));
    InMemorySequencingStore badMark = new InMemorySequencingStore();
    badMark.saveMark(new AnchorMark(0, 0, Bytes32.ZERO, Bytes32.ZERO));
    assertThrows(
        IllegalStateException.class, () -> new LocalLog(store, badMark, EventFormat.OPAQUE));
    InMemorySequencingStore badPin = new InMemorySequencingStore();
    badPin.savePin(new ProposedBatch(0, 0, 5, Bytes32.ZERO, Bytes32.ZERO));
    assertThrows(
        IllegalStateException.class, () -> new LocalLog(store, badPin, EventFormat.OPAQUE));
  }
}
