package io.layerproof.inference.sampling;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.layerproof.inference.TestModels;
import io.layerproof.inference.model.LlamaModel;
import io.layerproof.inference.shard.Pipeline;
import io.layerproof.inference.shard.ShardOptions;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SamplerTest {

  private static final float[] LOGITS = {1.0f, 3.0f, 2.5f, -1.0f, 3.0f, 0.0f};

  @Test
  void greedyTakesTheHighestLogitAndTheLowestIdOnTies() {
    assertEquals(1, Sampler.argmax(LOGITS));
    assertEquals(2, Sampler.argmax(new float[] {Float.NaN, 0, 5}));
  }

  @Test
  void theUniformDrawIsAFunctionOfSeedAndStep() {
    double u = Sampler.uniform(42, 7);
    assertEquals(u, Sampler.uniform(42, 7));
    assertNotEquals(u, Sampler.uniform(42, 8));
    assertNotEquals(u, Sampler.uniform(43, 7));
    assertTrue(u >= 0 && u < 1);
  }

  @Test
  void topKOneAndTinyTopPAreGreedy() {
    for (int step = 0; step < 50; step++) {
      assertEquals(1, Sampler.pick(LOGITS, SamplingParams.sampled(1.0, 1, 1.0, 9, 1), step));
      assertEquals(1, Sampler.pick(LOGITS, SamplingParams.sampled(1.0, 0, 0.01, 9, 1), step));
    }
  }

  @Test
  void topKCutsTheTailAndFrequenciesFollowTheSoftmax() {
    SamplingParams p = SamplingParams.sampled(1.0, 3, 1.0, 5, 1);
    int[] counts = new int[LOGITS.length];
    int n = 20_000;
    for (int step = 0; step < n; step++) {
      counts[Sampler.pick(LOGITS, p, step)]++;
    }
    // Top-3 by logit (ties to the lower id): ids 1, 4, 2.
    assertEquals(0, counts[0] + counts[3] + counts[5]);
    double z = Math.exp(3) + Math.exp(3) + Math.exp(2.5);
    assertEquals(Math.exp(2.5) / z, counts[2] / (double) n, 0.015);
    assertEquals(Math.exp(3) / z, counts[4] / (double) n, 0.015);
  }

  @Test
  void temperatureSharpensAndFlattens() {
    int[] cold = new int[LOGITS.length];
    int[] hot = new int[LOGITS.length];
    for (int step = 0; step < 5000; step++) {
      cold[Sampler.pick(LOGITS, SamplingParams.sampled(0.1, 0, 1.0, 3, 1), step)]++;
      hot[Sampler.pick(LOGITS, SamplingParams.sampled(5.0, 0, 1.0, 3, 1), step)]++;
    }
    assertEquals(0, cold[3] + cold[5] + cold[0]);
    assertTrue(hot[3] > 300 && hot[5] > 300, "hot sampling reaches the tail");
  }

  @Test
  void aJobsSampledTokensAreReproducibleFromItsSeedOnAnySplit() {
    try (LlamaModel model = LlamaModel.open(TestModels.tiny());
        Pipeline one = Pipeline.load(model, 1, ShardOptions.DEFAULT);
        Pipeline two = Pipeline.load(model, 2, ShardOptions.DEFAULT)) {
      int[] prompt = model.tokenizer().encode("sample me", true);
      SamplingParams p =
          SamplingParams.sampled(0.9, 50, 0.95, SamplingParams.seedForJob("job-1"), 40)
              .withStopAtEos(false);
      List<float[]> seen = new ArrayList<>();
      int[] a;
      try (Pipeline.Session s = one.open("job-1", List.of())) {
        Generator.Step recording =
            t -> {
              float[] l = s.forward(t);
              seen.add(l);
              return l;
            };
        a = Generator.run(recording, prompt, p, null, List.of(), 2048, TokenListener.NONE).tokens();
      }
      int[] b = two.generate("job-1", prompt, p, null, TokenListener.NONE, List.of()).tokens();
      assertArrayEquals(a, b, "same job, same seed, other split");
      // A verifier holding only the logits and the seed reproduces every choice.
      for (int i = 0; i < a.length; i++) {
        assertEquals(a[i], Sampler.pick(seen.get(i), p, i), "step " + i);
      }
      SamplingParams other = p.withSeed(SamplingParams.seedForJob("job-2"));
      int[] c = one.generate("job-2", prompt, other, null, TokenListener.NONE, List.of()).tokens();
      assertFalse(java.util.Arrays.equals(a, c), "another job's seed gives other tokens");
    }
  }

  @Test
  void absurdParametersAreRefused() {
    assertTrue(message(() -> SamplingParams.greedy(0)).contains("max tokens"));
    assertTrue(message(() -> SamplingParams.greedy(Integer.MAX_VALUE)).contains("max tokens"));
    assertTrue(message(() -> SamplingParams.sampled(-1, 0, 1, 0, 5)).contains("temperature"));
    assertTrue(message(() -> SamplingParams.sampled(1, -2, 1, 0, 5)).contains("top-k"));
    assertTrue(message(() -> SamplingParams.sampled(1, 0, 0, 0, 5)).contains("top-p"));
  }

  private static String message(Runnable r) {
    return assertThrows(IllegalArgumentException.class, r::run).getMessage();
  }
}
