package io.layerproof.inference.shard;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.layerproof.inference.TestModels;
import io.layerproof.inference.hook.Activation;
import io.layerproof.inference.hook.ElementType;
import io.layerproof.inference.hook.LayerHook;
import io.layerproof.inference.model.LlamaModel;
import io.layerproof.inference.synth.DefaultModel;
import io.layerproof.inference.synth.SynthSpec;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link Shard#forwardLastRow} (a layer's keys and values for every row, the rest for the last row
 * only) against the last row of the full prefill {@link Shard#forward}, as a verifier re-executes a
 * sampled (position, layer) cell.
 */
class LastRowTest {

  /** Largest position + 1 fed; positions 0..MAX_T-1 are tested. */
  private static final int MAX_T = 201;

  private static final int[] POSITIONS = {0, 1, 2, 5, 37, 63, 64, 200};

  static Stream<Arguments> models() {
    return Stream.of(
        // The devnet's default model: 8 layers, hidden 512, 8 query / 4 key-value heads.
        Arguments.of("default GQA 8:4", DefaultModel.SPEC, new int[] {0, 1, 4, 7}),
        // Multi-head attention (one key/value head per query head).
        Arguments.of("MHA 4:4", SynthSpec.of(3, 128, 4, 4, 320, 11), new int[] {0, 1, 2}),
        // Multi-query attention (one key/value head for all).
        Arguments.of("MQA 4:1", SynthSpec.of(3, 128, 4, 1, 320, 13), new int[] {0, 2}));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("models")
  void theLastRowMatchesTheFullPrefillsLastRow(String name, SynthSpec spec, int[] layers) {
    double worst = 0;
    try (LlamaModel model = LlamaModel.open(TestModels.folder(spec))) {
      int[] tokens = tokens(model);
      int hidden = model.config().hiddenSize();
      for (int layer : layers) {
        Activation inputs = inputsOf(model, layer, tokens);
        try (Shard shard = Shard.loadLayers(model, layer, layer + 1, ShardOptions.DEFAULT)) {
          for (int t : POSITIONS) {
            HiddenStateFrame in = prefix(inputs, layer, tokens, t + 1);
            float[] full = lastRowOfFull(shard, in, hidden);
            HiddenStateFrame out;
            try (ShardSession s = shard.newSession("last", LayerHook.NONE)) {
              out = shard.forwardLastRow(s, in);
              assertEquals(t + 1, s.position(), "the session advances past every row");
            }
            assertEquals(t, out.startPosition());
            assertArrayEquals(new int[] {1, hidden}, out.shape());
            double rel = relativeDiff(out.floats(), full);
            assertTrue(rel <= 1e-5, name + " layer " + layer + " t=" + t + ": " + rel);
            worst = Math.max(worst, rel);
          }
        }
      }
    }
    System.out.printf("LastRowTest %s: max relative difference %.3e%n", name, worst);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("models")
  void theCacheAfterwardsHoldsEveryPosition(String name, SynthSpec spec, int[] layers) {
    try (LlamaModel model = LlamaModel.open(TestModels.folder(spec))) {
      int[] tokens = tokens(model);
      int hidden = model.config().hiddenSize();
      int layer = layers[layers.length - 1];
      Activation inputs = inputsOf(model, layer, tokens);
      try (Shard shard = Shard.loadLayers(model, layer, layer + 1, ShardOptions.DEFAULT)) {
        for (int t : new int[] {0, 40}) {
          // forwardLastRow over 0..t, then a decode step at t+1 on the same session ...
          HiddenStateFrame both = prefix(inputs, layer, tokens, t + 2);
          HiddenStateFrame next = rows(both, layer, t + 1, t + 2);
          float[] decoded;
          try (ShardSession s = shard.newSession("then-decode", LayerHook.NONE)) {
            shard.forwardLastRow(s, prefix(inputs, layer, tokens, t + 1));
            decoded = shard.forward(s, next).floats();
          }
          // ... is the full prefill over 0..t+1 at t+1.
          double rel = relativeDiff(decoded, lastRowOfFull(shard, both, hidden));
          assertTrue(rel <= 1e-5, name + " t=" + t + ": " + rel);
        }
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("models")
  void aShardOfSeveralLayersRunsTheEarlierOnesInFull(String name, SynthSpec spec, int[] layers) {
    try (LlamaModel model = LlamaModel.open(TestModels.folder(spec))) {
      int n = model.config().numLayers();
      int[] tokens = Arrays.copyOf(tokens(model), 50);
      HiddenStateFrame in = HiddenStateFrame.tokens(0, tokens);
      // Hidden states out of a shard of all layers.
      Map<String, Activation> seen = new HashMap<>();
      LayerHook spy = (job, pos, layer, a) -> seen.put(pos + "/" + layer, a);
      try (Shard shard = Shard.loadLayers(model, 0, n, ShardOptions.DEFAULT)) {
        float[] full = lastRowOfFull(shard, in, model.config().hiddenSize());
        float[] last;
        try (ShardSession s = shard.newSession("hooked", spy)) {
          last = shard.forwardLastRow(s, in).floats();
        }
        assertTrue(relativeDiff(last, full) <= 1e-5, "relative " + relativeDiff(last, full));
      }
      // Every layer but the last is hooked at every position, the last at the last only.
      for (int layer = 0; layer < n - 1; layer++) {
        for (int p = 0; p < tokens.length; p++) {
          assertTrue(seen.containsKey(p + "/" + layer), p + "/" + layer);
        }
      }
      assertEquals(tokens.length * (n - 1) + 1, seen.size());
      assertTrue(seen.containsKey((tokens.length - 1) + "/" + (n - 1)));
      // And the model's last shard, with its head: the same logits.
      try (Shard shard = Shard.load(model, 0, n)) {
        float[] full;
        float[] last;
        try (ShardSession s = shard.newSession("full", LayerHook.NONE)) {
          full = shard.forward(s, in).floats();
        }
        try (ShardSession s = shard.newSession("last", LayerHook.NONE)) {
          last = shard.forwardLastRow(s, in).floats();
        }
        assertTrue(relativeDiff(last, full) <= 1e-5, "logits " + relativeDiff(last, full));
      }
    }
  }

  private static int[] tokens(LlamaModel model) {
    int[] ids = model.tokenizer().encode("Only the last row is needed. ".repeat(60), true);
    assertTrue(ids.length >= MAX_T);
    return Arrays.copyOf(ids, MAX_T);
  }

  /** The input of {@code layer} at positions 0..MAX_T-1: null for layer 0 (it takes token ids). */
  private static Activation inputsOf(LlamaModel model, int layer, int[] tokens) {
    if (layer == 0) {
      return null;
    }
    try (Shard before = Shard.loadLayers(model, 0, layer, ShardOptions.DEFAULT);
        ShardSession s = before.newSession("inputs", LayerHook.NONE)) {
      return before.forward(s, HiddenStateFrame.tokens(0, tokens)).payload();
    }
  }

  /** The layer's input at positions 0..rows-1. */
  private static HiddenStateFrame prefix(Activation inputs, int layer, int[] tokens, int rows) {
    if (layer == 0) {
      return HiddenStateFrame.tokens(0, Arrays.copyOf(tokens, rows));
    }
    return rows(new HiddenStateFrame(0, inputs), layer, 0, rows);
  }

  /** Rows {@code from..to-1} of a frame starting at 0. */
  private static HiddenStateFrame rows(HiddenStateFrame frame, int layer, int from, int to) {
    if (layer == 0) {
      return HiddenStateFrame.tokens(from, Arrays.copyOfRange(frame.tokenIds(), from, to));
    }
    int[] shape = frame.shape();
    int rowBytes = shape[1] * 4;
    byte[] data = Arrays.copyOfRange(frame.payload().data(), from * rowBytes, to * rowBytes);
    return new HiddenStateFrame(
        from, new Activation(ElementType.FP32, new int[] {to - from, shape[1]}, data));
  }

  /** The old replay: the full prefill of a fresh session, keeping the last row. */
  static float[] lastRowOfFull(Shard shard, HiddenStateFrame in, int hidden) {
    HiddenStateFrame out;
    try (ShardSession s = shard.newSession("full", LayerHook.NONE)) {
      out = shard.forward(s, in);
    }
    int rows = out.rows();
    return Arrays.copyOfRange(out.floats(), (rows - 1) * hidden, rows * hidden);
  }

  /** max |a - b| over max |b|. */
  static double relativeDiff(float[] a, float[] b) {
    assertEquals(b.length, a.length);
    double diff = 0;
    double scale = 0;
    for (int i = 0; i < a.length; i++) {
      diff = Math.max(diff, Math.abs(a[i] - b[i]));
      scale = Math.max(scale, Math.abs(b[i]));
    }
    return diff / scale;
  }
}
