package io.layerproof.chain.event;

/**
 * The sequencer anchored ledger batch {@code batchIndex} (events [firstIndex, firstIndex +
 * eventCount)) in LedgerAnchor, chained from {@code prevRoot}. Emitted by the sequencer once the
 * transaction is mined; followers seal the same range and compare roots.
 */
public record BatchAnchored(
    long batchIndex,
    long firstIndex,
    long eventCount,
    Bytes32 root,
    Bytes32 prevRoot,
    Bytes32 txHash,
    long blockNumber)
    implements LedgerEvent {

  public BatchAnchored {
    Checks.nonNegative(batchIndex, "batchIndex");
    Checks.nonNegative(firstIndex, "firstIndex");
    if (eventCount <= 0) {
      throw new IllegalArgumentException("eventCount must be > 0");
    }
    Checks.present(root, "root");
    Checks.present(prevRoot, "prevRoot");
    Checks.present(txHash, "txHash");
    Checks.nonNegative(blockNumber, "blockNumber");
  }
}
