package io.layerproof.chain.ledger;

import io.layerproof.chain.event.Bytes32;
import java.util.Objects;

/**
 * A sealed batch: events [firstIndex, firstIndex + eventCount), the Merkle root over their leaves,
 * and the previous batch's root ({@code 0x00..} for batch 0): exactly the arguments of {@code
 * LedgerAnchor.anchor(batchIndex, root, eventCount, prevRoot)}, whose chaining rule is the same.
 */
public record BatchRecord(
    long batchIndex,
    long firstIndex,
    long eventCount,
    Bytes32 root,
    Bytes32 prevRoot,
    long sealedAtMillis) {

  public BatchRecord {
    if (batchIndex < 0 || firstIndex < 0 || eventCount <= 0) {
      throw new IllegalArgumentException("bad batch " + batchIndex);
    }
    Objects.requireNonNull(root, "root");
    Objects.requireNonNull(prevRoot, "prevRoot");
  }

  public long lastIndex() {
    return firstIndex + eventCount - 1;
  }

  public boolean contains(long index) {
    return index >= firstIndex && index <= lastIndex();
  }
}
