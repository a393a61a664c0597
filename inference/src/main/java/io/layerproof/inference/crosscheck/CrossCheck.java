package io.layerproof.inference.crosscheck;

import io.layerproof.inference.crosscheck.JlamaRunner.Decode;
import io.layerproof.inference.sampling.Sampler;
import io.layerproof.inference.shard.Pipeline;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Greedy decodes compared step by step: the same top-1 token, and how far the logits differ. */
public final class CrossCheck {

  /**
   * @param agreeingSteps steps (over all prompts) with the same top-1 token before any divergence
   * @param firstMismatch "prompt p step s", or null when every token agrees
   * @param maxRelativeLogitDiff over compared steps, max |a - b| / max |b| of a step's logits
   * @param minTop1Margin the smallest gap between the two best logits, on the reference side
   */
  public record Report(
      int prompts,
      int stepsPerPrompt,
      int agreeingSteps,
      String firstMismatch,
      double maxRelativeLogitDiff,
      double maxAbsoluteLogitDiff,
      double minTop1Margin) {

    public boolean allAgree() {
      return firstMismatch == null;
    }
  }

  private CrossCheck() {}

  /** Greedy-decodes each prompt with {@code pipeline}, in the same format Jlama's runs return. */
  public static List<Decode> decode(
      Pipeline pipeline, List<int[]> prompts, int newTokens, boolean keepLogits) {
    List<Decode> out = new ArrayList<>();
    int job = 0;
    for (int[] prompt : prompts) {
      int[] tokens = new int[newTokens];
      float[][] logits = keepLogits ? new float[newTokens][] : null;
      try (Pipeline.Session s = pipeline.open("crosscheck-" + job++, List.of())) {
        long t0 = System.nanoTime();
        float[] l = s.forward(prompt);
        tokens[0] = Sampler.argmax(l);
        long t1 = System.nanoTime();
        if (keepLogits) {
          logits[0] = l;
        }
        for (int i = 1; i < newTokens; i++) {
          l = s.forward(new int[] {tokens[i - 1]});
          tokens[i] = Sampler.argmax(l);
          if (keepLogits) {
            logits[i] = l;
          }
        }
        long t2 = System.nanoTime();
        out.add(new Decode(tokens, logits, t1 - t0, t2 - t1));
      }
    }
    return out;
  }

  /** Compares {@code ours} with {@code reference} step by step until a prompt diverges. */
  public static Report compare(List<Decode> ours, List<Decode> reference) {
    if (ours.size() != reference.size()) {
      throw new IllegalArgumentException(ours.size() + " decodes vs " + reference.size());
    }
    int agreeing = 0;
    String mismatch = null;
    double maxRel = 0;
    double maxAbs = 0;
    double minMargin = Double.POSITIVE_INFINITY;
    int steps = ours.get(0).tokens().length;
    for (int p = 0; p < ours.size(); p++) {
      Decode a = ours.get(p);
      Decode b = reference.get(p);
      for (int i = 0; i < steps; i++) {
        if (a.logits() != null && b.logits() != null) {
          double[] d = diff(a.logits()[i], b.logits()[i]);
          maxAbs = Math.max(maxAbs, d[0]);
          maxRel = Math.max(maxRel, d[0] / d[1]);
          minMargin = Math.min(minMargin, margin(b.logits()[i]));
        }
        if (a.tokens()[i] != b.tokens()[i]) {
          if (mismatch == null) {
            mismatch = "prompt " + p + " step " + i;
          }
          break; // later steps see different contexts
        }
        agreeing++;
      }
    }
    return new Report(ours.size(), steps, agreeing, mismatch, maxRel, maxAbs, minMargin);
  }

  /** {max |a-b|, max |b|}. */
  private static double[] diff(float[] a, float[] b) {
    if (a.length != b.length) {
      throw new IllegalArgumentException("vocabularies differ: " + a.length + " vs " + b.length);
    }
    double d = 0;
    double scale = 0;
    for (int i = 0; i < a.length; i++) {
      d = Math.max(d, Math.abs((double) a[i] - b[i]));
      scale = Math.max(scale, Math.abs(b[i]));
    }
    return new double[] {d, scale};
  }

  private static double margin(float[] logits) {
    float[] sorted = logits.clone();
    Arrays.sort(sorted);
    return sorted[sorted.length - 1] - sorted[sorted.length - 2];
  }
}
