package io.layerproof.node.bench;

import io.layerproof.inference.model.DjlRuntime;
import io.layerproof.inference.model.LlamaConfig;
import io.layerproof.inference.model.LlamaModel;
import io.layerproof.inference.synth.DefaultModel;
import io.layerproof.inference.synth.SynthProgress;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * {@code layerproof bench inference}: runs the inference measurements and prints them as Markdown
 * tables for docs/benchmarks.md.
 */
public final class InferenceBenchReport {

  private static final String PROMPT_TEXT =
      "Providers serve contiguous layer ranges of a model, and every layer's output is committed"
          + " to, so that a verifier can later re-execute any sampled layer and compare. ";

  private InferenceBenchReport() {}

  public static void run(InferenceBenchOptions o, PrintWriter out) throws Exception {
    Path folder;
    try (SynthProgress bar = SynthProgress.console("default model")) {
      folder = DefaultModel.ensure(o.modelDir(), bar);
    }
    try (LlamaModel model = LlamaModel.open(folder)) {
      LlamaConfig c = model.config();
      int[] prompt = prompt(model, o.promptTokens());
      out.printf(
          "Model %s: %d layers, hidden %d, %d/%d heads, vocab %d (synthetic, fp32). Prompt %d"
              + " tokens, %d decoded, %d rounds after a warm-up, medians, %d PyTorch thread(s).%n",
          folder,
          c.numLayers(),
          c.hiddenSize(),
          c.numHeads(),
          c.numKvHeads(),
          c.vocabSize(),
          prompt.length,
          o.decodeTokens(),
          o.rounds(),
          o.threads());
      out.flush();
      int originalThreads = DjlRuntime.threads();
      InferenceBench.Result r;
      try {
        DjlRuntime.setThreads(o.threads());
        r = InferenceBench.run(model, o, prompt, out);
      } finally {
        DjlRuntime.setThreads(originalThreads);
      }
      printThroughput(r, prompt.length, o.decodeTokens(), out);
      printMemory(r, out);
      if (o.jlama()) {
        InferenceJlamaComparison.Result j =
            InferenceJlamaComparison.run(model, folder, prompt, o.decodeTokens(), o.rounds(), out);
        printJlama(j, out);
      }
    }
    out.flush();
  }

  private static int[] prompt(LlamaModel model, int tokens) {
    int[] ids = model.tokenizer().encode(PROMPT_TEXT.repeat(1 + tokens / 8), true);
    return Arrays.copyOf(ids, tokens);
  }

  private static void printThroughput(
      InferenceBench.Result r, int prompt, int decode, PrintWriter out) {
    double basePrefill = prompt / InferenceRounds.median(r.prefill().get(InferenceBench.UNSHARDED));
    double baseDecode = decode / InferenceRounds.median(r.decode().get(InferenceBench.UNSHARDED));
    double plainDecode = InferenceRounds.median(r.decode().get(InferenceBench.TWO));
    out.println();
    out.println(
        "| configuration | prefill tok/s | vs unsharded | decode tok/s | vs unsharded |"
            + " commit cost vs 2 shards |");
    out.println("|---|---:|---:|---:|---:|---:|");
    for (String c : InferenceBench.CONFIGS) {
      double p = prompt / InferenceRounds.median(r.prefill().get(c));
      double dSeconds = InferenceRounds.median(r.decode().get(c));
      double d = decode / dSeconds;
      double fin = InferenceRounds.median(r.finish().get(c));
      String cost =
          c.equals(InferenceBench.UNSHARDED) || c.equals(InferenceBench.TWO)
              ? "-"
              : String.format("%+.1f%%", 100 * ((dSeconds + fin) / plainDecode - 1));
      out.printf(
          "| %s | %.0f | %.1f%% | %.1f | %.1f%% | %s |%n",
          c, p, 100 * p / basePrefill, d, 100 * d / baseDecode, cost);
    }
    out.println();
    out.println(
        "Commit cost: decode time with the hooks plus building the Merkle trees (and sealing),"
            + " against the same 2-shard pipeline without hooks.");
    out.printf("Same greedy tokens in every fp32 configuration and round: %s%n", r.tokensAgree());
  }

  private static void printMemory(InferenceBench.Result r, PrintWriter out) {
    out.println();
    out.println("| shard | layers | parameters held | RSS growth on load | KV cache per token |");
    out.println("|---|---|---:|---:|---:|");
    for (InferenceBench.ShardRow s : r.shards()) {
      out.printf(
          "| %s | %d..%d | %.1f MiB | %s | %,d B |%n",
          s.name(),
          s.start(),
          s.end(),
          s.paramBytes() / 1048576.0,
          s.rssGrowth() < 0 ? "n/a" : String.format("%.1f MiB", s.rssGrowth() / 1048576.0),
          s.kvPerToken());
    }
    out.println();
    out.println("| activation store | bytes per token, all layers (logical) | on disk per token |");
    out.println("|---|---:|---:|");
    for (var e : r.storedBytesPerToken().entrySet()) {
      out.printf(
          "| %s | %,d | %,d |%n", e.getKey(), e.getValue(), r.diskBytesPerToken().get(e.getKey()));
    }
  }

  private static void printJlama(InferenceJlamaComparison.Result j, PrintWriter out) {
    out.println();
    if (j.skipped() != null) {
      out.println("Jlama comparison skipped: " + j.skipped());
      return;
    }
    out.println(
        "| threads | Layerproof prefill tok/s | Jlama prefill tok/s | Layerproof decode tok/s |"
            + " Jlama decode tok/s | decode ratio |");
    out.println("|---:|---:|---:|---:|---:|---:|");
    for (InferenceJlamaComparison.Row row : j.rows()) {
      out.printf(
          "| %d | %.0f | %.0f | %.1f | %.1f | %.2fx |%n",
          row.threads(),
          row.ourPrefill(),
          row.jlamaPrefill(),
          row.ourDecode(),
          row.jlamaDecode(),
          row.ourDecode() / row.jlamaDecode());
    }
    out.printf(
        "Greedy top-1 agreement with Jlama: %d of %d steps%s%n",
        j.agreement().agreeingSteps(),
        j.agreement().prompts() * j.agreement().stepsPerPrompt(),
        j.agreement().allAgree()
            ? ""
            : " (first difference at " + j.agreement().firstMismatch() + ")");
  }
}
