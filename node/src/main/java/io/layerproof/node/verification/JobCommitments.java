package io.layerproof.node.verification;

import io.layerproof.chain.event.Bytes32;
import io.layerproof.verifier.reexec.CommittedShard;
import java.util.List;

/**
 * What the ledger says a job's providers committed to ({@code LayerCommitmentsGenerated}), one
 * entry per shard in shard order: the activation root and both boundary roots. Only the activation
 * root also reaches the chain ({@code JobMarket.postCommitment}); audits refuse a shard whose two
 * roots differ, so a verdict is always about what the provider committed to on chain.
 *
 * @param jobId the JobMarket job id; each shard's string job id is its hex form ({@link
 *     Bytes32#toString()}), the id the providers' commitment hooks were given
 * @param shards contiguous from layer 0, in shard order
 */
public record JobCommitments(Bytes32 jobId, List<CommittedShard> shards) {

  public JobCommitments {
    if (jobId == null || shards == null || shards.isEmpty()) {
      throw new IllegalArgumentException("a job's commitments name the job and at least one shard");
    }
    shards = List.copyOf(shards);
    int next = 0;
    for (int i = 0; i < shards.size(); i++) {
      CommittedShard s = shards.get(i);
      if (!s.jobId().equals(jobId.toString())) {
        throw new IllegalArgumentException("shard " + i + " is a commitment of job " + s.jobId());
      }
      if (s.startLayer() != next) {
        throw new IllegalArgumentException(
            "shard " + i + " starts at layer " + s.startLayer() + ", expected " + next);
      }
      next = s.endLayer();
    }
  }

  public CommittedShard shard(int index) {
    return shards.get(index);
  }

  /** The output boundary root of the shard before {@code index}, or null for the first shard. */
  public byte[] previousOutputBoundary(int index) {
    return index == 0 ? null : shards.get(index - 1).outputBoundary();
  }
}
