package io.layerproof.inference.layers;

import ai.djl.ndarray.NDArray;

/** Root-mean-square norm over the last axis, scaled by a learned weight (Llama's RMSNorm). */
public record RmsNorm(NDArray weight, float eps) {

  public NDArray apply(NDArray x) {
    NDArray inv = x.square().mean(new int[] {-1}, true).add(eps).pow(-0.5f);
    return x.mul(inv).mul(weight);
  }
}
