package io.layerproof.chain.event;

/**
 * Layers [startLayer, endLayer) of a job's model, served by {@code provider} as shard {@code
 * shardIndex}.
 */
public record ShardAssignment(int shardIndex, NodeId provider, int startLayer, int endLayer) {
  public ShardAssignment {
    Checks.nonNegative(shardIndex, "shardIndex");
    Checks.present(provider, "provider");
    Checks.layerRange(startLayer, endLayer, "shard " + shardIndex);
  }
}
