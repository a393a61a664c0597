package io.layerproof.inference.layers;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.layerproof.inference.model.LlamaConfig;
import io.layerproof.inference.model.RopeScaling;

/**
 * Rotary position embedding in Hugging Face's "rotate half" layout (the checkpoints' q/k rows are
 * permuted for it), with Llama 3's frequency-dependent scaling or linear scaling.
 */
public final class RotaryEmbedding {

  private final float[] invFreq;
  private final int headDim;

  public RotaryEmbedding(float[] invFreq) {
    this.invFreq = invFreq.clone();
    this.headDim = invFreq.length * 2;
  }

  public static RotaryEmbedding of(LlamaConfig config) {
    return new RotaryEmbedding(
        inverseFrequencies(config.headDim(), config.ropeTheta(), config.ropeScaling()));
  }

  /** {@code 1 / theta^(2i/d)}, then rescaled as the config says (transformers' rope_init_fn). */
  public static float[] inverseFrequencies(int headDim, double theta, RopeScaling scaling) {
    float[] inv = new float[headDim / 2];
    for (int i = 0; i < inv.length; i++) {
      inv[i] = (float) (1.0 / Math.pow(theta, (2.0 * i) / headDim));
    }
    if (scaling == null) {
      return inv;
    }
    if ("linear".equals(scaling.type())) {
      for (int i = 0; i < inv.length; i++) {
        inv[i] = (float) (inv[i] / scaling.factor());
      }
      return inv;
    }
    double oldContext = scaling.originalMaxPositionEmbeddings();
    double lowFreqWavelen = oldContext / scaling.lowFreqFactor();
    double highFreqWavelen = oldContext / scaling.highFreqFactor();
    for (int i = 0; i < inv.length; i++) {
      double f = inv[i];
      double wavelen = 2 * Math.PI / f;
      if (wavelen > lowFreqWavelen) {
        f = f / scaling.factor();
      } else if (wavelen >= highFreqWavelen) {
        // Between the two wavelengths: blend the scaled and unscaled frequency smoothly.
        double smooth =
            (oldContext / wavelen - scaling.lowFreqFactor())
                / (scaling.highFreqFactor() - scaling.lowFreqFactor());
        f = (1 - smooth) * f / scaling.factor() + smooth * f;
      }
      inv[i] = (float) f;
    }
    return inv;
  }

  public float[] inverseFrequencies() {
    return invFreq.clone();
  }

  /**
   * cos and sin tables of shape [count, headDim] for positions {@code start..start+count-1}, both
   * halves repeated as transformers lays them out. Angles are float32 products, like torch's.
   */
  public NDList tables(int start, int count, NDManager manager) {
    float[] cos = new float[count * headDim];
    float[] sin = new float[count * headDim];
    int half = headDim / 2;
    for (int p = 0; p < count; p++) {
      float pos = start + p;
      for (int i = 0; i < half; i++) {
        float angle = pos * invFreq[i];
        float c = (float) Math.cos(angle);
        float s = (float) Math.sin(angle);
        int row = p * headDim;
        cos[row + i] = c;
        cos[row + i + half] = c;
        sin[row + i] = s;
        sin[row + i + half] = s;
      }
    }
    Shape shape = new Shape(count, headDim);
    return new NDList(manager.create(cos, shape), manager.create(sin, shape));
  }

  /** Rotates x of shape [heads, count, headDim] by the tables from {@link #tables}. */
  public static NDArray apply(NDArray x, NDArray cos, NDArray sin) {
    int last = x.getShape().dimension() - 1;
    NDList halves = x.split(2, last);
    NDArray rotated = halves.get(1).neg().concat(halves.get(0), last);
    return x.mul(cos).add(rotated.mul(sin));
  }
}
