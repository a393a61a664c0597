package io.layerproof.chain.ledger;

import static io.layerproof.chain.ledger.LedgerStore.be;
import static io.layerproof.chain.ledger.LedgerStore.readLong;

import io.layerproof.chain.event.Bytes32;
import io.layerproof.chain.event.EnvelopeFormat;
import io.layerproof.chain.merkle.MerkleTree;
import java.util.ArrayList;
import java.util.List;
import org.rocksdb.RocksIterator;

/**
 * Re-derives the ledger's hashes from the stored bytes: each entry's envelope hash from its wire
 * bytes, each entry hash from the previous one, each batch root from its entries and each batch's
 * prevRoot from the batch before. Reports the first index that does not match.
 */
final class ChainVerifier {

  private final LedgerStore store;

  ChainVerifier(LedgerStore store) {
    this.store = store;
  }

  /** Entries {@code from..to}, trusting the stored entry hash of {@code from - 1}. */
  ChainVerification verifyEntries(long from, long to) {
    Bytes32 previous = Bytes32.ZERO;
    if (from > 0) {
      StoredEntry before = StoredEntry.parse(from - 1, store.get(store.entries, be(from - 1)));
      if (before == null) {
        return broken(from - 1, 0, 0, "entry is missing or truncated");
      }
      previous = before.entryHash();
    }
    long checked = 0;
    try (RocksIterator it = store.iterator(store.entries)) {
      it.seek(be(from));
      for (long i = from; i <= to; i++, it.next()) {
        String problem = problemAt(it, i, previous);
        if (problem != null) {
          return broken(i, checked, 0, problem);
        }
        previous = StoredEntry.parse(i, it.value()).entryHash();
        checked++;
      }
    }
    return ChainVerification.ok(checked, 0);
  }

  /** Every entry up to {@code head} and every batch below {@code batchCount}. */
  ChainVerification verify(long head, long batchCount) {
    ChainVerification entries = verifyEntries(0, head);
    if (!entries.ok()) {
      return entries;
    }
    Bytes32 previousRoot = Bytes32.ZERO;
    long expectedFirst = 0;
    for (long b = 0; b < batchCount; b++) {
      BatchRecord batch = EventLog.readBatch(store.get(store.batches, be(b)));
      if (batch == null) {
        return broken(expectedFirst, entries.entriesChecked(), b, "batch " + b + " is missing");
      }
      if (batch.firstIndex() != expectedFirst || batch.lastIndex() > head) {
        return broken(
            expectedFirst, entries.entriesChecked(), b, "batch " + b + " does not follow on");
      }
      if (!batch.prevRoot().equals(previousRoot)) {
        return broken(
            batch.firstIndex(),
            entries.entriesChecked(),
            b,
            "batch " + b + " does not chain from batch " + (b - 1));
      }
      if (!root(batch).equals(batch.root())) {
        return broken(
            batch.firstIndex(),
            entries.entriesChecked(),
            b,
            "batch " + b + "'s Merkle root does not match its entries");
      }
      previousRoot = batch.root();
      expectedFirst = batch.lastIndex() + 1;
    }
    return ChainVerification.ok(entries.entriesChecked(), batchCount);
  }

  private Bytes32 root(BatchRecord batch) {
    List<byte[]> leaves = new ArrayList<>();
    for (long i = batch.firstIndex(); i <= batch.lastIndex(); i++) {
      StoredEntry e = StoredEntry.parse(i, store.get(store.entries, be(i)));
      leaves.add(EntryHashes.leaf(i, e.entryHash()).toByteArray());
    }
    return Bytes32.of(MerkleTree.of(leaves).root());
  }

  private static String problemAt(RocksIterator it, long index, Bytes32 previous) {
    if (!it.isValid() || readLong(it.key(), 0) != index) {
      return "entry is missing";
    }
    StoredEntry e = StoredEntry.parse(index, it.value());
    if (e == null) {
      return "entry is truncated";
    }
    Bytes32 envelopeHash;
    try {
      envelopeHash = EnvelopeFormat.envelopeHashOfWire(e.wire());
    } catch (IllegalArgumentException damaged) {
      return "envelope bytes are damaged (" + damaged.getMessage() + ")";
    }
    if (!envelopeHash.equals(e.envelopeHash())) {
      return "envelope bytes do not match their stored hash";
    }
    if (!EntryHashes.entryHash(previous, index, envelopeHash).equals(e.entryHash())) {
      return "entry hash does not chain from entry " + (index - 1);
    }
    return null;
  }

  private static ChainVerification broken(long index, long entries, long batches, String problem) {
    return new ChainVerification(entries, batches, index, problem);
  }
}
