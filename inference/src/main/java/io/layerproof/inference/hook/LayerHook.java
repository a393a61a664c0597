package io.layerproof.inference.hook;

/**
 * Sees every layer's output for every token (EXO's {@code verification_callback}), plus the frames
 * that cross the shard's boundaries. A shard given {@link #NONE} never copies an activation out of
 * the engine, so an unused hook costs nothing.
 *
 * <p>Calls for one session come from the thread running it, in order: for each forward step, the
 * input frame, then for each layer (ascending) each position (ascending), then the output frame.
 */
public interface LayerHook {

  LayerHook NONE =
      new LayerHook() {
        @Override
        public void onLayerOutput(String jobId, int position, int layer, Activation output) {}

        @Override
        public boolean active() {
          return false;
        }
      };

  /**
   * The output of decoder layer {@code layer} (absolute index in the model) at token position
   * {@code position}: one row of shape {@code [hidden_size]}.
   */
  void onLayerOutput(String jobId, int position, int layer, Activation output);

  /** The frame the shard received: token ids for the first shard, hidden states otherwise. */
  default void onShardInput(String jobId, int startPosition, Activation frame) {}

  /** The frame the shard sends on: hidden states, or the last shard's logits. */
  default void onShardOutput(String jobId, int startPosition, Activation frame) {}

  /** False only for hooks that want nothing, so the shard can skip copying activations. */
  default boolean active() {
    return true;
  }

  /** Calls {@code a} then {@code b}. */
  static LayerHook both(LayerHook a, LayerHook b) {
    if (!a.active()) {
      return b;
    }
    if (!b.active()) {
      return a;
    }
    return new LayerHook() {
      @Override
      public void onLayerOutput(String jobId, int position, int layer, Activation output) {
        a.onLayerOutput(jobId, position, layer, output);
        b.onLayerOutput(jobId, position, layer, output);
      }

      @Override
      public void onShardInput(String jobId, int startPosition, Activation frame) {
        a.onShardInput(jobId, startPosition, frame);
        b.onShardInput(jobId, startPosition, frame);
      }

      @Override
      public void onShardOutput(String jobId, int startPosition, Activation frame) {
        a.onShardOutput(jobId, startPosition, frame);
        b.onShardOutput(jobId, startPosition, frame);
      }
    };
  }
}
