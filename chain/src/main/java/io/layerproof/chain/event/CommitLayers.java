package io.layerproof.chain.event;

/** Publish the commitment of a finished shard; becomes {@link LayerCommitmentsGenerated}. */
public record CommitLayers(Bytes32 jobId, int shardIndex) implements Command {
  public CommitLayers {
    Checks.present(jobId, "jobId");
    Checks.nonNegative(shardIndex, "shardIndex");
  }
}
