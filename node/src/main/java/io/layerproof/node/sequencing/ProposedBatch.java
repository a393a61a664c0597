package io.layerproof.node.sequencing;

import io.layerproof.chain.event.Bytes32;

/**
 * A batch a sequencer is about to anchor: batch number {@code batchIndex} over log entries {@code
 * firstIndex..lastIndex}, the last one's chain hash (which commits to all of them) and the root it
 * will post. A node holding these entries pins them: it keeps them until the chain shows how batch
 * {@code batchIndex} ended, because they may be the only copies of an anchored batch.
 */
public record ProposedBatch(
    long batchIndex, long firstIndex, long lastIndex, Bytes32 lastHash, Bytes32 root) {
  public ProposedBatch {
    if (batchIndex < 0 || firstIndex < 0 || lastIndex < firstIndex) {
      throw new IllegalArgumentException(
          "bad batch " + batchIndex + ": " + firstIndex + ".." + lastIndex);
    }
  }

  /** Whether pinning this keeps {@code other}'s entries too (same batch, at least as far). */
  public boolean covers(ProposedBatch other) {
    return batchIndex == other.batchIndex && lastIndex >= other.lastIndex;
  }
}
