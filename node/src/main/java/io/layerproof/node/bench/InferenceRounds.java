package io.layerproof.node.bench;

import io.layerproof.inference.hook.LayerHook;
import io.layerproof.inference.sampling.Sampler;
import io.layerproof.inference.shard.Pipeline;
import java.util.Arrays;
import java.util.List;

/** One timed round: prefill a prompt, then greedy-decode, through a pipeline with given hooks. */
final class InferenceRounds {

  /** Seconds spent prefilling and decoding, and what the round produced. */
  record Timing(double prefillSeconds, double decodeSeconds, int[] tokens) {}

  private InferenceRounds() {}

  static Timing run(Pipeline p, String job, int[] prompt, int decode, List<LayerHook> hooks) {
    int[] tokens = new int[decode];
    try (Pipeline.Session s = p.open(job, hooks)) {
      long t0 = System.nanoTime();
      float[] logits = s.forward(prompt);
      long t1 = System.nanoTime();
      for (int i = 0; i < decode; i++) {
        tokens[i] = Sampler.argmax(logits);
        logits = s.forward(new int[] {tokens[i]});
      }
      long t2 = System.nanoTime();
      return new Timing((t1 - t0) / 1e9, (t2 - t1) / 1e9, tokens);
    }
  }

  static double median(double[] values) {
    double[] v = values.clone();
    Arrays.sort(v);
    int n = v.length;
    return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
  }
}
