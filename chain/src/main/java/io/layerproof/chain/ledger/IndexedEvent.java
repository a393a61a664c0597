package io.layerproof.chain.ledger;

import io.layerproof.chain.event.Bytes32;
import io.layerproof.chain.event.LedgerEvent;
import io.layerproof.chain.event.SignedEvent;
import java.util.Objects;

/**
 * An event with its global index in the log, as every node applies it.
 *
 * @param index 0-based position in the log
 * @param envelope the signed envelope, as its author sent it
 * @param envelopeHash hash of the envelope (see {@code EnvelopeFormat})
 * @param entryHash this entry's link in the hash chain (see {@link EntryHashes})
 */
public record IndexedEvent(
    long index, SignedEvent envelope, Bytes32 envelopeHash, Bytes32 entryHash) {
  public IndexedEvent {
    if (index < 0) {
      throw new IllegalArgumentException("index must be >= 0");
    }
    Objects.requireNonNull(envelope, "envelope");
    Objects.requireNonNull(envelopeHash, "envelopeHash");
    Objects.requireNonNull(entryHash, "entryHash");
  }

  public LedgerEvent event() {
    return envelope.event();
  }
}
