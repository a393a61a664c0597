package io.layerproof.inference.shard;

import io.layerproof.inference.hook.ElementType;

/**
 * @param wireType how hidden states leave the shard: FP32, or FP16 for half the bytes
 * @param hookType the element type handed to the layer hook: FP32, or FP16 to commit and store
 *     half-size activations
 */
public record ShardOptions(ElementType wireType, ElementType hookType) {

  public static final ShardOptions DEFAULT = new ShardOptions(ElementType.FP32, ElementType.FP32);

  public ShardOptions {
    if (wireType == ElementType.INT32 || hookType == ElementType.INT32) {
      throw new IllegalArgumentException("hidden states are FP32 or FP16, not INT32");
    }
  }
}
