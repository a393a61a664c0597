package io.layerproof.node.bench;

import io.layerproof.inference.hook.LayerHook;
import io.layerproof.inference.model.DjlRuntime;
import io.layerproof.inference.model.LlamaModel;
import io.layerproof.inference.shard.Pipeline;
import io.layerproof.inference.shard.Shard;
import io.layerproof.inference.shard.ShardOptions;
import io.layerproof.inference.synth.DefaultModel;
import io.layerproof.inference.synth.SynthProgress;
import io.layerproof.inference.synth.SynthSpec;
import io.layerproof.verifier.cheat.CheatMode;
import io.layerproof.verifier.cheat.CheatSwitch;
import io.layerproof.verifier.commit.ActivationStore;
import io.layerproof.verifier.commit.CommitmentAccumulator;
import io.layerproof.verifier.commit.ShardCommitment;
import io.layerproof.verifier.reexec.CommittedShard;
import io.layerproof.verifier.reexec.LayerReplayer;
import io.layerproof.verifier.reexec.ReexecutionVerifier;
import io.layerproof.verifier.reexec.ShardVerification;
import io.layerproof.verifier.reveal.RevealLimits;
import io.layerproof.verifier.reveal.RevealRequest;
import io.layerproof.verifier.reveal.RevealServer;
import io.layerproof.verifier.reveal.StoreRevealServer;
import io.layerproof.verifier.sampling.ProofOfSampling;
import io.layerproof.verifier.sampling.Sample;
import io.layerproof.verifier.sampling.SampleDrawer;
import io.layerproof.verifier.tolerance.Tolerance;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.io.file.PathUtils;

/**
 * {@code layerproof bench verifier}: what verification costs against the job it checks, and how
 * often each cheating mode is caught as the number of samples grows, in one run on the devnet's
 * default model (two stages, layers 0-4 and 4-8, fp16 commitments as providers store them).
 */
public final class VerifierBench {

  /** Settings of one run. */
  public record Options(
      Path modelDir, int promptTokens, int newTokens, int rounds, int trials, int[] sampleCounts) {
    public Options {
      if (promptTokens < 1 || newTokens < 1 || rounds < 1 || trials < 1) {
        throw new IllegalArgumentException("tokens, rounds and trials must be >= 1");
      }
    }
  }

  private static final int[] BOUNDS = {0, 4, 8};
  private static final String PROMPT = "Layerproof commits to every layer it computes. ";

  private VerifierBench() {}

  public static void run(Options o, PrintWriter out) throws Exception {
    DjlRuntime.setThreads(1);
    Path work = Files.createTempDirectory("layerproof-verifier-bench");
    Path folder;
    Path substituteFolder;
    try (SynthProgress bar = SynthProgress.console("default model")) {
      folder = DefaultModel.ensure(o.modelDir(), bar);
    }
    // Another model of the same shape (the next seed): what a substituting provider runs.
    SynthSpec other = SynthSpec.of(8, 512, 8, 4, 512, DefaultModel.SPEC.seed() + 1);
    try (SynthProgress bar = SynthProgress.console("substitute model")) {
      substituteFolder = DefaultModel.ensure(work.resolve("substitute"), other, bar);
    }
    ShardOptions options =
        new ShardOptions(
            io.layerproof.inference.hook.ElementType.FP32,
            io.layerproof.inference.hook.ElementType.FP16);
    try (LlamaModel model = LlamaModel.open(folder);
        LlamaModel substitute = LlamaModel.open(substituteFolder);
        ActivationStore store =
            ActivationStore.open(work.resolve("store"), Duration.ofDays(1), Clock.systemUTC());
        LayerReplayer replayer = new LayerReplayer(model)) {
      ReexecutionVerifier verifier =
          new ReexecutionVerifier(replayer, Tolerance.DEFAULT, RevealLimits.DEFAULT);
      int[] prompt = prompt(model, o.promptTokens());
      int m = ProofOfSampling.DEFAULT_SAMPLES;
      out.printf(
          "Job: %d prompt + %d generated tokens, 2 stages (layers 0-4, 4-8), fp16 commitments, 1"
              + " PyTorch thread; %d samples per job (the default); %d rounds, medians.%n",
          prompt.length, o.newTokens(), m, o.rounds());
      cost(model, store, verifier, prompt, o, options, m, out);
      detection(model, substitute, store, verifier, prompt, o, options, out);
    } finally {
      PathUtils.deleteDirectory(work);
    }
    out.flush();
  }

