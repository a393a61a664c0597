package io.layerproof.inference.shard;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.layerproof.inference.TestModels;
import io.layerproof.inference.hook.Activation;
import io.layerproof.inference.hook.ElementType;
import io.layerproof.inference.hook.LayerHook;
import io.layerproof.inference.hook.LayerOverride;
import io.layerproof.inference.model.LlamaModel;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class LayerOverrideTest {

  private static LlamaModel model;

  @BeforeAll
  static void open() {
    model = LlamaModel.open(TestModels.tiny());
  }

  @AfterAll
  static void close() {
    model.close();
  }

  /** Runs the prompt, then two decode steps, through {@code shard}; returns "pos/layer" rows. */
  private static Map<String, Activation> run(Shard shard, int[] prompt) {
    Map<String, Activation> seen = new HashMap<>();
    LayerHook spy = (job, pos, layer, a) -> seen.put(pos + "/" + layer, a);
    try (ShardSession s = shard.newSession("job", spy)) {
      shard.forward(s, HiddenStateFrame.tokens(0, prompt));
      shard.forward(s, HiddenStateFrame.tokens(prompt.length, new int[] {65}));
      shard.forward(s, HiddenStateFrame.tokens(prompt.length + 1, new int[] {66}));
    }
    return seen;
  }

  @Test
  void anOverriddenLayerIsWhatTheHookSeesAndTheNextLayerUses() {
    int[] prompt = model.tokenizer().encode("override me", true);
    LayerOverride skip2 = (layer, start, in, out, scratch) -> layer == 2 ? in : out;
    Map<String, Activation> honest;
    Map<String, Activation> skipped;
    try (Shard h = Shard.load(model, 0, 6);
        Shard c = Shard.load(model, 0, 6, ShardOptions.DEFAULT, skip2)) {
      honest = run(h, prompt);
      skipped = run(c, prompt);
    }
    int positions = prompt.length + 2;
    assertEquals(positions * 6, skipped.size());
    for (int p = 0; p < positions; p++) {
      // Layer 2's committed output is its input (layer 1's output), in prefill and in decode.
      assertEquals(skipped.get(p + "/1"), skipped.get(p + "/2"), "position " + p);
      assertEquals(honest.get(p + "/1"), skipped.get(p + "/1"), "position " + p);
      assertFalse(honest.get(p + "/2").equals(skipped.get(p + "/2")), "position " + p);
      // Layer 3 ran on the skipped output, so it differs from the honest layer 3 as well.
      assertFalse(honest.get(p + "/3").equals(skipped.get(p + "/3")), "position " + p);
    }
  }

  @Test
  void layersOnlyShardReturnsHiddenStatesThatMatchTheFullRun() {
    int[] prompt = model.tokenizer().encode("replay the last layer", true);
    Map<String, Activation> full;
    try (Shard all = Shard.load(model, 0, 6)) {
      full = run(all, prompt);
    }
    int rows = prompt.length + 2;
    int hidden = model.config().hiddenSize();
    ByteBuffer in = ByteBuffer.allocate(rows * hidden * 4).order(ByteOrder.LITTLE_ENDIAN);
    for (int p = 0; p < rows; p++) {
      in.put(full.get(p + "/4").data());
    }
    HiddenStateFrame frame =
        new HiddenStateFrame(
            0, new Activation(ElementType.FP32, new int[] {rows, hidden}, in.array()));
    try (Shard last = Shard.loadLayers(model, 5, 6, ShardOptions.DEFAULT)) {
      assertFalse(last.isLast());
      assertFalse(last.memory().tensorNames().contains("model.norm.weight"));
      HiddenStateFrame out;
      try (ShardSession s = last.newSession("replay", LayerHook.NONE)) {
        out = last.forward(s, frame);
      }
      assertArrayEquals(new int[] {rows, hidden}, out.shape());
      float[] replayed = out.floats();
      for (int p = 0; p < rows; p++) {
        float[] want = full.get(p + "/5").toFloats();
        float[] got = Arrays.copyOfRange(replayed, p * hidden, (p + 1) * hidden);
        double diff = 0;
        double norm = 0;
        for (int i = 0; i < hidden; i++) {
          diff += (got[i] - want[i]) * (double) (got[i] - want[i]);
          norm += want[i] * (double) want[i];
        }
        // Prefill-style replay of decode steps: equal up to float rounding.
        assertTrue(Math.sqrt(diff / norm) < 1e-5, "position " + p + ": " + Math.sqrt(diff / norm));
      }
    }
  }
}
