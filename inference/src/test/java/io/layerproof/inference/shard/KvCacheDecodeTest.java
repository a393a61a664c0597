package io.layerproof.inference.shard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.layerproof.inference.TestModels;
import io.layerproof.inference.hook.LayerHook;
import io.layerproof.inference.model.LlamaModel;
import io.layerproof.inference.sampling.Sampler;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class KvCacheDecodeTest {

  @Test
  void cachedDecodeMatchesFullRecomputation() {
    try (LlamaModel model = LlamaModel.open(TestModels.tiny());
        Pipeline p = Pipeline.load(model, 2, ShardOptions.DEFAULT)) {
      int[] prompt = model.tokenizer().encode("Keys and values, cached", true);
      int steps = 70; // past the cache's first growth at 64 positions
      int[] seq = Arrays.copyOf(prompt, prompt.length + steps);
      float[][] cached = new float[steps][];
      try (Pipeline.Session s = p.open("cached", List.of())) {
        float[] logits = s.forward(prompt);
        for (int i = 0; i < steps; i++) {
          cached[i] = logits;
          seq[prompt.length + i] = Sampler.argmax(logits);
          logits = s.forward(new int[] {seq[prompt.length + i]});
        }
      }
      double worst = 0;
      for (int i : new int[] {0, 1, 17, 40, 63, 64, 69}) {
        float[] full;
        try (Pipeline.Session s = p.open("full-" + i, List.of(LayerHook.NONE, LayerHook.NONE))) {
          full = s.forward(Arrays.copyOf(seq, prompt.length + i));
        }
        assertEquals(Sampler.argmax(full), Sampler.argmax(cached[i]), "top-1 at step " + i);
        worst = Math.max(worst, relativeDiff(cached[i], full));
      }
      assertTrue(worst < 1e-4, "largest relative logit difference " + worst);
    }
  }

  /** max |a - b| over max |b|. */
  static double relativeDiff(float[] a, float[] b) {
    double diff = 0;
    double scale = 0;
    for (int i = 0; i < a.length; i++) {
      diff = Math.max(diff, Math.abs(a[i] - b[i]));
      scale = Math.max(scale, Math.abs(b[i]));
    }
    return diff / scale;
  }

  @Test
  void aPromptFedInChunksMatchesOneStep() {
    try (LlamaModel model = LlamaModel.open(TestModels.tiny());
        Pipeline p = Pipeline.load(model, 2, ShardOptions.DEFAULT)) {
      int[] prompt = model.tokenizer().encode("chunked prefill, ".repeat(20), true);
      float[] whole;
      try (Pipeline.Session s = p.open("whole", List.of())) {
        whole = s.forward(prompt);
      }
      float[] chunked;
      try (Pipeline.Session s = p.open("chunks", List.of())) {
        // Uneven chunks: the causal mask must account for the positions already cached.
        s.forward(Arrays.copyOfRange(prompt, 0, 37));
        s.forward(Arrays.copyOfRange(prompt, 37, 100));
        chunked = s.forward(Arrays.copyOfRange(prompt, 100, prompt.length));
      }
      double rel = relativeDiff(chunked, whole);
      assertTrue(rel < 1e-4, "relative difference " + rel);
    }
  }
}