  private static void cost(
      LlamaModel model,
      ActivationStore store,
      ReexecutionVerifier verifier,
      int[] prompt,
      Options o,
      ShardOptions options,
      int m,
      PrintWriter out) {
    double[] job = new double[o.rounds()];
    double[] reveal = new double[o.rounds()];
    double[] check = new double[o.rounds()];
    run(model, store, "warm-up", prompt, o.newTokens(), options, CheatSwitch.HONEST);
    for (int r = 0; r < o.rounds(); r++) {
      long t0 = System.nanoTime();
      List<Stage> stages =
          run(model, store, "cost-" + r, prompt, o.newTokens(), options, CheatSwitch.HONEST);
      long t1 = System.nanoTime();
      long[] split = challenge(verifier, "cost-" + r, stages, seed(r), m, new boolean[1]);
      job[r] = (t1 - t0) / 1e9;
      reveal[r] = split[0] / 1e9;
      check[r] = split[1] / 1e9;
    }
    double jobS = InferenceRounds.median(job);
    double checkS = InferenceRounds.median(check);
    double revealS = InferenceRounds.median(reveal);
    out.println();
    out.println("| cost per job (median) | seconds | % of the job's inference |");
    out.println("|---|---:|---:|");
    out.printf("| inference with commitments and store | %.3f | 100 |%n", jobS);
    out.printf(
        "| verifier: proofs + re-executing %d sampled layers | %.3f | %.2f |%n",
        m, checkS, 100 * checkS / jobS);
    out.printf(
        "| provider: answering the reveals | %.3f | %.2f |%n", revealS, 100 * revealS / jobS);
  }

  private static void detection(
      LlamaModel model,
      LlamaModel substitute,
      ActivationStore store,
      ReexecutionVerifier verifier,
      int[] prompt,
      Options o,
      ShardOptions options,
      PrintWriter out) {
    // One layer of eight faked (f = 1/8 of the cells), except the substitute, which fakes a stage.
    Map<String, CheatSwitch> modes = new LinkedHashMap<>();
    modes.put("skip layer 5", CheatSwitch.skipLayers(5));
    modes.put("int8 layer 5", CheatSwitch.dropPrecision(5));
    modes.put("noise layer 5", CheatSwitch.noise(0.05, 7, 5));
    modes.put("substitute model, layers 4-8", CheatSwitch.substituteModel(substitute));
    modes.put("refuse reveals, layers 4-8", CheatSwitch.refuseReveal());
    out.println();
    out.printf(
        "Detection rate over %d sample draws per cell (one job per mode); expected 1-(1-f)^m.%n",
        o.trials());
    StringBuilder header = new StringBuilder("| mode | f |");
    StringBuilder rule = new StringBuilder("|---|---:|");
    for (int m : o.sampleCounts()) {
      header.append(" m=").append(m).append(" measured (expected) |");
      rule.append("---:|");
    }
    out.println(header);
    out.println(rule);
    int k = 0;
    for (Map.Entry<String, CheatSwitch> e : modes.entrySet()) {
      String job = "detect-" + k++;
      List<Stage> stages = run(model, store, job, prompt, o.newTokens(), options, e.getValue());
      double f = 0;
      for (int layer = 0; layer < 8; layer++) {
        // A refused reveal fails every sample in the refusing stage.
        boolean faked =
            e.getValue().mode() == CheatMode.REFUSE_REVEAL || e.getValue().affects(layer);
        f += (layer >= 4 && faked) ? 1.0 / 8 : 0;
      }
      StringBuilder row = new StringBuilder("| " + e.getKey() + " | " + f + " |");
      for (int m : o.sampleCounts()) {
        int caught = 0;
        for (int t = 0; t < o.trials(); t++) {
          boolean[] flagged = new boolean[1];
          challenge(verifier, job, stages, seed(1000 + t), m, flagged);
          caught += flagged[0] ? 1 : 0;
        }
        row.append(
            String.format(
                " %.2f (%.2f) |",
                (double) caught / o.trials(), ProofOfSampling.detectionProbability(f, m)));
      }
      out.println(row);
    }
  }

