package io.layerproof.node.sequencing;

import io.layerproof.chain.event.Bytes32;
import io.layerproof.chain.ledger.EntryHashes;

/**
 * An event at its global index, with the hash chain value that commits to it and to every entry
 * before it. Two logs with the same chain hash at index i hold the same first i+1 entries, so the
 * head's chain hash is the log's state hash, and comparing one hash finds where logs diverge. The
 * chain is the ledger's ({@link EntryHashes#entryHash}) over the {@link EventFormat}'s digest.
 */
public record LogEntry(long index, ProducerEvent event, Bytes32 chainHash) {

  public LogEntry {
    if (index < 0) {
      throw new IllegalArgumentException("negative index");
    }
  }

  /** The entry at {@code index} after an entry whose chain hash is {@code prev}. */
  public static LogEntry chain(Bytes32 prev, long index, ProducerEvent event, EventFormat format) {
    return new LogEntry(index, event, EntryHashes.entryHash(prev, index, format.digest(event)));
  }

  /** Whether this entry's chain hash is right for a predecessor with chain hash {@code prev}. */
  public boolean chainsFrom(Bytes32 prev, EventFormat format) {
    return chainHash.equals(EntryHashes.entryHash(prev, index, format.digest(event)));
  }
}
