package io.layerproof.verifier;

import io.layerproof.inference.hook.LayerHook;
import io.layerproof.inference.model.DjlRuntime;
import io.layerproof.inference.model.LlamaModel;
import io.layerproof.inference.sampling.SamplingParams;
import io.layerproof.inference.sampling.TokenListener;
import io.layerproof.inference.shard.Pipeline;
import io.layerproof.inference.shard.Shard;
import io.layerproof.inference.shard.ShardOptions;
import io.layerproof.inference.synth.DefaultModel;
import io.layerproof.inference.synth.SynthProgress;
import io.layerproof.inference.synth.SynthSpec;
import io.layerproof.verifier.cheat.CheatSwitch;
import io.layerproof.verifier.commit.ActivationStore;
import io.layerproof.verifier.commit.CommitmentAccumulator;
import io.layerproof.verifier.commit.ShardCommitment;
import io.layerproof.verifier.reexec.CommittedShard;
import io.layerproof.verifier.reexec.ReexecutionVerifier;
import io.layerproof.verifier.reexec.ShardVerification;
import io.layerproof.verifier.reveal.RevealLimits;
import io.layerproof.verifier.reveal.RevealRequest;
import io.layerproof.verifier.reveal.RevealServer;
import io.layerproof.verifier.reveal.StoreRevealServer;
import io.layerproof.verifier.sampling.Sample;
import io.layerproof.verifier.sampling.SampleDrawer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.BiFunction;

/**
 * Real jobs on the devnet's synthetic model (8 layers, hidden 512): providers with accumulators,
 * activation stores and reveal servers, optionally cheating; and the verifier's side.
 */
public final class JobFixture {

  /** Another model of the same shape: what a SUBSTITUTE_MODEL provider runs. */
  public static final SynthSpec SUBSTITUTE_SPEC =
      SynthSpec.of(8, 512, 8, 4, 512, DefaultModel.SPEC.seed() + 1);

  private static LlamaModel model;
  private static LlamaModel substitute;

  private JobFixture() {}

  public static synchronized LlamaModel model() {
    if (model == null) {
      DjlRuntime.setThreads(1);
      model = LlamaModel.open(ensure("default", DefaultModel.SPEC));
    }
    return model;
  }

  public static synchronized LlamaModel substitute() {
    if (substitute == null) {
      substitute = LlamaModel.open(ensure("substitute", SUBSTITUTE_SPEC));
    }
    return substitute;
  }

  private static Path ensure(String name, SynthSpec spec) {
    Path dir = Path.of("target", "test-models", name).toAbsolutePath();
    return DefaultModel.ensure(dir, spec, SynthProgress.NONE);
  }

  /** One stage of a job as the ledger and the verifier see it, and its provider's server. */
  public record Stage(CommittedShard shard, RevealServer server) {}

  /** A finished job: its stages in order and the positions committed. */
  public record Job(String jobId, List<Stage> stages, int positions) {

    public Stage stage(int i) {
      return stages.get(i);
    }

    /** The previous stage's output boundary, or null for the first stage. */
    public byte[] previousOutputBoundary(int i) {
      return i == 0 ? null : stages.get(i - 1).shard().outputBoundary();
    }

    /** The stage holding {@code layer}. */
    public int stageOf(int layer) {
      for (int i = 0; i < stages.size(); i++) {
        if (layer < stages.get(i).shard().endLayer()) {
          return i;
        }
      }
      throw new IllegalArgumentException("no stage holds layer " + layer);
    }
  }

  /**
   * Runs a greedy job over stages split at {@code bounds} (e.g. {0, 4, 8}), stage i running with
   * {@code cheats.get(i)}; every stage commits and records into {@code store}.
   */
  public static Job run(
      ActivationStore store,
      String jobId,
      String prompt,
      int newTokens,
      int[] bounds,
      ShardOptions options,
      List<CheatSwitch> cheats) {
    return run(store, jobId, prompt, newTokens, bounds, options, cheats, (stage, hook) -> hook);
  }

  /**
   * Like above; {@code hookFilter} may wrap stage i's commitment hook (tests of tampering): it is
   * called with the stage index and the hook.
   */
  public static Job run(
      ActivationStore store,
      String jobId,
      String prompt,
      int newTokens,
      int[] bounds,
      ShardOptions options,
      List<CheatSwitch> cheats,
      BiFunction<Integer, LayerHook, LayerHook> hookFilter) {
    LlamaModel m = model();
    int stages = bounds.length - 1;
    if (cheats.size() != stages) {
      throw new IllegalArgumentException(cheats.size() + " cheat switches for " + stages);
    }
    List<Shard> shards = new ArrayList<>();
    List<CommitmentAccumulator> accumulators = new ArrayList<>();
    List<LayerHook> hooks = new ArrayList<>();
    try {
      for (int i = 0; i < stages; i++) {
        shards.add(cheats.get(i).loadShard(m, bounds[i], bounds[i + 1], options));
        CommitmentAccumulator acc = new CommitmentAccumulator(jobId, bounds[i], bounds[i + 1]);
        accumulators.add(acc);
        hooks.add(hookFilter.apply(i, LayerHook.both(acc, store.recorder(jobId, bounds[i]))));
      }
      try (Pipeline p = Pipeline.of(shards)) {
        p.generate(
            jobId,
            m.tokenizer().encode(prompt, true),
            SamplingParams.greedy(newTokens).withStopAtEos(false),
            null,
            TokenListener.NONE,
            hooks);
      }
    } finally {
      shards.forEach(Shard::close);
    }
    List<Stage> out = new ArrayList<>();
    int positions = 0;
    for (int i = 0; i < stages; i++) {
      ShardCommitment c = accumulators.get(i).finish();
      store.seal(c);
      positions = c.positions();
      out.add(
          new Stage(
              CommittedShard.of(c),
              cheats.get(i).wrap(new StoreRevealServer(store, RevealLimits.DEFAULT))));
    }
    return new Job(jobId, Collections.unmodifiableList(out), positions);
  }

  /** Honest stages split at {@code bounds}. */
  public static List<CheatSwitch> honest(int stages) {
    return Collections.nCopies(stages, CheatSwitch.HONEST);
  }

  /** Challenges stage {@code i} of {@code job} with {@code samples} (all in that stage). */
  public static ShardVerification challenge(
      ReexecutionVerifier verifier, Job job, int i, List<Sample> samples) {
    Stage stage = job.stage(i);
    RevealRequest request = verifier.request(stage.shard(), samples);
    return verifier.verify(
        stage.shard(), job.previousOutputBoundary(i), request, stage.server().answer(request));
  }

  /** Draws {@code m} samples over the whole job and challenges each stage with its share. */
  public static List<ShardVerification> challengeAll(
      ReexecutionVerifier verifier, Job job, byte[] seed, int m) {
    int layers = job.stages().get(job.stages().size() - 1).shard().endLayer();
    List<Sample> all = SampleDrawer.draw(seed, job.jobId(), job.positions(), 0, layers, m);
    List<ShardVerification> out = new ArrayList<>();
    for (int i = 0; i < job.stages().size(); i++) {
      CommittedShard s = job.stage(i).shard();
      List<Sample> mine = SampleDrawer.inShard(all, s.startLayer(), s.endLayer());
      if (!mine.isEmpty()) {
        out.add(challenge(verifier, job, i, mine));
      }
    }
    return out;
  }
}
