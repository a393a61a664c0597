package io.layerproof.chain.event;

/** One sampled (token position, layer) of a shard that a verifier re-executed. */
public record Sample(int token, int layer) {
  public Sample {
    Checks.nonNegative(token, "token");
    Checks.nonNegative(layer, "layer");
  }
}
