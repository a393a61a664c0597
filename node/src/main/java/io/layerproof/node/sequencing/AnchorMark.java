package io.layerproof.node.sequencing;

import io.layerproof.chain.event.Bytes32;

/**
 * The last batch this node knows to be anchored: its batch number, the global index of its last
 * entry, that entry's chain hash (to check we hold the same entries) and the batch root the chain
 * stored (the next batch's prevRoot). Everything up to {@code lastIndex} is final.
 */
public record AnchorMark(long batchIndex, long lastIndex, Bytes32 lastHash, Bytes32 root) {
  public AnchorMark {
    if (batchIndex < 0 || lastIndex < 0) {
      throw new IllegalArgumentException("negative batch or index");
    }
  }
}
