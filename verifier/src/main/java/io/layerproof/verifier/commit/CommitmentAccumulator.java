package io.layerproof.verifier.commit;

import io.layerproof.chain.merkle.MerkleTree;
import io.layerproof.inference.hook.Activation;
import io.layerproof.inference.hook.LayerHook;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@link LayerHook} that hashes every layer output of one (job, shard) into a leaf and, when the
 * job is done, builds the Merkle tree and the boundary hashes: a {@link ShardCommitment}.
 */
public final class CommitmentAccumulator implements LayerHook {

  private final String jobId;
  private final int startLayer;
  private final int endLayer;
  private final List<byte[]> leaves = new ArrayList<>();
  private final List<byte[]> inputs = new ArrayList<>();
  private final List<byte[]> outputs = new ArrayList<>();
  private boolean finished;

  public CommitmentAccumulator(String jobId, int startLayer, int endLayer) {
    if (startLayer < 0 || endLayer <= startLayer) {
      throw new IllegalArgumentException("empty layer range " + startLayer + ".." + endLayer);
    }
    this.jobId = jobId;
    this.startLayer = startLayer;
    this.endLayer = endLayer;
  }

  @Override
  public synchronized void onLayerOutput(String job, int position, int layer, Activation output) {
    check(job);
    if (layer < startLayer || layer >= endLayer) {
      throw new IllegalArgumentException(
          "layer " + layer + " is outside shard " + startLayer + ".." + endLayer);
    }
    int index = position * (endLayer - startLayer) + (layer - startLayer);
    while (leaves.size() <= index) {
      leaves.add(null);
    }
    if (leaves.get(index) != null) {
      throw new IllegalStateException(
          "position " + position + ", layer " + layer + " was already committed");
    }
    leaves.set(index, ActivationLeaf.of(job, position, layer, output));
  }

  @Override
  public synchronized void onShardInput(String job, int startPosition, Activation frame) {
    check(job);
    inputs.add(ActivationLeaf.boundary(job, startPosition, frame));
  }

  @Override
  public synchronized void onShardOutput(String job, int startPosition, Activation frame) {
    check(job);
    outputs.add(ActivationLeaf.boundary(job, startPosition, frame));
  }

  /** Builds the commitment; every (position, layer) up to the last position must be present. */
  public synchronized ShardCommitment finish() {
    check(jobId);
    int layers = endLayer - startLayer;
    if (leaves.isEmpty() || leaves.size() % layers != 0 || leaves.contains(null)) {
      throw new IllegalStateException(
          "job " + jobId + " has gaps in its layer outputs; nothing to commit");
    }
    finished = true;
    return new ShardCommitment(
        jobId,
        startLayer,
        endLayer,
        leaves.size() / layers,
        MerkleTree.of(leaves).root(),
        MerkleTree.of(inputs).root(),
        MerkleTree.of(outputs).root(),
        leaves);
  }

  private void check(String job) {
    if (finished) {
      throw new IllegalStateException("commitment of job " + jobId + " is already finished");
    }
    if (!jobId.equals(job)) {
      throw new IllegalArgumentException("accumulator of job " + jobId + " got job " + job);
    }
  }
}
