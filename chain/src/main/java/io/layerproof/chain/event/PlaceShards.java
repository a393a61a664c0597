package io.layerproof.chain.event;

/** Place a posted job's {@code layerCount} layers on providers; becomes {@link ShardsAssigned}. */
public record PlaceShards(Bytes32 jobId, int layerCount) implements Command {
  public PlaceShards {
    Checks.present(jobId, "jobId");
    if (layerCount <= 0) {
      throw new IllegalArgumentException("layerCount must be > 0");
    }
  }
}
