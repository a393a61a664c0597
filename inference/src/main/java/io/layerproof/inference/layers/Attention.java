package io.layerproof.inference.layers;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.layerproof.inference.model.LlamaConfig;

/**
 * Causal grouped-query self-attention with a KV cache: each key/value head serves {@code groups}
 * query heads, done as one broadcast matmul instead of repeating the keys.
 */
public final class Attention {

  private final Linear q;
  private final Linear k;
  private final Linear v;
  private final Linear o;
  private final int heads;
  private final int kvHeads;
  private final int headDim;
  private final float scale;

  public Attention(Linear q, Linear k, Linear v, Linear o, int heads, int kvHeads, int headDim) {
    this.q = q;
    this.k = k;
    this.v = v;
    this.o = o;
    this.heads = heads;
    this.kvHeads = kvHeads;
    this.headDim = headDim;
    this.scale = (float) (1.0 / Math.sqrt(headDim));
  }

  public static Attention load(Parameters p, LlamaConfig c, String prefix) {
    long h = c.hiddenSize();
    long qOut = (long) c.numHeads() * c.headDim();
    long kvOut = (long) c.numKvHeads() * c.headDim();
    boolean bias = c.attentionBias();
    return new Attention(
        Linear.load(p, prefix + ".q_proj", qOut, h, bias),
        Linear.load(p, prefix + ".k_proj", kvOut, h, bias),
        Linear.load(p, prefix + ".v_proj", kvOut, h, bias),
        Linear.load(p, prefix + ".o_proj", h, qOut, false),
        c.numHeads(),
        c.numKvHeads(),
        c.headDim());
  }

  /**
   * @param x normalised hidden states [count, hidden] for positions {@code start..start+count-1}
   * @param cache this layer's cache, holding exactly positions {@code 0..start-1}
   * @param cos rotary table for those positions
   * @param scratch the manager of this step's temporaries
   */
  public NDArray forward(
      NDArray x, KvCache cache, int start, NDArray cos, NDArray sin, NDManager scratch) {
    long count = x.getShape().get(0);
    NDArray qh = RotaryEmbedding.apply(split(q.apply(x), count, heads), cos, sin);
    appendKeysValues(x, cache, cos, sin);
    long total = cache.length();

    int groups = heads / kvHeads;
    // [kvHeads, groups, count, headDim] x [kvHeads, 1, headDim, total]
    NDArray scores =
        qh.reshape(kvHeads, groups, count, headDim)
            .matMul(cache.keys(scratch).expandDims(1).transpose(0, 1, 3, 2))
            .mul(scale);
    if (count > 1) {
      scores = scores.add(causalMask(start, (int) count, (int) total, scratch));
    }
    NDArray context =
        scores.softmax(-1).matMul(cache.values(scratch).expandDims(1)); // [kv, g, count, d]
    NDArray merged =
        context.reshape(heads, count, headDim).transpose(1, 0, 2).reshape(count, heads * headDim);
    return o.apply(merged);
  }

  /**
   * The key/value half of {@link #forward}: projects {@code x} (normalised hidden states [count,
   * hidden] for the positions after those in {@code cache}) to keys and values, rotates the keys by
   * {@code cos}/{@code sin} (tables for those positions) and appends both to {@code cache}, without
   * computing queries or outputs. Following it with {@link #forward} on the next rows gives what
   * one {@link #forward} over all the rows gives for them.
   */
  public void appendKeysValues(NDArray x, KvCache cache, NDArray cos, NDArray sin) {
    long count = x.getShape().get(0);
    NDArray kh = RotaryEmbedding.apply(split(k.apply(x), count, kvHeads), cos, sin);
    cache.append(kh, split(v.apply(x), count, kvHeads));
  }

  /** [count, headDim*n] -> [n, count, headDim]. */
  private NDArray split(NDArray projected, long count, int n) {
    return projected.reshape(count, n, headDim).transpose(1, 0, 2);
  }

  /** Query i (position start+i) may see keys 0..start+i. */
  private static NDArray causalMask(int start, int count, int total, NDManager scratch) {
    float[] mask = new float[count * total];
    for (int i = 0; i < count; i++) {
      for (int j = start + i + 1; j < total; j++) {
        mask[i * total + j] = Float.NEGATIVE_INFINITY;
      }
    }
    return scratch.create(mask, new Shape(count, total));
  }
}
