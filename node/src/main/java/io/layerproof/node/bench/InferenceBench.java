package io.layerproof.node.bench;

import io.layerproof.inference.hook.ElementType;
import io.layerproof.inference.hook.LayerHook;
import io.layerproof.inference.model.DjlRuntime;
import io.layerproof.inference.model.LlamaConfig;
import io.layerproof.inference.model.LlamaModel;
import io.layerproof.inference.shard.Pipeline;
import io.layerproof.inference.shard.Shard;
import io.layerproof.inference.shard.ShardOptions;
import io.layerproof.verifier.commit.ActivationStore;
import io.layerproof.verifier.commit.CommitmentAccumulator;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.io.FileUtils;

/**
 * Throughput of the default model unsharded and as a 2-shard pipeline, with and without layer
 * commitments and the activation store, measured in interleaved rounds so the machine's noise falls
 * on every configuration alike; plus what each shard holds and stores.
 */
final class InferenceBench {

  static final String UNSHARDED = "unsharded";
  static final String TWO = "2 shards";
  static final String COMMIT = "2 shards + commitments";
  static final String STORE = "2 shards + commitments + store";
  static final String STORE16 = "2 shards + commitments + store (fp16)";
  static final List<String> CONFIGS = List.of(UNSHARDED, TWO, COMMIT, STORE, STORE16);

  /**
   * Per configuration, seconds per measured round: prefill, decode, and building the Merkle trees
   * (and sealing them in the store) after the job.
   */
  record Result(
      Map<String, double[]> prefill,
      Map<String, double[]> decode,
      Map<String, double[]> finish,
      Map<String, Long> storedBytesPerToken,
      Map<String, Long> diskBytesPerToken,
      List<ShardRow> shards,
      boolean tokensAgree) {}

  /** One shard: parameter bytes it holds, RSS growth measured while loading it, KV bytes/token. */
  record ShardRow(
      String name, int start, int end, long paramBytes, long rssGrowth, long kvPerToken) {}

  private InferenceBench() {}

  static Result run(LlamaModel model, InferenceBenchOptions o, int[] prompt, PrintWriter out)
      throws IOException {
    List<ShardRow> rows = new ArrayList<>();
    DjlRuntime.threads(); // load the engine first, so its own memory is not charged to a shard
    int half = model.config().numLayers() / 2;
    int layers = model.config().numLayers();
    ShardOptions fp16 = new ShardOptions(ElementType.FP32, ElementType.FP16);
    Path dir32 = Files.createTempDirectory("layerproof-bench-store32");
    Path dir16 = Files.createTempDirectory("layerproof-bench-store16");
    Map<String, double[]> prefill = new LinkedHashMap<>();
    Map<String, double[]> decode = new LinkedHashMap<>();
    Map<String, double[]> finish = new LinkedHashMap<>();
    Map<String, Long> stored = new LinkedHashMap<>();
    boolean agree = true;
    int positions = prompt.length + o.decodeTokens();
    try (Shard a = measuredLoad(model, 0, half, "stage 0 of 2", rows);
        Shard b = measuredLoad(model, half, layers, "stage 1 of 2", rows);
        Shard full = measuredLoad(model, 0, layers, "unsharded", rows);
        Shard a16 = Shard.load(model, 0, half, fp16);
        Shard b16 = Shard.load(model, half, layers, fp16);
        ActivationStore store32 =
            ActivationStore.open(dir32, Duration.ofHours(1), Clock.systemUTC());
        ActivationStore store16 =
            ActivationStore.open(dir16, Duration.ofHours(1), Clock.systemUTC())) {
      Map<String, Pipeline> pipelines =
          Map.of(
              UNSHARDED, Pipeline.of(List.of(full)),
              TWO, Pipeline.of(List.of(a, b)),
              COMMIT, Pipeline.of(List.of(a, b)),
              STORE, Pipeline.of(List.of(a, b)),
              STORE16, Pipeline.of(List.of(a16, b16)));
      for (String c : CONFIGS) {
        prefill.put(c, new double[o.rounds()]);
        decode.put(c, new double[o.rounds()]);
        finish.put(c, new double[o.rounds()]);
      }
      int[] reference = null;
      for (int r = -1; r < o.rounds(); r++) {
        out.printf("  round %s of %d%n", r < 0 ? "warm-up" : Integer.toString(r + 1), o.rounds());
        out.flush();
        for (String c : CONFIGS) {
          String job = "bench-" + CONFIGS.indexOf(c) + "-" + r;
          Pipeline p = pipelines.get(c);
          ActivationStore store = c.equals(STORE) ? store32 : c.equals(STORE16) ? store16 : null;
          List<CommitmentAccumulator> acc = new ArrayList<>();
          List<ActivationStore.Recorder> rec = new ArrayList<>();
          List<LayerHook> hooks = new ArrayList<>();
          if (!c.equals(UNSHARDED) && !c.equals(TWO)) {
            for (Shard s : p.stages()) {
              CommitmentAccumulator ca =
                  new CommitmentAccumulator(job, s.startLayer(), s.endLayer());
              acc.add(ca);
              ActivationStore.Recorder rc =
                  store == null ? null : store.recorder(job, s.startLayer());
              if (rc != null) {
                rec.add(rc);
              }
              hooks.add(rc == null ? ca : LayerHook.both(ca, rc));
            }
          }
          InferenceRounds.Timing t = InferenceRounds.run(p, job, prompt, o.decodeTokens(), hooks);
          long f0 = System.nanoTime();
          for (CommitmentAccumulator ca : acc) {
            var commitment = ca.finish();
            if (store != null) {
              store.seal(commitment);
            }
          }
          double finishSeconds = (System.nanoTime() - f0) / 1e9;
          if (reference == null) {
            reference = t.tokens();
          } else if (!c.equals(STORE16)) {
            agree &= Arrays.equals(reference, t.tokens());
          }
          if (!rec.isEmpty()) {
            long bytes = rec.stream().mapToLong(ActivationStore.Recorder::bytesWritten).sum();
            stored.put(c, bytes / positions);
          }
          if (r >= 0) {
            prefill.get(c)[r] = t.prefillSeconds();
            decode.get(c)[r] = t.decodeSeconds();
            finish.get(c)[r] = finishSeconds;
          }
        }
      }
    }
    long tokensPerStore = (o.rounds() + 1L) * positions;
    Map<String, Long> disk = new LinkedHashMap<>();
    disk.put(STORE, InferenceMemory.folderBytes(dir32) / tokensPerStore);
    disk.put(STORE16, InferenceMemory.folderBytes(dir16) / tokensPerStore);
    FileUtils.deleteQuietly(dir32.toFile());
    FileUtils.deleteQuietly(dir16.toFile());
    return new Result(prefill, decode, finish, stored, disk, rows, agree);
  }

  private static Shard measuredLoad(
      LlamaModel model, int start, int end, String name, List<ShardRow> rows) {
    System.gc();
    long before = InferenceMemory.residentBytes();
    Shard s = Shard.load(model, start, end, ShardOptions.DEFAULT);
    long after = InferenceMemory.residentBytes();
    LlamaConfig c = model.config();
    long kv = 2L * (end - start) * c.numKvHeads() * c.headDim() * Float.BYTES;
    long growth = before < 0 || after < 0 ? -1 : after - before;
    rows.add(new ShardRow(name, start, end, s.memory().bytes(), growth, kv));
    return s;
  }
}
