package io.layerproof.verifier.commit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.layerproof.inference.hook.ElementType;
import io.layerproof.inference.hook.LayerHook;
import io.layerproof.inference.sampling.SamplingParams;
import io.layerproof.inference.sampling.TokenListener;
import io.layerproof.inference.shard.Pipeline;
import io.layerproof.inference.shard.Shard;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The store keeps the frames each shard received and sent, and proves them against the roots. */
class BoundaryFrameRevealTest {

  @TempDir Path tmp;

  /** A greedy job over shards 0..2, 2..4, 4..6, every stage committing and recording. */
  private static List<ShardCommitment> run(ActivationStore store, String job) {
    List<ShardCommitment> out = new ArrayList<>();
    try (Pipeline p =
        Pipeline.of(
            List.of(
                Shard.load(TinyModel.get(), 0, 2),
                Shard.load(TinyModel.get(), 2, 4),
                Shard.load(TinyModel.get(), 4, 6)))) {
      List<CommitmentAccumulator> acc = new ArrayList<>();
      List<LayerHook> hooks = new ArrayList<>();
      for (int start : new int[] {0, 2, 4}) {
        CommitmentAccumulator a = new CommitmentAccumulator(job, start, start + 2);
        acc.add(a);
        hooks.add(LayerHook.both(a, store.recorder(job, start)));
      }
      p.generate(
          job,
          TinyModel.get().tokenizer().encode("frames", true),
          SamplingParams.greedy(5).withStopAtEos(false),
          null,
          TokenListener.NONE,
          hooks);
      for (CommitmentAccumulator a : acc) {
        ShardCommitment c = a.finish();
        store.seal(c);
        out.add(c);
      }
      p.stages().forEach(Shard::close);
    }
    return out;
  }

  @Test
  void receivedAndSentFramesAreProvenAgainstTheBoundaryRoots() {
    ActivationStoreTest.ManualClock clock = new ActivationStoreTest.ManualClock();
    try (ActivationStore store = ActivationStore.open(tmp, Duration.ofHours(1), clock)) {
      List<ShardCommitment> c = run(store, "job-f");
      int last = c.get(0).positions() - 1;
      for (int stage = 0; stage < 3; stage++) {
        ActivationStore.SealedShard s = store.open("job-f", 2 * stage);
        List<FrameReveal> in = s.inputFrames(last);
        // A prefill frame, then one frame per decode step, contiguous from position 0.
        int next = 0;
        for (FrameReveal f : in) {
          assertEquals(FrameReveal.Side.INPUT, f.side());
          assertEquals(next, f.startPosition());
          assertTrue(f.verify(c.get(stage).inputBoundary()), "stage " + stage);
          assertFalse(f.verify(c.get(stage).outputBoundary()));
          next += f.rows();
        }
        assertEquals(last + 1, next);
        assertEquals(stage == 0 ? ElementType.INT32 : ElementType.FP32, in.get(0).frame().dtype());
        // Only the frames that hold positions 0..1: the prefill frame.
        assertEquals(1, s.inputFrames(1).size());

        FrameReveal out = s.outputFrame(last - 1);
        if (stage == 2) {
          assertNull(out, "the last stage sends logits, which are not kept");
          continue;
        }
        assertTrue(out.verify(c.get(stage).outputBoundary()));
        // The row sent at that position is the committed output of the stage's last layer.
        int row = last - 1 - out.startPosition();
        int bytes = 64 * 4;
        byte[] sent = Arrays.copyOfRange(out.frame().data(), row * bytes, (row + 1) * bytes);
        assertArrayEquals(s.reveal(last - 1, 2 * stage + 1).activation().data(), sent);
        // What one stage sent is what the next received, frame for frame.
        assertArrayEquals(
            out.leaf(),
            store.open("job-f", 2 * stage + 2).inputFrames(last).get(out.index()).leaf());
      }
      // A tampered frame or a frame presented at another position fails.
      FrameReveal f = store.open("job-f", 2).inputFrames(last).get(1);
      FrameReveal moved =
          new FrameReveal(
              f.jobId(),
              f.startLayer(),
              f.side(),
              f.index(),
              f.startPosition() + 1,
              f.frame(),
              f.leaf(),
              f.proof());
      assertFalse(moved.verify(c.get(1).inputBoundary()));
    }
  }

  @Test
  void pruningDropsTheFramesWithTheActivations() {
    ActivationStoreTest.ManualClock clock = new ActivationStoreTest.ManualClock();
    try (ActivationStore store = ActivationStore.open(tmp, Duration.ofMinutes(10), clock)) {
      run(store, "job-p");
      assertTrue(store.countKeys('I', "job-p", 2) > 0);
      assertTrue(store.countKeys('O', "job-p", 2) > 0);
      clock.now = clock.now.plus(Duration.ofMinutes(11));
      assertThrows(IllegalStateException.class, () -> store.open("job-p", 2));
      assertEquals(3, store.prune());
      for (int start : new int[] {0, 2, 4}) {
        assertEquals(0, store.countKeys('I', "job-p", start));
        assertEquals(0, store.countKeys('O', "job-p", start));
        assertEquals(0, store.countKeys('A', "job-p", start));
      }
    }
  }
}
