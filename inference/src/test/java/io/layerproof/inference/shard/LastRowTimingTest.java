package io.layerproof.inference.shard;

import io.layerproof.inference.TestModels;
import io.layerproof.inference.hook.Activation;
import io.layerproof.inference.hook.LayerHook;
import io.layerproof.inference.model.DjlRuntime;
import io.layerproof.inference.model.LlamaModel;
import io.layerproof.inference.synth.DefaultModel;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Prints what re-executing one layer at position t costs, the full prefill's last row (the old
 * replay) against {@link Shard#forwardLastRow}, on the default model with one PyTorch thread (as
 * {@code layerproof bench verifier} runs). Times are printed, never asserted; opt in with {@code
 * -Dlayerproof.timings=true}.
 */
@EnabledIfSystemProperty(named = "layerproof.timings", matches = "true")
class LastRowTimingTest {

  private static final int REPS = 30;

  @Test
  void printLastRowTimings() {
    int threads = DjlRuntime.threads();
    DjlRuntime.setThreads(1);
    try (LlamaModel model = LlamaModel.open(TestModels.folder(DefaultModel.SPEC))) {
      int[] ids = model.tokenizer().encode("Only the last row is needed. ".repeat(60), true);
      int[] tokens = Arrays.copyOf(ids, 256);
      int hidden = model.config().hiddenSize();
      int layer = 4;
      HiddenStateFrame all;
      try (Shard before = Shard.loadLayers(model, 0, layer, ShardOptions.DEFAULT);
          ShardSession s = before.newSession("inputs", LayerHook.NONE)) {
        all = before.forward(s, HiddenStateFrame.tokens(0, tokens));
      }
      System.out.printf(
          "lastRow of layer %d, default model (hidden 512, 8:4 heads), 1 PyTorch thread, median of"
              + " %d:%n| t | full prefill, last row (ms) | forwardLastRow (ms) | speed-up |%n"
              + "|---:|---:|---:|---:|%n",
          layer, REPS);
      int[] positions = {64, 128, 255};
      try (Shard shard = Shard.loadLayers(model, layer, layer + 1, ShardOptions.DEFAULT)) {
        for (int i = 0; i < 10; i++) { // warm-up, every size
          for (int t : positions) {
            old(shard, firstRows(all, t + 1), hidden);
            now(shard, firstRows(all, t + 1));
          }
        }
        for (int t : positions) {
          HiddenStateFrame in = firstRows(all, t + 1);
          double[] oldMs = new double[REPS];
          double[] newMs = new double[REPS];
          for (int r = 0; r < REPS; r++) { // interleaved, so drift hits both alike
            long t0 = System.nanoTime();
            old(shard, in, hidden);
            long t1 = System.nanoTime();
            now(shard, in);
            long t2 = System.nanoTime();
            oldMs[r] = (t1 - t0) / 1e6;
            newMs[r] = (t2 - t1) / 1e6;
          }
          double o = median(oldMs);
          double n = median(newMs);
          System.out.printf("| %d | %.3f | %.3f | %.2fx |%n", t, o, n, o / n);
        }
      }
    } finally {
      DjlRuntime.setThreads(threads);
    }
  }

  private static float[] old(Shard shard, HiddenStateFrame in, int hidden) {
    return LastRowTest.lastRowOfFull(shard, in, hidden);
  }

  private static float[] now(Shard shard, HiddenStateFrame in) {
    try (ShardSession s = shard.newSession("new", LayerHook.NONE)) {
      return shard.forwardLastRow(s, in).floats();
    }
  }

  private static HiddenStateFrame firstRows(HiddenStateFrame all, int rows) {
    int[] shape = all.shape();
    byte[] data = Arrays.copyOf(all.payload().data(), rows * shape[1] * 4);
    return new HiddenStateFrame(0, new Activation(all.dtype(), new int[] {rows, shape[1]}, data));
  }

  private static double median(double[] v) {
    double[] s = v.clone();
    Arrays.sort(s);
    return s[s.length / 2];
  }
}
