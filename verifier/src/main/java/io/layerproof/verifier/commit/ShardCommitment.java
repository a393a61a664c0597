package io.layerproof.verifier.commit;

import java.util.List;

/**
 * What a provider publishes for one (job, shard) in {@code LayerCommitmentsGenerated}.
 *
 * @param positions tokens covered, positions 0..positions-1
 * @param root Merkle root over the activation leaves, position-major then layer: leaf index {@code
 *     position * (endLayer - startLayer) + (layer - startLayer)}
 * @param inputBoundary Merkle root over the leaves of the frames received, in order
 * @param outputBoundary Merkle root over the leaves of the frames sent, in order; stage k's input
 *     boundary must equal stage k-1's output boundary
 * @param leaves the activation leaves, kept so proofs can be served
 */
public record ShardCommitment(
    String jobId,
    int startLayer,
    int endLayer,
    int positions,
    byte[] root,
    byte[] inputBoundary,
    byte[] outputBoundary,
    List<byte[]> leaves) {

  public ShardCommitment {
    leaves = List.copyOf(leaves);
    if (leaves.size() != (long) positions * (endLayer - startLayer)) {
      throw new IllegalArgumentException(
          leaves.size() + " leaves for " + positions + " positions x " + (endLayer - startLayer));
    }
  }

  public int layers() {
    return endLayer - startLayer;
  }

  /** Index of the (position, layer) leaf in the tree. */
  public int leafIndex(int position, int layer) {
    return leafIndex(startLayer, endLayer, positions, position, layer);
  }

  static int leafIndex(int startLayer, int endLayer, int positions, int position, int layer) {
    if (position < 0 || position >= positions || layer < startLayer || layer >= endLayer) {
      throw new IllegalArgumentException(
          "no leaf for position "
              + position
              + ", layer "
              + layer
              + " in shard "
              + startLayer
              + ".."
              + endLayer
              + " with "
              + positions
              + " positions");
    }
    return position * (endLayer - startLayer) + (layer - startLayer);
  }
}
