package io.layerproof.node.sequencing;

import io.layerproof.chain.event.Bytes32;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * This node's replica of the ordered log: an {@link OrderedLog} plus what sequencing needs to keep
 * it consistent: the head's chain hash (the state hash), the last sequence number of each producer,
 * the {@link AnchorMark} up to which the log is final and the pinned {@link ProposedBatch} (both
 * kept in a {@link SequencingStore}). All changes go through here and are reported to a {@link
 * Listener}.
 *
 * <p>Invariant: for every producer, its entries are sequence numbers 1, 2, 3, ... in index order.
 * The sequencer only appends the next number; merged entries are checked for it.
 */
public final class LocalLog {
  /** Observes changes to the log. */
  public interface Listener {
    default void appended(LogEntry entry) {}

    /** Entries after {@code index} were dropped. */
    default void truncated(long index) {}

    default void anchored(AnchorMark mark) {}

    /** A batch was pinned (or a pin extended): its outcome is now awaited. */
    default void pinned(ProposedBatch pin) {}
  }

  private static final int SCAN_PAGE = 1024;

  private final OrderedLog store;
  private final SequencingStore state;
  private final EventFormat format;
  private final List<Listener> listeners = new ArrayList<>();
  private final Map<ProducerId, Long> lastSeq = new HashMap<>();
  private long head;
  private Bytes32 headHash = Bytes32.ZERO;
  private AnchorMark mark;
  private ProposedBatch pin;

  /**
   * Opens the replica, checking the stored hash chain and producer order as it scans (digests only:
   * what is stored was checked when it came in), then the saved mark and pin against it.
   */
  public LocalLog(OrderedLog store, SequencingStore state, EventFormat format) {
    this.store = store;
    this.state = state;
    this.format = format;
    this.head = -1;
    long expected = 0;
    while (true) {
      List<LogEntry> page = store.read(expected, SCAN_PAGE);
      for (LogEntry e : page) {
        String problem = check(e, expected, headHash);
        if (problem != null) {
          throw new IllegalStateException(
              "stored log is broken at index " + e.index() + ": " + problem);
        }
        note(e);
        expected++;
      }
      if (page.size() < SCAN_PAGE) {
        break;
      }
    }
    if (head != store.head()) {
      throw new IllegalStateException("stored log head " + store.head() + " but read to " + head);
    }
    // Both are saved only after their entries, which are never dropped while they stand: a
    // mismatch is damage, not a crash, and guessing could drop anchored entries.
    mark = state.loadMark().orElse(null);
    if (mark != null && !holds(mark.lastIndex(), mark.lastHash())) {
      throw new IllegalStateException("saved anchor mark " + mark + " does not match the log");
    }
    pin = state.loadPin().orElse(null);
    if (pin != null && pin.batchIndex() <= markBatch()) {
      clearPin(); // decided before a crash between saving the mark and clearing the pin
    }
    if (pin != null && !holds(pin.lastIndex(), pin.lastHash())) {
      throw new IllegalStateException("saved pin " + pin + " does not match the log");
    }
  }

  public EventFormat format() {
    return format;
  }

  public void addListener(Listener l) {
    listeners.add(l);
  }

  public long head() {
    return head;
  }

  /** The chain hash of the head entry: equal on two nodes iff their logs are equal. */
  public Bytes32 stateHash() {
    return headHash;
  }

  public Optional<AnchorMark> mark() {
    return Optional.ofNullable(mark);
  }

  /** Index of the last anchored entry, -1 if none is known. */
  public long anchoredThrough() {
    return mark == null ? -1 : mark.lastIndex();
  }

  /**
   * Entries up to here are never replaced: the anchored ones and the pinned ones (a batch whose
   * anchoring may still land; if their only copies were gone by then, the chain would hold a batch
   * no node can produce, and every later batch would be refused).
   */
  public long protectedThrough() {
    return Math.max(anchoredThrough(), pin == null ? -1 : pin.lastIndex());
  }

  /** The pinned batch, until the chain shows how it ended. */
  public Optional<ProposedBatch> pinned() {
    return Optional.ofNullable(pin);
  }

  /**
   * Pins {@code p} if this log holds its entries and it is not decided yet; a pin is only replaced
   * by one that keeps more (a later batch, or the same batch cut longer). Returns whether the pin
   * now covers {@code p}'s entries.
   */
  public boolean pin(ProposedBatch p) {
    if (p.batchIndex() <= markBatch() || !holds(p.lastIndex(), p.lastHash())) {
      return false;
    }
    if (pin != null && (pin.covers(p) || pin.batchIndex() > p.batchIndex())) {
      return pin.covers(p);
    }
    state.savePin(p);
    pin = p;
    for (Listener l : List.copyOf(listeners)) {
      l.pinned(p);
    }
    return true;
  }

