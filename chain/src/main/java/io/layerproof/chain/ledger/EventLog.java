package io.layerproof.chain.ledger;

import static io.layerproof.chain.ledger.LedgerStore.be;
import static io.layerproof.chain.ledger.LedgerStore.concat;
import static io.layerproof.chain.ledger.LedgerStore.readLong;

import io.layerproof.chain.event.Bytes32;
import io.layerproof.chain.event.CanonicalJson;
import io.layerproof.chain.event.EventId;
import io.layerproof.chain.event.EventRejectedException;
import io.layerproof.chain.event.LedgerEvent;
import io.layerproof.chain.event.NodeId;
import io.layerproof.chain.event.RejectReason;
import io.layerproof.chain.event.Rejection;
import io.layerproof.chain.event.VerifiedEvent;
import io.layerproof.chain.merkle.MerkleTree;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.LongSupplier;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.RocksIterator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The append-only event ledger in RocksDB: global index to signed envelope, a hash chain over the
 * entries, batches sealed into Merkle trees whose roots chain like LedgerAnchor's, inclusion
 * proofs, and indices by job, node, author and type.
 *
 * <p><b>Durability.</b> An append returns only after its RocksDB write batch is fsynced, and
 * nothing is visible to readers before that; {@link #appendAll} puts many events into one synced
 * batch (group commit), which is how the log keeps up with the network. Each write also moves the
 * head marker, so a write is all or nothing.
 *
 * <p><b>Recovery.</b> On open, entries past the head marker are dropped, the last {@code tailCheck}
 * entries are re-hashed, and a last entry that does not verify (a torn write) is dropped; damage
 * anywhere else is a {@link LedgerCorruptedException} naming the index. {@link #verify()} re-hashes
 * the whole log.
 *
 * <p>One writer at a time (appends are serialised); reads are lock-free and see only durable
 * entries.
 */
public final class EventLog implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(EventLog.class);

  /** How many trailing entries {@link #open} re-hashes. */
  public static final int DEFAULT_TAIL_CHECK = 1024;

  private static final byte[] EMPTY = new byte[0];
  private static final int CACHED_TREES = 8;

  private final LedgerStore store;
  private final BatchPolicy policy;
  private final LongSupplier clock;
  private final Object writeLock = new Object();

  // Writer state, guarded by writeLock.
  private long head = -1;
  private Bytes32 headHash = Bytes32.ZERO;
  private final Map<NodeId, Long> nextSeqs = new HashMap<>();
  private OpenBatch open;
  private long nextBatchIndex;
  private Bytes32 lastRoot = Bytes32.ZERO;

  // What readers may see: only durable state.
  private volatile long durableHead = -1;
  private volatile Bytes32 durableHeadHash = Bytes32.ZERO;
  private volatile long sealedBatches;
  private volatile boolean closed;

  private final Map<Long, MerkleTree> trees =
      new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, MerkleTree> eldest) {
          return size() > CACHED_TREES;
        }
      };

  private EventLog(LedgerStore store, BatchPolicy policy, LongSupplier clock, int tailCheck) {
    this.store = store;
    this.policy = policy;
    this.clock = clock;
    recover(tailCheck);
  }

  public static EventLog open(Path dir) {
    return open(dir, BatchPolicy.defaults());
  }

  /**
   * Opens a ledger for reading while its node may be running and writing it: the log as it stood
   * when opened. Entries past the head marker or a torn last write are left alone and not read;
   * every write fails.
   */
  public static EventLog openReadOnly(Path dir) {
    return over(
        LedgerStore.openReadOnly(dir),
        BatchPolicy.sealedByCaller(),
        System::currentTimeMillis,
        DEFAULT_TAIL_CHECK);
  }

  public static EventLog open(Path dir, BatchPolicy policy) {
    return open(dir, policy, System::currentTimeMillis, DEFAULT_TAIL_CHECK);
  }

  /**
   * @param clock milliseconds, for the batch age rule
   * @param tailCheck how many trailing entries to re-hash on open
   */
  public static EventLog open(Path dir, BatchPolicy policy, LongSupplier clock, int tailCheck) {
    return over(LedgerStore.open(dir), policy, clock, tailCheck);
  }

  /** A log over an opened store; the store is closed if recovery fails. */
  private static EventLog over(
      LedgerStore store, BatchPolicy policy, LongSupplier clock, int tailCheck) {
    try {
      return new EventLog(store, policy, clock, tailCheck);
    } catch (RuntimeException e) {
      store.close();
      throw e;
    }
  }

  // ------------------------------------------------------------------ appending

  /**
   * Appends one event and returns once it is durable.
   *
   * @throws EventRejectedException for a duplicate id or an out-of-order author sequence
   */
  public IndexedEvent append(VerifiedEvent event) {
    AppendResult result = appendAll(List.of(event)).get(0);
    if (result instanceof AppendResult.Rejected r) {
      throw new EventRejectedException(r.rejection());
    }
    return ((AppendResult.Appended) result).event();
  }

  /**
   * Appends {@code events} in order with one fsynced write (group commit) and returns one result
   * per event. A refused event (duplicate id, author sequence out of order) is skipped and stores
   * nothing; the others are durable when this returns. If the write itself fails, no event of the
   * call is acknowledged and a {@link LedgerException} is thrown.
   */
  public List<AppendResult> appendAll(List<VerifiedEvent> events) {
    synchronized (writeLock) {
      ensureOpen();
      List<AppendResult> results = new ArrayList<>(events.size());
      Map<NodeId, Long> seqs = new HashMap<>();
      Set<EventId> ids = new HashSet<>();
      long index = head;
      Bytes32 previous = headHash;
      long now = clock.getAsLong();
      boolean sealed = false;
      try (LedgerStore.Write batch = store.write()) {
        for (VerifiedEvent e : events) {
          Rejection refused = check(e, ids, seqs);
          if (refused != null) {
            results.add(new AppendResult.Rejected(refused));
            continue;
          }
          index++;
          Bytes32 entryHash = EntryHashes.entryHash(previous, index, e.envelopeHash());
          putEntry(batch, index, e, entryHash);
          previous = entryHash;
          ids.add(e.id());
          seqs.put(e.author(), e.seq() + 1);
          results.add(
              new AppendResult.Appended(
                  new IndexedEvent(index, e.envelope(), e.envelopeHash(), entryHash)));
          open.add(EntryHashes.leaf(index, entryHash), now);
          if (open.size() >= policy.maxEvents()) {
            sealInto(batch, open.size(), now);
            sealed = true;
          }
        }
        if (index == head) {
          return results; // everything refused: nothing to write
        }
        batch.put(store.meta, LedgerStore.HEAD_KEY, headValue(index, previous));
        batch.commit();
      } catch (RuntimeException failure) {
        reloadAfterFailedWrite(sealed);
        throw failure;
      }
      head = index;
      headHash = previous;
      nextSeqs.putAll(seqs);
      publish();
      return results;
    }
  }

  private Rejection check(VerifiedEvent e, Set<EventId> ids, Map<NodeId, Long> seqs) {
    if (ids.contains(e.id())) {
      return new Rejection(
          RejectReason.DUPLICATE_EVENT_ID, "event id " + e.id() + " appears twice in one append");
    }
    OptionalLong stored = storedIndexOf(e.id(), head);
    if (stored.isPresent()) {
      return new Rejection(
          RejectReason.DUPLICATE_EVENT_ID,
          "event id " + e.id() + " is already in the log at index " + stored.getAsLong());
    }
    Long pending = seqs.get(e.author());
    long expected = pending != null ? pending : nextSeqLocked(e.author());
    if (e.seq() != expected) {
      return new Rejection(
          RejectReason.SEQUENCE_OUT_OF_ORDER,
          "author " + e.author() + " sent seq " + e.seq() + ", the log expects " + expected);
    }
    return null;
  }

  private void putEntry(LedgerStore.Write batch, long index, VerifiedEvent e, Bytes32 entryHash) {
    byte[] value = new byte[StoredEntry.HEADER + e.wireLength()];
    entryHash.copyTo(value, 0);
    e.envelopeHash().copyTo(value, 32);
    e.copyWireTo(value, StoredEntry.HEADER);
    batch.put(store.entries, be(index), value);
    batch.put(store.eventIds, e.id().toByteArray(), be(index));
    batch.put(store.byAuthor, concat(e.author().toByteArray(), index), be(e.seq()));
    LedgerEvent event = e.event();
    if (event.job().isPresent()) {
      batch.put(store.byJob, concat(event.job().get().toByteArray(), index), EMPTY);
    }
    Set<NodeId> nodes = new LinkedHashSet<>();
    nodes.add(e.author());
    nodes.addAll(event.nodes());
    for (NodeId node : nodes) {
      batch.put(store.byNode, concat(node.toByteArray(), index), EMPTY);
    }
    batch.put(store.byType, concat(LedgerStore.typePrefix(event.type()), index), EMPTY);
  }

  /** The sequence number the log expects next from {@code author} (0 for a new author). */
  public long nextSeq(NodeId author) {
    synchronized (writeLock) {
      ensureOpen();
      return nextSeqLocked(author);
    }
  }

  private long nextSeqLocked(NodeId author) {
    Long cached = nextSeqs.get(author);
    if (cached != null) {
      return cached;
    }
    long next = 0;
    byte[] prefix = author.toByteArray();
    try (RocksIterator it = store.iterator(store.byAuthor)) {
      it.seekForPrev(concat(prefix, Long.MAX_VALUE));
      if (it.isValid() && LedgerStore.startsWith(it.key(), prefix)) {
        next = readLong(it.value(), 0) + 1;
      }
    }
    nextSeqs.put(author, next);
    return next;
  }

  // ------------------------------------------------------------------ batches

  /** Seals the open batch now, if it holds any event. */
  public Optional<BatchRecord> seal() {
    synchronized (writeLock) {
      ensureOpen();
      return open.isEmpty() ? Optional.empty() : Optional.of(sealAndWrite(open.size()));
    }
  }

  /** Seals the open batch if its first event is older than the policy's {@code maxAge}. */
  public Optional<BatchRecord> sealIfDue() {
    synchronized (writeLock) {
      ensureOpen();
      if (open.isEmpty()
          || clock.getAsLong() - open.openedAtMillis() < policy.maxAge().toMillis()) {
        return Optional.empty();
      }
      return Optional.of(sealAndWrite(open.size()));
    }
  }

  /**
   * Seals the open batch up to and including {@code lastIndex}, leaving later events open: a
   * follower uses it to cut its batches where the sequencer's {@code BatchAnchored} says.
   */
  public BatchRecord sealThrough(long lastIndex) {
    synchronized (writeLock) {
      ensureOpen();
      if (lastIndex < open.firstIndex() || lastIndex > head) {
        throw new IllegalArgumentException(
            "index "
                + lastIndex
                + " is not in the open batch ["
                + open.firstIndex()
                + ", "
                + head
                + "]");
      }
      return sealAndWrite((int) (lastIndex - open.firstIndex() + 1));
    }
  }

  private BatchRecord sealAndWrite(int count) {
    try (LedgerStore.Write batch = store.write()) {
      BatchRecord record = sealInto(batch, count, clock.getAsLong());
      batch.commit();
      publish();
      return record;
    } catch (RuntimeException failure) {
      reloadAfterFailedWrite(true);
      throw failure;
    }
  }

  private BatchRecord sealInto(LedgerStore.Write batch, int count, long now) {
    BatchRecord record =
        new BatchRecord(nextBatchIndex, open.firstIndex(), count, open.root(count), lastRoot, now);
    batch.put(store.batches, be(record.batchIndex()), CanonicalJson.encode(record));
    batch.put(store.batchStarts, be(record.firstIndex()), be(record.batchIndex()));
    batch.put(
        store.anchors, be(record.batchIndex()), CanonicalJson.encode(AnchorStatus.Pending.fresh()));
    nextBatchIndex++;
    lastRoot = record.root();
    open = open.rest(count, now);
    return record;
  }

  /**
   * Drops the entries after {@code newHead} that no sealed batch covers, in one synced write: a
   * provisional tail that lost to the anchored history when sequencing re-syncs. Sealed batches are
   * what was anchored and are never dropped here.
   *
   * @throws IllegalArgumentException if a sealed batch ends after {@code newHead}
   */
  public void truncateProvisional(long newHead) {
    synchronized (writeLock) {
      ensureOpen();
      if (newHead >= head) {
        return;
      }
      if (newHead < open.firstIndex() - 1) {
        throw new IllegalArgumentException(
            "entries up to "
                + (open.firstIndex() - 1)
                + " are sealed; cannot drop after "
                + newHead);
      }
      try {
        truncateAfter(newHead);
      } finally {
        loadWriterState(committedHead());
      }
    }
  }

  /**
   * Durably stores a small named value next to the log (in the same RocksDB, synced): state that
   * must survive a restart together with the entries it refers to, such as sequencing's anchor
   * mark. Names live apart from the log's own keys.
   */
  public void saveState(String name, byte[] value) {
    synchronized (writeLock) {
      ensureOpen();
      try (LedgerStore.Write batch = store.write()) {
        batch.put(store.meta, stateKey(name), value);
        batch.commit();
      }
    }
  }

  /** The value last saved under {@code name}. */
  public Optional<byte[]> loadState(String name) {
    ensureOpen();
    return Optional.ofNullable(store.get(store.meta, stateKey(name)));
  }

  /** Forgets the value saved under {@code name}, durably. */
  public void deleteState(String name) {
    synchronized (writeLock) {
      ensureOpen();
      try (LedgerStore.Write batch = store.write()) {
        batch.delete(store.meta, stateKey(name));
        batch.commit();
      }
    }
  }

  private static byte[] stateKey(String name) {
    return ("state/" + name).getBytes(java.nio.charset.StandardCharsets.UTF_8);
  }

  /** Sealed batches so far (they are numbered 0 .. batchCount - 1). */
  public long batchCount() {
    return sealedBatches;
  }

  public Optional<BatchRecord> batch(long batchIndex) {
    ensureOpen();
    if (batchIndex < 0 || batchIndex >= sealedBatches) {
      return Optional.empty();
    }
    return Optional.ofNullable(readBatch(store.get(store.batches, be(batchIndex))));
  }

  /** The sealed batch holding event {@code index}, if that batch is sealed. */
  public Optional<BatchRecord> batchContaining(long index) {
    ensureOpen();
    if (index < 0 || index > durableHead) {
      return Optional.empty();
    }
    try (RocksIterator it = store.iterator(store.batchStarts)) {
      it.seekForPrev(be(index));
      if (!it.isValid()) {
        return Optional.empty();
      }
      return batch(readLong(it.value(), 0)).filter(b -> b.contains(index));
    }
  }

  /**
   * The inclusion proof of event {@code index} in its sealed batch.
   *
   * @throws IllegalStateException if the event is not in a sealed batch yet
   */
  public InclusionProof proveInclusion(long index) {
    ensureOpen();
    BatchRecord b =
        batchContaining(index)
            .orElseThrow(
                () ->
                    new IllegalStateException(
                        "event " + index + " is not in a sealed batch (head " + durableHead + ")"));
    MerkleTree tree = tree(b);
    int position = (int) (index - b.firstIndex());
    StoredEntry entry = entry(index);
    Bytes32 previous = index == 0 ? Bytes32.ZERO : entry(index - 1).entryHash();
    List<Bytes32> siblings = new ArrayList<>();
    for (byte[] s : tree.proof(position)) {
      siblings.add(Bytes32.of(s));
    }
    return new InclusionProof(
        index, entry.envelopeHash(), previous, b.batchIndex(), b.root(), siblings);
  }

  private MerkleTree tree(BatchRecord b) {
    synchronized (trees) {
      MerkleTree cached = trees.get(b.batchIndex());
      if (cached != null) {
        return cached;
      }
    }
    List<byte[]> leaves = new ArrayList<>((int) b.eventCount());
    try (RocksIterator it = store.iterator(store.entries)) {
      it.seek(be(b.firstIndex()));
      for (long i = b.firstIndex(); i <= b.lastIndex(); i++, it.next()) {
        if (!it.isValid() || readLong(it.key(), 0) != i) {
          throw new LedgerException("entry " + i + " of batch " + b.batchIndex() + " is missing");
        }
        byte[] v = it.value();
        leaves.add(EntryHashes.leaf(i, Bytes32.of(Arrays.copyOfRange(v, 0, 32))).toByteArray());
      }
    }
    MerkleTree tree = MerkleTree.of(leaves);
    synchronized (trees) {
      trees.put(b.batchIndex(), tree);
    }
    return tree;
  }

  // ------------------------------------------------------------------ anchoring status

  public AnchorStatus anchorStatus(long batchIndex) {
    ensureOpen();
    byte[] v = store.get(store.anchors, be(batchIndex));
    if (v == null) {
      throw new IllegalArgumentException("no sealed batch " + batchIndex);
    }
    try {
      return CanonicalJson.decode(v, AnchorStatus.class);
    } catch (IOException e) {
      throw new LedgerException("anchor status of batch " + batchIndex + " is unreadable", e);
    }
  }

  /** Records {@code status} for a sealed batch (fsynced). */
  public void recordAnchorStatus(long batchIndex, AnchorStatus status) {
    ensureOpen();
    if (batch(batchIndex).isEmpty()) {
      throw new IllegalArgumentException("no sealed batch " + batchIndex);
    }
    try (LedgerStore.Write batch = store.write()) {
      batch.put(store.anchors, be(batchIndex), CanonicalJson.encode(status));
      batch.commit();
    }
  }

  // ------------------------------------------------------------------ snapshots

  /** Stores a state snapshot taken after applying event {@code index} (fsynced). */
  public void saveSnapshot(long index, byte[] state) {
    ensureOpen();
    if (index < 0 || index > durableHead) {
      throw new IllegalArgumentException("no event " + index + " to snapshot after");
    }
    try (LedgerStore.Write batch = store.write()) {
      batch.put(store.snapshots, be(index), state);
      batch.commit();
    }
  }

  /** The latest snapshot taken at or before {@code index}. */
  public Optional<Snapshot> snapshotAtOrBefore(long index) {
    ensureOpen();
    try (RocksIterator it = store.iterator(store.snapshots)) {
      it.seekForPrev(be(Math.min(index, durableHead)));
      if (!it.isValid() || durableHead < 0) {
        return Optional.empty();
      }
      return Optional.of(new Snapshot(readLong(it.key(), 0), it.value()));
    }
  }

  /** A stored state snapshot: the state after applying events 0..{@code index}. */
  public record Snapshot(long index, byte[] state) {}

  // ------------------------------------------------------------------ reading

  /** Index of the last durable event, or -1 for an empty log. */
  public long head() {
    return durableHead;
  }

  /** The entry hash of the head: a fingerprint of the whole log. */
  public Bytes32 headHash() {
    return durableHeadHash;
  }

  public long size() {
    return durableHead + 1;
  }

  public Optional<IndexedEvent> get(long index) {
    ensureOpen();
    if (index < 0 || index > durableHead) {
      return Optional.empty();
    }
    return Optional.of(entry(index).toIndexed());
  }

  /** Up to {@code max} events from {@code fromIndex} on (a late joiner pages the log this way). */
  public List<IndexedEvent> read(long fromIndex, int max) {
    ensureOpen();
    List<IndexedEvent> out = new ArrayList<>();
    long last = durableHead;
    try (RocksIterator it = store.iterator(store.entries)) {
      for (it.seek(be(Math.max(0, fromIndex))); it.isValid() && out.size() < max; it.next()) {
        long index = readLong(it.key(), 0);
        if (index > last) {
          break;
        }
        StoredEntry e = StoredEntry.parse(index, it.value());
        if (e == null) {
          throw new LedgerException("entry " + index + " is truncated");
        }
        out.add(e.toIndexed());
      }
    }
    return out;
  }

  public OptionalLong indexOf(EventId id) {
    ensureOpen();
    return storedIndexOf(id, durableHead);
  }

  private OptionalLong storedIndexOf(EventId id, long maxIndex) {
    byte[] v = store.get(store.eventIds, id.toByteArray());
    if (v == null) {
      return OptionalLong.empty();
    }
    long index = readLong(v, 0);
    return index <= maxIndex ? OptionalLong.of(index) : OptionalLong.empty();
  }

  public List<Long> indicesOfJob(Bytes32 jobId) {
    ensureOpen();
    return store.indicesWithPrefix(store.byJob, jobId.toByteArray(), durableHead);
  }

  /** Events authored by {@code node} or naming it (assignments, timeouts, accusations). */
  public List<Long> indicesOfNode(NodeId node) {
    ensureOpen();
    return store.indicesWithPrefix(store.byNode, node.toByteArray(), durableHead);
  }

  public List<Long> indicesOfAuthor(NodeId author) {
    ensureOpen();
    return store.indicesWithPrefix(store.byAuthor, author.toByteArray(), durableHead);
  }

  /** Events of one type, by its name ("JobPosted", ...). */
  public List<Long> indicesOfType(String type) {
    ensureOpen();
    return store.indicesWithPrefix(store.byType, LedgerStore.typePrefix(type), durableHead);
  }

  public List<Long> indicesOfType(Class<? extends LedgerEvent> type) {
    return indicesOfType(type.getSimpleName());
  }

  /** Re-hashes every entry and every batch; reports the first index where the chain breaks. */
  public ChainVerification verify() {
    ensureOpen();
    return new ChainVerifier(store).verify(durableHead, sealedBatches);
  }

  StoredEntry entry(long index) {
    StoredEntry e = StoredEntry.parse(index, store.get(store.entries, be(index)));
    if (e == null) {
      throw new LedgerException("entry " + index + " is missing or truncated");
    }
    return e;
  }

  /** For tests in this package that damage the database on purpose. */
  LedgerStore store() {
    return store;
  }

  // ------------------------------------------------------------------ recovery

  private void recover(int tailCheck) {
    byte[] marker = store.get(store.meta, LedgerStore.HEAD_KEY);
    long committed = marker == null ? -1 : readLong(marker, 0);
    long lastStored = lastKey(store.entries);
    if (lastStored > committed && !store.readOnly) {
      log.warn(
          "ledger: dropping entries {}..{} written past the head marker {}",
          committed + 1,
          lastStored,
          committed);
      truncateAfter(committed);
    }
    if (committed >= 0) {
      ChainVerification tail =
          new ChainVerifier(store).verifyEntries(Math.max(0, committed - tailCheck + 1), committed);
      if (!tail.ok() && tail.brokenAt() == committed) {
        log.warn("ledger: dropping a torn last write at {}: {}", committed, tail.problem());
        if (!store.readOnly) {
          truncateAfter(committed - 1);
        }
        committed--;
        tail =
            new ChainVerifier(store)
                .verifyEntries(Math.max(0, committed - tailCheck + 1), committed);
      }
      if (!tail.ok()) {
        throw new LedgerCorruptedException(tail.brokenAt(), tail.problem());
      }
    }
    loadWriterState(committed);
  }

  /** Rebuilds the writer's in-memory state from what is durable (open, or after a failed write). */
  private void loadWriterState(long committed) {
    head = committed;
    headHash = committed < 0 ? Bytes32.ZERO : entry(committed).entryHash();
    nextSeqs.clear();
    synchronized (trees) {
      trees.clear();
    }
    long lastBatch = lastKey(store.batches);
    BatchRecord last = lastBatch < 0 ? null : readBatch(store.get(store.batches, be(lastBatch)));
    nextBatchIndex = last == null ? 0 : last.batchIndex() + 1;
    lastRoot = last == null ? Bytes32.ZERO : last.root();
    open = new OpenBatch(last == null ? 0 : last.lastIndex() + 1);
    long now = clock.getAsLong();
    for (long i = open.firstIndex(); i <= head; i++) {
      open.add(EntryHashes.leaf(i, entry(i).entryHash()), now);
    }
    publish();
  }

  private void reloadAfterFailedWrite(boolean sealed) {
    log.error("ledger: a write failed; reloading state from disk (sealed batch: {})", sealed);
    loadWriterState(committedHead());
  }

  private long committedHead() {
    byte[] marker = store.get(store.meta, LedgerStore.HEAD_KEY);
    return marker == null ? -1 : readLong(marker, 0);
  }

  /**
   * Removes every entry after {@code newHead} with its index keys, batches and snapshots, in one
   * synced write. Keys of an entry too damaged to decode are found by scanning the indices.
   */
  void truncateAfter(long newHead) {
    try (LedgerStore.Write batch = store.write()) {
      boolean scan = false;
      try (RocksIterator it = store.iterator(store.entries)) {
        for (it.seek(be(newHead + 1)); it.isValid(); it.next()) {
          long index = readLong(it.key(), 0);
          StoredEntry e = StoredEntry.parse(index, it.value());
          try {
            deleteIndexKeys(batch, index, e.envelope());
          } catch (RuntimeException undecodable) {
            scan = true;
          }
        }
      }
      batch.deleteFrom(store.entries, be(newHead + 1));
      if (scan) {
        for (ColumnFamilyHandle cf :
            List.of(store.byAuthor, store.byJob, store.byNode, store.byType)) {
          deleteKeysAfter(batch, cf, newHead);
        }
        try (RocksIterator it = store.iterator(store.eventIds)) {
          for (it.seekToFirst(); it.isValid(); it.next()) {
            if (readLong(it.value(), 0) > newHead) {
              batch.delete(store.eventIds, it.key());
            }
          }
        }
      }
      try (RocksIterator it = store.iterator(store.batches)) {
        for (it.seekToFirst(); it.isValid(); it.next()) {
          BatchRecord b = readBatch(it.value());
          if (b.lastIndex() > newHead) {
            log.warn("ledger: dropping batch {} that ends past index {}", b.batchIndex(), newHead);
            batch.delete(store.batches, it.key());
            batch.delete(store.batchStarts, be(b.firstIndex()));
            batch.delete(store.anchors, it.key());
          }
        }
      }
      batch.deleteFrom(store.snapshots, be(newHead + 1));
      if (newHead >= 0) {
        batch.put(store.meta, LedgerStore.HEAD_KEY, headValue(newHead, entry(newHead).entryHash()));
      } else {
        batch.delete(store.meta, LedgerStore.HEAD_KEY);
      }
      batch.commit();
    }
  }

  private void deleteIndexKeys(
      LedgerStore.Write batch, long index, io.layerproof.chain.event.SignedEvent e) {
    batch.delete(store.eventIds, e.id().toByteArray());
    batch.delete(store.byAuthor, concat(e.author().toByteArray(), index));
    if (e.event().job().isPresent()) {
      batch.delete(store.byJob, concat(e.event().job().get().toByteArray(), index));
    }
    batch.delete(store.byNode, concat(e.author().toByteArray(), index));
    for (NodeId node : e.event().nodes()) {
      batch.delete(store.byNode, concat(node.toByteArray(), index));
    }
    batch.delete(store.byType, concat(LedgerStore.typePrefix(e.event().type()), index));
  }

  private void deleteKeysAfter(LedgerStore.Write batch, ColumnFamilyHandle cf, long newHead) {
    try (RocksIterator it = store.iterator(cf)) {
      for (it.seekToFirst(); it.isValid(); it.next()) {
        if (LedgerStore.lastLong(it.key()) > newHead) {
          batch.delete(cf, it.key());
        }
      }
    }
  }

  private long lastKey(ColumnFamilyHandle cf) {
    try (RocksIterator it = store.iterator(cf)) {
      it.seekToLast();
      return it.isValid() ? readLong(it.key(), 0) : -1;
    }
  }

  private static byte[] headValue(long index, Bytes32 entryHash) {
    return ByteBuffer.allocate(40).putLong(index).put(entryHash.toByteArray()).array();
  }

  static BatchRecord readBatch(byte[] value) {
    if (value == null) {
      return null;
    }
    try {
      return CanonicalJson.decode(value, BatchRecord.class);
    } catch (IOException e) {
      throw new LedgerException("a batch record is unreadable: " + e.getMessage(), e);
    }
  }

  private void publish() {
    durableHead = head;
    durableHeadHash = headHash;
    sealedBatches = nextBatchIndex;
  }

  /** Native handles must not be used after close: fail in Java instead of in RocksDB. */
  private void ensureOpen() {
    if (closed) {
      throw new IllegalStateException("the ledger is closed");
    }
  }

  @Override
  public void close() {
    synchronized (writeLock) {
      if (!closed) {
        closed = true;
        store.close();
      }
    }
  }
}
