package io.layerproof.inference.layers;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
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
}