  /** The chain holds another batch {@code p.batchIndex()}: {@code p}'s entries may go. */
  public void releasePin(ProposedBatch p) {
    if (pin != null && pin.equals(p)) {
      clearPin();
    }
  }

  public long lastSeq(ProducerId p) {
    return lastSeq.getOrDefault(p, 0L);
  }

  public List<LogEntry> read(long sinceIdx, int max) {
    return store.read(sinceIdx, max);
  }

  /** The chain hash at {@code index} (the zero hash before index 0). */
  public Optional<Bytes32> hashAt(long index) {
    if (index == -1) {
      return Optional.of(Bytes32.ZERO);
    }
    if (index < -1 || index > head) {
      return Optional.empty();
    }
    if (index == head) {
      return Optional.of(headHash);
    }
    List<LogEntry> one = store.read(index, 1);
    return one.isEmpty() ? Optional.empty() : Optional.of(one.get(0).chainHash());
  }

  /** Sequencer: appends the producer's next event at the next index. */
  public LogEntry appendNext(ProducerEvent event) {
    if (event.seq() != lastSeq(event.producer()) + 1) {
      throw new IllegalArgumentException(event + " is not next for its producer");
    }
    LogEntry e = LogEntry.chain(headHash, head + 1, event, format);
    append(e);
    return e;
  }

  /**
   * Follower and catch-up: brings in entries from another node's log, in index order. Equal entries
   * are skipped; at the first different one the provisional tail is dropped and theirs taken,
   * unless it is protected (anchored or pinned), which nothing overrides. An entry that does not
   * chain from our predecessor, where that predecessor did not come in the same list, means the
   * logs diverged earlier: {@code DIVERGED}, ask again from the last anchored entry.
   */
  public MergeResult merge(List<LogEntry> entries) {
    return merge(entries, Long.MAX_VALUE);
  }

  /**
   * As {@link #merge(List)}, but replaces none of our entries past {@code replaceThrough}: at the
   * first entry that would, it stops with {@code WOULD_REPLACE}, changing nothing there.
   */
  public MergeResult merge(List<LogEntry> entries, long replaceThrough) {
    int appended = 0;
    boolean truncated = false;
    long prevIndex = -2;
    for (LogEntry e : entries) {
      boolean linked = prevIndex != -2; // e's predecessor came in this list
      if (linked && e.index() != prevIndex + 1) {
        return result(MergeResult.Status.INVALID, appended, truncated, "entries out of order");
      }
      prevIndex = e.index();
      if (e.index() > head + 1) {
        return new MergeResult(
            MergeResult.Status.GAP, appended, truncated, head + 1, "gap before " + e.index());
      }
      if (e.index() <= head && hashAt(e.index()).orElseThrow().equals(e.chainHash())) {
        continue;
      }
      if (!e.chainsFrom(hashAt(e.index() - 1).orElseThrow(), format)) {
        if (linked) {
          return result(
              MergeResult.Status.INVALID,
              appended,
              truncated,
              "chain hash mismatch at index " + e.index());
        }
        if (e.index() - 1 <= protectedThrough()) {
          return new MergeResult(
              MergeResult.Status.CONFLICT_ANCHORED,
              appended,
              truncated,
              head + 1,
              "does not extend " + kind(e.index() - 1) + " entry " + (e.index() - 1));
        }
        return new MergeResult(
            MergeResult.Status.DIVERGED,
            appended,
            truncated,
            Math.max(0, anchoredThrough()),
            "does not extend our entry " + (e.index() - 1));
      }
      if (e.index() <= protectedThrough()) {
        return new MergeResult(
            MergeResult.Status.CONFLICT_ANCHORED,
            appended,
            truncated,
            head + 1,
            "differs from " + kind(e.index()) + " entry " + e.index());
      }
      String order = orderProblem(e, e.index() - 1);
      if (order == null) {
        order = format.problem(e.event());
      }
      if (order != null) {
        return result(MergeResult.Status.INVALID, appended, truncated, order);
      }
      if (e.index() <= head) {
        if (e.index() > replaceThrough) {
          return new MergeResult(
              MergeResult.Status.WOULD_REPLACE,
              appended,
              truncated,
              e.index(),
              "would replace our entry " + e.index());
        }
        truncateAfter(e.index() - 1); // their entry replaces our provisional tail from here
        truncated = true;
      }
      append(e);
      appended++;
    }
    return result(MergeResult.Status.MERGED, appended, truncated, "");
  }

