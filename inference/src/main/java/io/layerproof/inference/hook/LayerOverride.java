package io.layerproof.inference.hook;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/**
 * Replaces a decoder layer's output inside a shard's forward step, before the {@link LayerHook}
 * sees it and before the next layer uses it. It exists for tests and demos of cheating providers
 * (skipped layers, dropped precision, noise): whatever it returns is what the provider computes on,
 * commits to and sends downstream, so a cheat is consistent from one layer to the next. An honest
 * shard uses {@link #NONE}, which is never called.
 */
public interface LayerOverride {

  LayerOverride NONE = (layer, start, input, output, scratch) -> output;

  /**
   * @param layer absolute index of the layer in the model
   * @param startPosition the position of the first row
   * @param input the layer's input hidden states [count, hidden]
   * @param output the layer's honest output [count, hidden]
   * @param scratch the manager of this layer's temporaries; a new array may be created in it
   * @return the output to use instead, [count, hidden] float32 ({@code output} itself to keep it)
   */
  NDArray apply(int layer, int startPosition, NDArray input, NDArray output, NDManager scratch);
}
