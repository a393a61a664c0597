package io.layerproof.verifier.commit;

import io.layerproof.chain.merkle.MerkleTree;
import io.layerproof.inference.hook.Activation;
import java.util.Arrays;
import java.util.List;

/**
 * A frame that crossed a shard's boundary, with its boundary leaf and the Merkle proof up to the
 * commitment's input or output boundary root: how a provider proves what its first layer was fed
 * (token ids on the first shard, the previous stage's hidden states otherwise) and what it sent on.
 *
 * @param index the frame's index in the boundary tree (its forward step)
 * @param startPosition the position of the frame's first row (bound into the leaf)
 */
public record FrameReveal(
    String jobId,
    int startLayer,
    Side side,
    int index,
    int startPosition,
    Activation frame,
    byte[] leaf,
    List<byte[]> proof) {

  /** Which boundary the frame crossed. */
  public enum Side {
    INPUT,
    OUTPUT
  }

  public FrameReveal {
    proof = List.copyOf(proof);
  }

  /** Rows (positions) in the frame. */
  public int rows() {
    return frame.shape()[0];
  }

  /**
   * True when the frame hashes to the leaf and the leaf is in the tree with {@code boundaryRoot}
   * (taken from the ledger, never from the provider).
   */
  public boolean verify(byte[] boundaryRoot) {
    byte[] recomputed = ActivationLeaf.boundary(jobId, startPosition, frame);
    return Arrays.equals(recomputed, leaf) && MerkleTree.verify(boundaryRoot, leaf, proof);
  }
}