  /**
   * Takes {@code m} as the anchor mark if it is newer and this log holds its last entry with the
   * same chain hash (so the anchored batch is really ours). Returns whether it was taken.
   */
  public boolean adoptMark(AnchorMark m) {
    if (m == null || (mark != null && m.batchIndex() <= mark.batchIndex())) {
      return false;
    }
    if (!holds(m.lastIndex(), m.lastHash())) {
      return false;
    }
    state.saveMark(m);
    mark = m;
    if (pin != null && pin.batchIndex() <= m.batchIndex()) {
      clearPin(); // decided: what of it the chain took is now protected by the mark
    }
    for (Listener l : List.copyOf(listeners)) {
      l.anchored(m);
    }
    return true;
  }

  /**
   * Drops provisional entries after {@code index}; refuses (returns false) if that would drop an
   * anchored or pinned entry.
   */
  public boolean dropProvisionalAfter(long index) {
    if (index < protectedThrough()) {
      return false;
    }
    if (head > index) {
      truncateAfter(index);
    }
    return true;
  }

  private void truncateAfter(long index) {
    if (index < protectedThrough()) {
      throw new IllegalStateException("refusing to drop protected entries after " + index);
    }
    Bytes32 newHeadHash = hashAt(index).orElseThrow(); // before head moves: hashAt caches the head
    List<LogEntry> dropped = new ArrayList<>();
    for (long i = index + 1; i <= head; i += SCAN_PAGE) {
      dropped.addAll(store.read(i, SCAN_PAGE));
    }
    store.truncateAfter(index);
    for (LogEntry e : dropped) {
      // Per-producer numbers are contiguous, so the first dropped one of a producer is its end.
      lastSeq.merge(e.event().producer(), e.event().seq() - 1, Math::min);
    }
    lastSeq.values().removeIf(v -> v == 0);
    head = index;
    headHash = newHeadHash;
    for (Listener l : List.copyOf(listeners)) {
      l.truncated(index);
    }
  }

  private String kind(long protectedIndex) {
    return protectedIndex <= anchoredThrough() ? "anchored" : "pinned";
  }

  private long markBatch() {
    return mark == null ? -1 : mark.batchIndex();
  }

  private boolean holds(long index, Bytes32 hash) {
    return hashAt(index).map(h -> h.equals(hash)).orElse(false);
  }

  private void clearPin() {
    state.clearPin();
    pin = null;
  }

  private void append(LogEntry e) {
    store.append(e);
    note(e);
    for (Listener l : List.copyOf(listeners)) {
      l.appended(e);
    }
  }

  private void note(LogEntry e) {
    head = e.index();
    headHash = e.chainHash();
    lastSeq.put(e.event().producer(), e.event().seq());
  }

  private String check(LogEntry e, long expectedIndex, Bytes32 prev) {
    if (e.index() != expectedIndex) {
      return "index " + e.index() + ", expected " + expectedIndex;
    }
    if (!e.chainsFrom(prev, format)) {
      return "chain hash mismatch at index " + e.index();
    }
    return orderProblem(e, expectedIndex - 1);
  }

  /** Whether {@code e}, placed after index {@code prevIndex}, is its producer's next number. */
  private String orderProblem(LogEntry e, long prevIndex) {
    long expectedSeq = seqBefore(e.event().producer(), prevIndex) + 1;
    if (e.event().seq() != expectedSeq) {
      return "producer "
          + e.event().producer()
          + " seq "
          + e.event().seq()
          + " at index "
          + e.index()
          + ", expected "
          + expectedSeq;
    }
    return null;
  }

  /** The producer's last sequence number among entries up to {@code index}. */
  private long seqBefore(ProducerId p, long index) {
    if (index >= head) {
      return lastSeq(p);
    }
    // Rare (replacing a divergent tail): scan back from index for the producer's last entry.
    for (long i = index; i >= 0; i -= SCAN_PAGE) {
      long from = Math.max(0, i - SCAN_PAGE + 1);
      List<LogEntry> page = store.read(from, (int) (i - from + 1));
      for (int k = page.size() - 1; k >= 0; k--) {
        if (page.get(k).event().producer().equals(p)) {
          return page.get(k).event().seq();
        }
      }
    }
    return 0;
  }

  private MergeResult result(MergeResult.Status s, int appended, boolean truncated, String why) {
    return new MergeResult(s, appended, truncated, head + 1, why);
  }
}
