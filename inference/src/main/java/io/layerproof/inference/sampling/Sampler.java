package io.layerproof.inference.sampling;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/**
 * Picks the next token from logits. Everything after the logits is specified here bit for bit
 * (double arithmetic, ties to the lower id, the uniform draw from SHA-256 of seed and step), so a
 * verifier that holds the logits reproduces the pick without sharing any RNG implementation.
 */
public final class Sampler {

  private Sampler() {}

  public static int pick(float[] logits, SamplingParams params, int step) {
    return params.isGreedy()
        ? argmax(logits)
        : sample(logits, params, uniform(params.seed(), step));
  }

  /** The highest logit; the lowest id wins ties. NaN logits are never picked. */
  public static int argmax(float[] logits) {
    int best = -1;
    for (int i = 0; i < logits.length; i++) {
      if (!Float.isNaN(logits[i]) && (best < 0 || logits[i] > logits[best])) {
        best = i;
      }
    }
    if (best < 0) {
      throw new IllegalStateException("all logits are NaN");
    }
    return best;
  }

  /** Temperature, top-k, top-p, then inverse-CDF with {@code u} in [0, 1). */
  static int sample(float[] logits, SamplingParams p, double u) {
    Integer[] order = new Integer[logits.length];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    // Descending logit, ascending id on ties: a total order, so the same everywhere.
    Arrays.sort(
        order,
        (a, b) -> {
          int c = Float.compare(logits[b], logits[a]);
          return c != 0 ? c : Integer.compare(a, b);
        });
    int keep = p.topK() > 0 ? Math.min(p.topK(), order.length) : order.length;
    double max = logits[order[0]];
    double[] probs = new double[keep];
    double sum = 0;
    for (int i = 0; i < keep; i++) {
      probs[i] = Math.exp((logits[order[i]] - max) / p.temperature());
      sum += probs[i];
    }
    if (p.topP() < 1.0) {
      double cumulative = 0;
      for (int i = 0; i < keep; i++) {
        cumulative += probs[i] / sum;
        if (cumulative >= p.topP()) {
          keep = i + 1;
          break;
        }
      }
      sum = 0;
      for (int i = 0; i < keep; i++) {
        sum += probs[i];
      }
    }
    double target = u * sum;
    double acc = 0;
    for (int i = 0; i < keep; i++) {
      acc += probs[i];
      if (target < acc) {
        return order[i];
      }
    }
    return order[keep - 1];
  }

  /** A uniform double in [0, 1): the top 53 bits of SHA-256(seed || step), big-endian. */
  public static double uniform(long seed, int step) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      byte[] h = sha.digest(ByteBuffer.allocate(12).putLong(seed).putInt(step).array());
      long bits = ByteBuffer.wrap(h).getLong() >>> 11;
      return bits * 0x1.0p-53;
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
