package io.layerproof.inference.synth;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.SplittableRandom;

/**
 * Deterministic weights that keep activations well-conditioned through every layer.
 *
 * <p>Each tensor has its own SplitMix64 stream (seed xor a hash of its name), so a tensor's values
 * do not depend on which others are written or in what order, and the files are byte-identical on
 * every JVM. Values are uniform with the standard deviation below:
 *
 * <ul>
 *   <li>embeddings: 1, so the residual stream starts at unit RMS;
 *   <li>q, k, v, gate, up: 1/sqrt(fan_in), unit-variance outputs from normalised inputs;
 *   <li>o and down: 1/sqrt(fan_in * layers) (down also undoes SwiGLU's ~0.6 gain), so each block
 *       adds about 1/layers of variance and the stream grows to ~sqrt(3) by the last layer, every
 *       layer still moving it noticeably;
 *   <li>norm weights: 1 +- 0.1, so a forgotten weight multiply shows;
 *   <li>LM head: 3/sqrt(hidden), logits with a standard deviation of ~3, peaked enough that greedy
 *       choices are not decided by rounding.
 * </ul>
 */
final class WeightInit {

  static final double LOGIT_STD = 3.0;
  private static final double SWIGLU_GAIN = 0.6;

  private final long seed;
  private final int layers;

  WeightInit(long seed, int layers) {
    this.seed = seed;
    this.layers = layers;
  }

  void fill(SafetensorsWriter.Tensor t, ByteBuffer out) {
    SplittableRandom rng = new SplittableRandom(seed ^ nameHash(t.name()));
    long n = t.elements();
    if (t.name().endsWith("norm.weight")) {
      for (long i = 0; i < n; i++) {
        out.putFloat((float) (1.0 + 0.1 * (2 * rng.nextDouble() - 1)));
      }
      return;
    }
    double half = std(t) * Math.sqrt(3.0); // uniform on [-half, half] has this std
    for (long i = 0; i < n; i++) {
      out.putFloat((float) (half * (2 * rng.nextDouble() - 1)));
    }
  }

  private double std(SafetensorsWriter.Tensor t) {
    String name = t.name();
    double fanIn = t.shape().length == 2 ? t.shape()[1] : 1;
    if (name.equals("model.embed_tokens.weight")) {
      return 1.0;
    }
    if (name.equals("lm_head.weight")) {
      return LOGIT_STD / Math.sqrt(fanIn);
    }
    if (name.endsWith("o_proj.weight")) {
      return 1.0 / Math.sqrt(fanIn * layers);
    }
    if (name.endsWith("down_proj.weight")) {
      return 1.0 / (SWIGLU_GAIN * Math.sqrt(fanIn * layers));
    }
    return 1.0 / Math.sqrt(fanIn);
  }

  private static long nameHash(String name) {
    try {
      byte[] h = MessageDigest.getInstance("SHA-256").digest(name.getBytes(StandardCharsets.UTF_8));
      return ByteBuffer.wrap(h).getLong();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
