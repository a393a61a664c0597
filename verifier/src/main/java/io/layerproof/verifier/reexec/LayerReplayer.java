package io.layerproof.verifier.reexec;

import io.layerproof.inference.hook.LayerHook;
import io.layerproof.inference.model.LlamaConfig;
import io.layerproof.inference.model.LlamaModel;
import io.layerproof.inference.shard.HiddenStateFrame;
import io.layerproof.inference.shard.Shard;
import io.layerproof.inference.shard.ShardOptions;
import io.layerproof.inference.shard.ShardSession;
import java.util.HashMap;
import java.util.Map;

/**
 * Re-executes single decoder layers of the verifier's own copy of the model at one position {@code
 * t}: all positions {@code 0..t} in one step on a fresh KV cache, as {@code Shard.loadLayers} runs
 * them, but computing only what the output at {@code t} needs ({@code Shard.forwardLastRow}: keys
 * and values of every position, the rest of the layer for {@code t} alone). Each layer's weights
 * are loaded on first use and kept; layer 0 also holds the token embedding, so it takes token ids.
 */
public final class LayerReplayer implements AutoCloseable {

  private final LlamaModel model;
  private final Map<Integer, Shard> layers = new HashMap<>();
  private long replayedRows;

  public LayerReplayer(LlamaModel model) {
    this.model = model;
  }

  public LlamaConfig config() {
    return model.config();
  }

  /**
   * Runs layer {@code layer} on {@code input} (starting at position 0: token ids for layer 0,
   * hidden states {@code [rows, hidden]} otherwise) and returns its FP32 output at the last row.
   */
  public synchronized float[] lastRow(int layer, HiddenStateFrame input) {
    if (input.startPosition() != 0) {
      throw new IllegalArgumentException("re-execution starts at position 0");
    }
    Shard shard =
        layers.computeIfAbsent(layer, l -> Shard.loadLayers(model, l, l + 1, ShardOptions.DEFAULT));
    HiddenStateFrame out;
    try (ShardSession session = shard.newSession("replay", LayerHook.NONE)) {
      out = shard.forwardLastRow(session, input);
    }
    replayedRows += input.rows();
    return out.floats();
  }

  /** Rows (positions x layers) re-executed so far: the verifier's work. */
  public synchronized long replayedRows() {
    return replayedRows;
  }

  @Override
  public synchronized void close() {
    layers.values().forEach(Shard::close);
    layers.clear();
  }
}
