package io.layerproof.inference.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.layerproof.inference.model.RopeScaling;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RotaryEmbeddingTest {

  /** Values from transformers' _compute_llama3_parameters, recomputed in Python (float64). */
  @Test
  void llama3ScalingMatchesTheReferenceFormula() {
    float[] inv = RotaryEmbedding.inverseFrequencies(64, 500000.0, RopeScaling.llama3(8.0, 8192));
    double[][] expected = {
      {0, 1.0},
      {10, 0.016560440080994446}, // high frequency: unchanged
      {14, 0.0032114459947525913},
      {15, 0.0013718935677611381}, // between the wavelengths: blended
      {16, 0.0005248461609929547},
      {20, 3.428102195952591e-05}, // low frequency: divided by the factor
      {31, 3.7673226901739635e-07}
    };
    for (double[] e : expected) {
      int i = (int) e[0];
      assertEquals(e[1], inv[i], e[1] * 1e-6, "inv_freq[" + i + "]");
    }
    float[] linear =
        RotaryEmbedding.inverseFrequencies(64, 10000.0, new RopeScaling("linear", 4, 0, 0, 0));
    float[] plain = RotaryEmbedding.inverseFrequencies(64, 10000.0, null);
    assertEquals(plain[3] / 4, linear[3], 1e-9);
  }

  /** Rotations make q.k depend only on the distance between positions: that pins the layout. */
  @Test
  void scoresDependOnlyOnRelativePosition() {
    RotaryEmbedding rope = new RotaryEmbedding(RotaryEmbedding.inverseFrequencies(16, 10000, null));
    Random r = new Random(1);
    float[] q = new float[16];
    float[] k = new float[16];
    for (int i = 0; i < 16; i++) {
      q[i] = (float) r.nextGaussian();
      k[i] = (float) r.nextGaussian();
    }
    try (NDManager m = NDManager.newBaseManager()) {
      double near = dot(m, rope, q, 3, k, 1);
      double far = dot(m, rope, q, 103, k, 101);
      double other = dot(m, rope, q, 4, k, 1);
      assertEquals(near, far, 1e-3);
      // A different distance gives a different score (the rotation is not the identity).
      assertEquals(true, Math.abs(near - other) > 1e-2);
    }
  }

  private static double dot(
      NDManager m, RotaryEmbedding rope, float[] q, int pq, float[] k, int pk) {
    NDArray rq = rotate(m, rope, q, pq);
    NDArray rk = rotate(m, rope, k, pk);
    return rq.mul(rk).sum().getFloat();
  }

  private static NDArray rotate(NDManager m, RotaryEmbedding rope, float[] v, int pos) {
    NDList t = rope.tables(pos, 1, m);
    return RotaryEmbedding.apply(m.create(v, new Shape(1, 1, 16)), t.get(0), t.get(1));
  }
}
