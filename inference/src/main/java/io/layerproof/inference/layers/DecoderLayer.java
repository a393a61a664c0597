package io.layerproof.inference.layers;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import io.layerproof.inference.model.LlamaConfig;

/** One pre-norm Llama block: {@code h = x + attn(norm(x)); out = h + mlp(norm(h))}. */
public record DecoderLayer(
    int index, RmsNorm inputNorm, Attention attention, RmsNorm postNorm, Mlp mlp) {

  public static DecoderLayer load(Parameters p, LlamaConfig c, int index) {
    String base = "model.layers." + index;
    long h = c.hiddenSize();
    long inter = c.intermediateSize();
    float eps = (float) c.rmsNormEps();
    return new DecoderLayer(
        index,
        new RmsNorm(p.load(base + ".input_layernorm.weight", h), eps),
        Attention.load(p, c, base + ".self_attn"),
        new RmsNorm(p.load(base + ".post_attention_layernorm.weight", h), eps),
        new Mlp(
            Linear.load(p, base + ".mlp.gate_proj", inter, h, false),
            Linear.load(p, base + ".mlp.up_proj", inter, h, false),
            Linear.load(p, base + ".mlp.down_proj", h, inter, false)));
  }

  public NDArray forward(
      NDArray x, KvCache cache, int start, NDArray cos, NDArray sin, NDManager scratch) {
    NDArray h = x.add(attention.forward(inputNorm.apply(x), cache, start, cos, sin, scratch));
    return h.add(mlp.apply(postNorm.apply(h)));
  }

  /**
   * The last row of {@link #forward} on the same arguments, computing only what that row needs: the
   * input norm and the rotated keys and values of all {@code count} rows (appended to {@code
   * cache}, which then holds the same positions as after {@link #forward}), but the query,
   * attention, output projection, residuals, post-attention norm and MLP of the last row only. It
   * is a prefill of the first {@code count - 1} rows' keys and values followed by a {@link
   * #forward} decode step at the last position, which attends to every cached position (causally,
   * all of them).
   *
   * @param x hidden states [count, hidden] for positions {@code start..start+count-1}
   * @param cos rotary tables [count, headDim] for those positions
   * @return the output at position {@code start+count-1}, [1, hidden]
   */
  public NDArray forwardLastRow(
      NDArray x, KvCache cache, int start, NDArray cos, NDArray sin, NDManager scratch) {
    long count = x.getShape().get(0);
    if (count > 1) {
      NDIndex prefix = new NDIndex(":{}", count - 1);
      attention.appendKeysValues(
          inputNorm.apply(rows(x, prefix, scratch)),
          cache,
          rows(cos, prefix, scratch),
          rows(sin, prefix, scratch));
    }
    NDIndex last = new NDIndex("{}:", count - 1);
    return forward(
        rows(x, last, scratch),
        cache,
        start + (int) count - 1,
        rows(cos, last, scratch),
        rows(sin, last, scratch),
        scratch);
  }

  private static NDArray rows(NDArray a, NDIndex index, NDManager scratch) {
    NDArray slice = a.get(index);
    slice.attach(scratch);
    return slice;
  }
}
