package io.layerproof.verifier.commit;

import io.layerproof.chain.merkle.MerkleTree;
import io.layerproof.inference.hook.Activation;
import java.util.Arrays;
import java.util.List;

/**
 * A provider's answer to a challenge: the activation of one (position, layer), its leaf and the
 * Merkle proof up to the committed root.
 */
public record Reveal(
    String jobId,
    int startLayer,
    int position,
    int layer,
    Activation activation,
    byte[] leaf,
    List<byte[]> proof) {

  public Reveal {
    proof = List.copyOf(proof);
  }

  /**
   * True when the activation hashes to the leaf and the leaf is in the tree with {@code
   * committedRoot} (taken from the ledger, never from the provider).
   */
  public boolean verify(byte[] committedRoot) {
    byte[] recomputed = ActivationLeaf.of(jobId, position, layer, activation);
    return Arrays.equals(recomputed, leaf) && MerkleTree.verify(committedRoot, leaf, proof);
  }
}