  private record Stage(CommittedShard shard, RevealServer server, byte[] previousBoundary) {}

  /** Runs one greedy job; the second stage runs {@code cheat}. */
  private static List<Stage> run(
      LlamaModel model,
      ActivationStore store,
      String jobId,
      int[] prompt,
      int newTokens,
      ShardOptions options,
      CheatSwitch cheat) {
    List<Shard> shards = new ArrayList<>();
    List<CommitmentAccumulator> accs = new ArrayList<>();
    List<LayerHook> hooks = new ArrayList<>();
    CheatSwitch[] switches = {CheatSwitch.HONEST, cheat};
    try {
      for (int i = 0; i < 2; i++) {
        shards.add(switches[i].loadShard(model, BOUNDS[i], BOUNDS[i + 1], options));
        CommitmentAccumulator acc = new CommitmentAccumulator(jobId, BOUNDS[i], BOUNDS[i + 1]);
        accs.add(acc);
        hooks.add(LayerHook.both(acc, store.recorder(jobId, BOUNDS[i])));
      }
      try (Pipeline p = Pipeline.of(shards)) {
        InferenceRounds.run(p, jobId, prompt, newTokens, hooks);
      }
    } finally {
      shards.forEach(Shard::close);
    }
    List<Stage> out = new ArrayList<>();
    byte[] previous = null;
    for (int i = 0; i < 2; i++) {
      ShardCommitment c = accs.get(i).finish();
      store.seal(c);
      CommittedShard shard = CommittedShard.of(c);
      out.add(
          new Stage(
              shard,
              switches[i].wrap(new StoreRevealServer(store, RevealLimits.DEFAULT)),
              previous));
      previous = shard.outputBoundary();
    }
    return out;
  }

  /** Nanoseconds {provider answering, verifier checking}; sets flagged[0] if any sample failed. */
  private static long[] challenge(
      ReexecutionVerifier verifier,
      String jobId,
      List<Stage> stages,
      byte[] seed,
      int m,
      boolean[] flagged) {
    int positions = stages.get(0).shard().positions();
    List<Sample> all = SampleDrawer.draw(seed, jobId, positions, 0, 8, m);
    long answering = 0;
    long checking = 0;
    for (Stage s : stages) {
      List<Sample> mine = SampleDrawer.inShard(all, s.shard().startLayer(), s.shard().endLayer());
      if (mine.isEmpty()) {
        continue;
      }
      RevealRequest request = verifier.request(s.shard(), mine);
      long t0 = System.nanoTime();
      var response = s.server().answer(request);
      long t1 = System.nanoTime();
      ShardVerification v = verifier.verify(s.shard(), s.previousBoundary(), request, response);
      long t2 = System.nanoTime();
      answering += t1 - t0;
      checking += t2 - t1;
      flagged[0] |= !v.passed();
    }
    return new long[] {answering, checking};
  }

  private static byte[] seed(int i) {
    return Arrays.copyOf(ByteBuffer.allocate(8).putLong(0x5eed0000L + i).array(), 32);
  }

  private static int[] prompt(LlamaModel model, int tokens) {
    int[] ids = model.tokenizer().encode(PROMPT.repeat(1 + tokens / 8), true);
    return Arrays.copyOf(ids, tokens);
  }
}
