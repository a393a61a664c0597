package io.layerproof.node.bench;

import io.layerproof.inference.crosscheck.CrossCheck;
import io.layerproof.inference.crosscheck.JlamaRunner;
import io.layerproof.inference.crosscheck.JlamaRunner.Decode;
import io.layerproof.inference.model.DjlRuntime;
import io.layerproof.inference.model.LlamaModel;
import io.layerproof.inference.shard.Pipeline;
import io.layerproof.inference.shard.ShardOptions;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Layerproof (DJL/PyTorch) against Jlama (pure Java, Panama vectors) on the same model and prompt,
 * with 1 and 2 threads. Both report time inside the process, after loading, so Jlama's JVM start is
 * not counted against it; the first prompt of each run is a discarded warm-up.
 */
final class InferenceJlamaComparison {

  /** Tokens per second, medians over the measured prompts. */
  record Row(
      int threads, double ourPrefill, double ourDecode, double jlamaPrefill, double jlamaDecode) {}

  record Result(List<Row> rows, CrossCheck.Report agreement, String skipped) {}

  private InferenceJlamaComparison() {}

  static Result run(
      LlamaModel model, Path folder, int[] prompt, int decodeTokens, int rounds, PrintWriter out)
      throws Exception {
    JlamaRunner.Result<JlamaRunner> jlama = JlamaRunner.locate();
    if (!jlama.isPresent()) {
      return new Result(List.of(), null, jlama.reason());
    }
    List<int[]> prompts = new ArrayList<>(Collections.nCopies(rounds + 1, prompt));
    List<Row> rows = new ArrayList<>();
    CrossCheck.Report agreement = null;
    int original = DjlRuntime.threads();
    try (Pipeline p = Pipeline.load(model, 1, ShardOptions.DEFAULT)) {
      for (int threads : new int[] {1, 2}) {
        out.printf("  Layerproof and Jlama with %d thread(s)%n", threads);
        out.flush();
        DjlRuntime.setThreads(threads);
        List<Decode> ours = CrossCheck.decode(p, prompts, decodeTokens, false);
        List<Decode> theirs =
            jlama
                .value()
                .decode(folder, prompts, decodeTokens, threads, false, Duration.ofMinutes(10));
        if (agreement == null) {
          agreement = CrossCheck.compare(ours, theirs);
        }
        rows.add(
            new Row(
                threads,
                rate(ours, prompt.length, true),
                rate(ours, decodeTokens - 1, false),
                rate(theirs, prompt.length, true),
                rate(theirs, decodeTokens - 1, false)));
      }
    } finally {
      DjlRuntime.setThreads(original);
    }
    return new Result(rows, agreement, null);
  }

  /** Median tokens/s over all but the first (warm-up) decode. */
  private static double rate(List<Decode> runs, int tokens, boolean prefill) {
    double[] perSecond = new double[runs.size() - 1];
    for (int i = 1; i < runs.size(); i++) {
      long nanos = prefill ? runs.get(i).prefillNanos() : runs.get(i).decodeNanos();
      perSecond[i - 1] = tokens / (nanos / 1e9);
    }
    return InferenceRounds.median(perSecond);
  }
}
