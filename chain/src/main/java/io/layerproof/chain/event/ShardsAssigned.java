package io.layerproof.chain.event;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The sequencer placed a job: contiguous layer ranges on providers (pipeline order) and the
 * verifier that will check them. Emitted by the sequencer.
 */
public record ShardsAssigned(Bytes32 jobId, List<ShardAssignment> shards, NodeId verifier)
    implements LedgerEvent {

  public ShardsAssigned {
    Checks.present(jobId, "jobId");
    shards = Checks.list(shards, "shards");
    Checks.present(verifier, "verifier");
    if (shards.isEmpty()) {
      throw new IllegalArgumentException("a job needs at least one shard");
    }
    for (int i = 0; i < shards.size(); i++) {
      ShardAssignment s = shards.get(i);
      if (s.shardIndex() != i) {
        throw new IllegalArgumentException("shard " + i + " has index " + s.shardIndex());
      }
      if (i > 0 && s.startLayer() != shards.get(i - 1).endLayer()) {
        throw new IllegalArgumentException(
            "shard " + i + " does not start where " + (i - 1) + " ends");
      }
    }
  }

  @Override
  public Optional<Bytes32> job() {
    return Optional.of(jobId);
  }

  @Override
  public List<NodeId> nodes() {
    List<NodeId> out = new ArrayList<>();
    shards.forEach(s -> out.add(s.provider()));
    out.add(verifier);
    return out;
  }
}
