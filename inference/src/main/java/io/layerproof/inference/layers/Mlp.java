package io.layerproof.inference.layers;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Activation;

/** SwiGLU feed-forward: {@code down(silu(gate(x)) * up(x))}. */
public record Mlp(Linear gate, Linear up, Linear down) {

  public NDArray apply(NDArray x) {
    NDArray g = gate.apply(x);
    return down.apply(g.mul(Activation.sigmoid(g)).mul(up.apply(x)));
  }
}
