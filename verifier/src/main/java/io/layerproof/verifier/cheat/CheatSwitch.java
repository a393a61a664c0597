package io.layerproof.verifier.cheat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.layerproof.inference.hook.LayerOverride;
import io.layerproof.inference.model.LlamaModel;
import io.layerproof.inference.shard.Shard;
import io.layerproof.inference.shard.ShardOptions;
import io.layerproof.verifier.reveal.RevealServer;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;

/**
 * Makes a provider cheat, for tests and demos. The cheat acts inside the forward step ({@link
 * LayerOverride}) or on the weights loaded, so the provider computes, commits to, stores and sends
 * downstream its own wrong activations, consistently from one layer and token to the next: exactly
 * what a lazy or dishonest provider would do, and what re-execution has to catch. {@link
 * CheatMode#REFUSE_REVEAL} computes honestly and withholds every reveal.
 *
 * <p>A node wires it in twice: {@link #loadShard} instead of {@code Shard.load}, and {@link #wrap}
 * around its reveal server.
 *
 * @param layers the layers affected (SKIP_LAYERS, DROP_PRECISION, NOISE); empty otherwise
 * @param substitute the model whose weights are used instead (SUBSTITUTE_MODEL); null otherwise
 * @param noiseScale noise standard deviation as a fraction of each row's RMS (NOISE)
 * @param seed the noise seed; the noise of a (layer, position) depends only on it
 */
