package io.layerproof.verifier.reexec;

import io.layerproof.verifier.commit.ShardCommitment;
import io.layerproof.verifier.sampling.Sample;

/**
 * What the ledger says one shard of a job committed to ({@code LayerCommitmentsGenerated}): the
 * verifier's only source of truth, never the provider's reveal.
 *
 * @param positions tokens covered, positions {@code 0..positions-1}
 * @param root Merkle root over the activation leaves
 * @param inputBoundary Merkle root over the leaves of the frames the shard received
 * @param outputBoundary Merkle root over the leaves of the frames the shard sent
 */
public record CommittedShard(
    String jobId,
    int startLayer,
    int endLayer,
    int positions,
    byte[] root,
    byte[] inputBoundary,
    byte[] outputBoundary) {

  public CommittedShard {
    if (startLayer < 0 || endLayer <= startLayer || positions < 1) {
      throw new IllegalArgumentException(
          "empty commitment: layers "
              + startLayer
              + ".."
              + endLayer
              + ", "
              + positions
              + " tokens");
    }
    root = hash(root, "root");
    inputBoundary = hash(inputBoundary, "input boundary");
    outputBoundary = hash(outputBoundary, "output boundary");
  }

  /** The public part of a provider's {@link ShardCommitment}. */
  public static CommittedShard of(ShardCommitment c) {
    return new CommittedShard(
        c.jobId(),
        c.startLayer(),
        c.endLayer(),
        c.positions(),
        c.root(),
        c.inputBoundary(),
        c.outputBoundary());
  }

  @Override
  public byte[] root() {
    return root.clone();
  }

  @Override
  public byte[] inputBoundary() {
    return inputBoundary.clone();
  }

  @Override
  public byte[] outputBoundary() {
    return outputBoundary.clone();
  }

  /** True when {@code s} is one of the cells this shard committed to. */
  public boolean contains(Sample s) {
    return s.position() < positions && s.layer() >= startLayer && s.layer() < endLayer;
  }

  private static byte[] hash(byte[] h, String what) {
    if (h == null || h.length != 32) {
      throw new IllegalArgumentException(what + " must be 32 bytes");
    }
    return h.clone();
  }
}
