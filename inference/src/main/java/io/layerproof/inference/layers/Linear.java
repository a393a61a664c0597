package io.layerproof.inference.layers;

import ai.djl.ndarray.NDArray;

/** {@code y = x W^T + b} with W stored [out, in] as in Hugging Face checkpoints. */
public record Linear(NDArray weight, NDArray bias) {

  public static Linear load(Parameters p, String prefix, long out, long in, boolean withBias) {
    NDArray w = p.load(prefix + ".weight", out, in);
    NDArray b = withBias ? p.load(prefix + ".bias", out) : null;
    return new Linear(w, b);
  }

  /** One fused torch.linear call; the result lives in {@code x}'s manager. */
  public NDArray apply(NDArray x) {
    return x.getNDArrayInternal().linear(x, weight, bias).singletonOrThrow();
  }
}
