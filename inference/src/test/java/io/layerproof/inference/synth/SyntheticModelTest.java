package io.layerproof.inference.synth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.layerproof.inference.TestModels;
import io.layerproof.inference.hook.LayerHook;
import io.layerproof.inference.model.LlamaConfig;
import io.layerproof.inference.model.LlamaModel;
import io.layerproof.inference.model.WeightIndex;
import io.layerproof.inference.sampling.SamplingParams;
import io.layerproof.inference.sampling.TokenListener;
import io.layerproof.inference.shard.Pipeline;
import io.layerproof.inference.shard.ShardOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SyntheticModelTest {

  @TempDir Path tmp;

  @Test
  void theSameSpecGivesByteIdenticalFilesAndAnotherSeedDoesNot() throws Exception {
    SynthSpec spec = SynthSpec.of(2, 32, 2, 1, 300, 11);
    SyntheticModel.generate(spec, tmp.resolve("a"), false, SynthProgress.NONE);
    SyntheticModel.generate(spec, tmp.resolve("b"), false, SynthProgress.NONE);
    SyntheticModel.generate(
        SynthSpec.of(2, 32, 2, 1, 300, 12), tmp.resolve("c"), false, SynthProgress.NONE);
    for (String f : List.of("config.json", "tokenizer.json", WeightIndex.SINGLE_FILE)) {
      assertArrayEquals(sha(tmp.resolve("a/" + f)), sha(tmp.resolve("b/" + f)), f);
    }
    assertFalse(
        java.util.Arrays.equals(
            sha(tmp.resolve("a/" + WeightIndex.SINGLE_FILE)),
            sha(tmp.resolve("c/" + WeightIndex.SINGLE_FILE))));
    LlamaConfig c = LlamaConfig.read(tmp.resolve("a/config.json"));
    assertEquals(spec.config(), c);
    assertThrows(
        IllegalArgumentException.class,
        () -> SyntheticModel.generate(spec, tmp.resolve("a"), false, SynthProgress.NONE),
        "refuses to overwrite without force");
  }

  @Test
  void activationsStayWellConditionedAndEveryLayerMatters() {
    try (LlamaModel model = LlamaModel.open(TestModels.tiny());
        Pipeline p = Pipeline.load(model, 1, ShardOptions.DEFAULT)) {
      Map<Integer, float[]> lastRow = new TreeMap<>();
      Map<Integer, Double> rms = new TreeMap<>();
      LayerHook hook =
          (job, pos, layer, out) -> {
            float[] v = out.toFloats();
            rms.merge(layer, rms(v), Math::max);
            lastRow.put(layer, v);
          };
      int[] prompt = model.tokenizer().encode("conditioning check across layers", true);
      p.generate("c", prompt, SamplingParams.greedy(8), null, TokenListener.NONE, List.of(hook));
      assertEquals(6, rms.size());
      float[] prev = null;
      for (int layer = 0; layer < 6; layer++) {
        double r = rms.get(layer);
        assertTrue(r > 0.5 && r < 4, "layer " + layer + " rms " + r);
        float[] cur = lastRow.get(layer);
        if (prev != null) {
          float[] delta = new float[cur.length];
          for (int i = 0; i < cur.length; i++) {
            delta[i] = cur[i] - prev[i];
          }
          double change = rms(delta) / rms(prev);
          assertTrue(change > 0.05 && change < 1.5, "layer " + layer + " changes by " + change);
        }
        prev = cur;
      }
    }
  }

  @Test
  void shardedFilesWithAnIndexLoadAndGiveTheSameTokens() {
    Path sharded = TestModels.folder(TestModels.TINY_SHARDED);
    assertTrue(Files.exists(sharded.resolve(WeightIndex.INDEX_FILE)));
    assertFalse(Files.exists(sharded.resolve(WeightIndex.SINGLE_FILE)));
    int[] a = greedy(TestModels.tiny());
    int[] b = greedy(sharded);
    assertArrayEquals(a, b);
  }

  @Test
  void theDefaultModelIsGeneratedOnceAndThenReused() throws Exception {
    SynthSpec small = SynthSpec.of(1, 16, 2, 2, 260, 3);
    Path dir = tmp.resolve("devnet-model");
    DefaultModel.ensure(dir, small, SynthProgress.NONE);
    long written = Files.getLastModifiedTime(dir.resolve(WeightIndex.SINGLE_FILE)).toMillis();
    Thread.sleep(20);
    DefaultModel.ensure(dir, small, SynthProgress.NONE);
    assertEquals(
        written, Files.getLastModifiedTime(dir.resolve(WeightIndex.SINGLE_FILE)).toMillis());
    Path foreign = Files.createDirectories(tmp.resolve("foreign"));
    Files.writeString(foreign.resolve("notes.txt"), "mine");
    assertThrows(
        IllegalArgumentException.class,
        () -> DefaultModel.ensure(foreign, small, SynthProgress.NONE));
    assertTrue(Files.exists(foreign.resolve("notes.txt")));
  }

  private static int[] greedy(Path folder) {
    try (LlamaModel model = LlamaModel.open(folder);
        Pipeline p = Pipeline.load(model, 2, ShardOptions.DEFAULT)) {
      int[] prompt = model.tokenizer().encode("index", true);
      return p.generate("g", prompt, SamplingParams.greedy(12), null, TokenListener.NONE, List.of())
          .tokens();
    }
  }

  private static double rms(float[] v) {
    double s = 0;
    for (float x : v) {
      s += x * x;
    }
    return Math.sqrt(s / v.length);
  }

  private static byte[] sha(Path p) throws Exception {
    return MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p));
  }
}