public record CheatSwitch(
    CheatMode mode, Set<Integer> layers, LlamaModel substitute, double noiseScale, long seed) {

  public static final CheatSwitch HONEST = new CheatSwitch(CheatMode.HONEST, Set.of(), null, 0, 0);

  public CheatSwitch {
    layers = Set.copyOf(new TreeSet<>(layers));
    boolean perLayer =
        mode == CheatMode.SKIP_LAYERS
            || mode == CheatMode.DROP_PRECISION
            || mode == CheatMode.NOISE;
    if (perLayer == layers.isEmpty()) {
      throw new IllegalArgumentException(
          perLayer ? mode + " needs at least one layer" : mode + " takes no layers");
    }
    if ((mode == CheatMode.SUBSTITUTE_MODEL) != (substitute != null)) {
      throw new IllegalArgumentException("a substitute model goes with SUBSTITUTE_MODEL only");
    }
    if (mode == CheatMode.NOISE && !(noiseScale > 0)) {
      throw new IllegalArgumentException("NOISE needs a positive scale, got " + noiseScale);
    }
  }

  public static CheatSwitch skipLayers(int... layers) {
    return new CheatSwitch(CheatMode.SKIP_LAYERS, set(layers), null, 0, 0);
  }

  public static CheatSwitch substituteModel(LlamaModel other) {
    return new CheatSwitch(CheatMode.SUBSTITUTE_MODEL, Set.of(), other, 0, 0);
  }

  public static CheatSwitch dropPrecision(int... layers) {
    return new CheatSwitch(CheatMode.DROP_PRECISION, set(layers), null, 0, 0);
  }

  public static CheatSwitch noise(double scale, long seed, int... layers) {
    return new CheatSwitch(CheatMode.NOISE, set(layers), null, scale, seed);
  }

  public static CheatSwitch refuseReveal() {
    return new CheatSwitch(CheatMode.REFUSE_REVEAL, Set.of(), null, 0, 0);
  }

  /** True when this cheat changes what layer {@code layer} commits to. */
  public boolean affects(int layer) {
    return switch (mode) {
      case HONEST, REFUSE_REVEAL -> false;
      case SUBSTITUTE_MODEL -> true;
      case SKIP_LAYERS, DROP_PRECISION, NOISE -> layers.contains(layer);
    };
  }

  /**
   * The provider's shard: the substitute's weights for SUBSTITUTE_MODEL (same shape required), the
   * honest weights with the cheating override for the per-layer modes, plain otherwise.
   */
  public Shard loadShard(LlamaModel model, int startLayer, int endLayer, ShardOptions options) {
    return switch (mode) {
      case HONEST, REFUSE_REVEAL -> Shard.load(model, startLayer, endLayer, options);
      case SUBSTITUTE_MODEL -> {
        if (!sameShape(model, substitute)) {
          throw new IllegalArgumentException("the substitute model has another shape");
        }
        yield Shard.load(substitute, startLayer, endLayer, options);
      }
      case SKIP_LAYERS, DROP_PRECISION, NOISE ->
          Shard.load(model, startLayer, endLayer, options, override());
    };
  }

  /** The override applied inside the forward step ({@link LayerOverride#NONE} if none). */
  public LayerOverride override() {
    return switch (mode) {
      case SKIP_LAYERS -> (layer, start, in, out, scratch) -> layers.contains(layer) ? in : out;
      case DROP_PRECISION ->
          (layer, start, in, out, scratch) ->
              layers.contains(layer) ? rows(out, scratch, start, layer, this::int8) : out;
      case NOISE ->
          (layer, start, in, out, scratch) ->
              layers.contains(layer) ? rows(out, scratch, start, layer, this::noise) : out;
      default -> LayerOverride.NONE;
    };
  }

  /** The provider's reveal server: {@code honest} itself, or one that never answers. */
  public RevealServer wrap(RevealServer honest) {
    return mode == CheatMode.REFUSE_REVEAL ? request -> Optional.empty() : honest;
  }

  private interface RowCheat {
    void apply(float[] row, int layer, int position);
  }

  private static NDArray rows(
      NDArray out, NDManager scratch, int start, int layer, RowCheat cheat) {
    long count = out.getShape().get(0);
    int hidden = (int) out.getShape().get(1);
    float[] values = out.toFloatArray();
    float[] row = new float[hidden];
    for (int r = 0; r < count; r++) {
      System.arraycopy(values, r * hidden, row, 0, hidden);
      cheat.apply(row, layer, start + r);
      System.arraycopy(row, 0, values, r * hidden, hidden);
    }
    return scratch.create(values, out.getShape());
  }

  /** Symmetric int8 with one absmax scale per row: q = round(x / s), s = max|x| / 127. */
  private void int8(float[] row, int layer, int position) {
    float max = 0;
    for (float v : row) {
      max = Math.max(max, Math.abs(v));
    }
    if (max == 0) {
      return;
    }
    float scale = max / 127f;
    for (int i = 0; i < row.length; i++) {
      row[i] = Math.max(-127, Math.min(127, Math.round(row[i] / scale))) * scale;
    }
  }

  /** Gaussian noise, std = noiseScale x RMS of the row, seeded by (seed, layer, position). */
  private void noise(float[] row, int layer, int position) {
    double sum = 0;
    for (float v : row) {
      sum += (double) v * v;
    }
    double std = noiseScale * Math.sqrt(sum / row.length);
    SplittableRandom rng = new SplittableRandom(seed ^ (((long) layer << 32) | position));
    for (int i = 0; i < row.length; i++) {
      row[i] += (float) (std * gaussian(rng));
    }
  }

  private static double gaussian(SplittableRandom rng) {
    // Box-Muller; SplittableRandom has no nextGaussian on Java 17.
    double u = 1.0 - rng.nextDouble();
    double v = rng.nextDouble();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  private static boolean sameShape(LlamaModel a, LlamaModel b) {
    return a.config().hiddenSize() == b.config().hiddenSize()
        && a.config().numLayers() == b.config().numLayers()
        && a.config().intermediateSize() == b.config().intermediateSize()
        && a.config().numHeads() == b.config().numHeads()
        && a.config().numKvHeads() == b.config().numKvHeads()
        && a.config().vocabSize() == b.config().vocabSize();
  }

  private static Set<Integer> set(int... layers) {
    Set<Integer> s = new TreeSet<>();
    for (int l : layers) {
      if (l < 0) {
        throw new IllegalArgumentException("negative layer " + l);
      }
      s.add(l);
    }
    return s;
  }
}
