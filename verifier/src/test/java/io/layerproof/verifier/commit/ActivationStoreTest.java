package io.layerproof.verifier.commit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.layerproof.inference.hook.Activation;
import io.layerproof.inference.hook.ElementType;
import io.layerproof.inference.hook.LayerHook;
import io.layerproof.inference.sampling.SamplingParams;
import io.layerproof.inference.sampling.TokenListener;
import io.layerproof.inference.shard.Pipeline;
import io.layerproof.inference.shard.Shard;
import io.layerproof.inference.shard.ShardOptions;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ActivationStoreTest {

  @TempDir Path tmp;

  /** A clock the test moves by hand. */
  static final class ManualClock extends Clock {
    Instant now = Instant.parse("2026-01-01T00:00:00Z");

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public java.time.ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }
  }

  record Run(ShardCommitment commitment, Map<String, Activation> seen, long bytes) {}

  /** A job on the middle shard (layers 2..4) with accumulator, recorder and a spy, sealed. */
  private static Run run(ActivationStore store, String job, ElementType hookType) {
    try (Pipeline p =
        Pipeline.of(
            List.of(
                Shard.load(TinyModel.get(), 0, 2),
                Shard.load(TinyModel.get(), 2, 4, new ShardOptions(ElementType.FP32, hookType)),
                Shard.load(TinyModel.get(), 4, 6)))) {
      CommitmentAccumulator acc = new CommitmentAccumulator(job, 2, 4);
      ActivationStore.Recorder rec = store.recorder(job, 2);
      Map<String, Activation> seen = new HashMap<>();
      LayerHook spy = (j, pos, layer, a) -> seen.put(pos + "/" + layer, a);
      p.generate(
          job,
          TinyModel.get().tokenizer().encode("reveal me", true),
          SamplingParams.greedy(6).withStopAtEos(false),
          null,
          TokenListener.NONE,
          List.of(LayerHook.NONE, LayerHook.both(acc, LayerHook.both(rec, spy)), LayerHook.NONE));
      ShardCommitment c = acc.finish();
      store.seal(c);
      p.stages().forEach(Shard::close);
      return new Run(c, seen, rec.bytesWritten());
    }
  }

  @Test
  void revealsCarryValidProofsOfTheExactActivations() {
    try (ActivationStore store =
        ActivationStore.open(tmp, Duration.ofHours(1), new ManualClock())) {
      Run r = run(store, "job-r", ElementType.FP32);
      int positions = r.commitment().positions();
      for (int pos : new int[] {0, positions / 2, positions - 1}) {
        for (int layer : new int[] {2, 3}) {
          Reveal reveal = store.reveal("job-r", 2, pos, layer);
          assertTrue(reveal.verify(r.commitment().root()), pos + "/" + layer);
          assertEquals(r.seen().get(pos + "/" + layer), reveal.activation());
        }
      }
      assertThrows(IllegalArgumentException.class, () -> store.reveal("job-r", 2, positions, 2));
      assertThrows(IllegalArgumentException.class, () -> store.reveal("job-r", 2, 0, 4));
    }
  }

  @Test
  void aTamperedActivationFailsVerification() {
    try (ActivationStore store =
        ActivationStore.open(tmp, Duration.ofHours(1), new ManualClock())) {
      Run r = run(store, "job-t", ElementType.FP32);
      byte[] root = r.commitment().root();
      Reveal honest = store.reveal("job-t", 2, 3, 3);
      assertTrue(honest.verify(root));

      byte[] data = honest.activation().data().clone();
      data[17] ^= 0x01; // the lowest mantissa bit of one value
      Activation tampered = new Activation(ElementType.FP32, honest.activation().shape(), data);
      assertFalse(withActivation(honest, tampered).verify(root));
      // The right bytes presented as another position, or against another root, fail too.
      Reveal moved =
          new Reveal("job-t", 2, 4, 3, honest.activation(), honest.leaf(), honest.proof());
      assertFalse(moved.verify(root));
      assertFalse(honest.verify(run(store, "job-u", ElementType.FP32).commitment().root()));
      // Same bytes, other claimed dtype/shape: different leaf.
      Activation reshaped =
          new Activation(ElementType.FP16, new int[] {data.length / 2}, honest.activation().data());
      assertFalse(withActivation(honest, reshaped).verify(root));
    }
  }

  @Test
  void fp16ActivationsHalveTheStoreAndStillVerify() {
    try (ActivationStore store =
        ActivationStore.open(tmp, Duration.ofHours(1), new ManualClock())) {
      Run full = run(store, "job-32", ElementType.FP32);
      Run half = run(store, "job-16", ElementType.FP16);
      assertEquals(full.commitment().positions(), half.commitment().positions());
      long rows = full.commitment().positions() * 2L;
      assertEquals(rows * (6 + 64 * 4), full.bytes());
      assertEquals(rows * (6 + 64 * 2), half.bytes());
      Reveal r16 = store.reveal("job-16", 2, 1, 2);
      assertTrue(r16.verify(half.commitment().root()));
      float[] a = store.reveal("job-32", 2, 1, 2).activation().toFloats();
      float[] b = r16.activation().toFloats();
      for (int i = 0; i < a.length; i++) {
        assertEquals(a[i], b[i], Math.abs(a[i]) * 1e-3 + 1e-3, "element " + i);
      }
    }
  }

  @Test
  void revealsEndWithTheRetentionWindowAndPruneFreesTheSpace() {
    ManualClock clock = new ManualClock();
    try (ActivationStore store = ActivationStore.open(tmp, Duration.ofMinutes(30), clock)) {
      run(store, "old", ElementType.FP32);
      clock.now = clock.now.plus(Duration.ofMinutes(20));
      Run fresh = run(store, "fresh", ElementType.FP32);
      store.recorder("abandoned", 0); // started, never sealed
      clock.now = clock.now.plus(Duration.ofMinutes(15));
      assertTrue(
          assertThrows(IllegalStateException.class, () -> store.reveal("old", 2, 0, 2))
              .getMessage()
              .contains("expired"));
      assertTrue(store.reveal("fresh", 2, 0, 2).verify(fresh.commitment().root()));
      assertEquals(1, store.prune());
      assertEquals(0, store.countKeys("old", 2));
      assertTrue(store.countKeys("fresh", 2) > 0);
      clock.now = clock.now.plus(Duration.ofHours(1));
      assertEquals(2, store.prune()); // "fresh" and the abandoned job
      assertEquals(0, store.countKeys("fresh", 2));
      assertThrows(IllegalArgumentException.class, () -> store.reveal("fresh", 2, 0, 2));
    }
  }

  @Test
  void commitmentsSurviveAReopen() {
    ManualClock clock = new ManualClock();
    ShardCommitment c;
    try (ActivationStore store = ActivationStore.open(tmp, Duration.ofHours(1), clock)) {
      c = run(store, "job-p", ElementType.FP32).commitment();
    }
    try (ActivationStore store = ActivationStore.open(tmp, Duration.ofHours(1), clock)) {
      Reveal r = store.reveal("job-p", 2, 2, 3);
      assertTrue(r.verify(c.root()));
      assertArrayEquals(c.leaves().get(c.leafIndex(2, 3)), r.leaf());
    }
  }

  private static Reveal withActivation(Reveal r, Activation a) {
    return new Reveal(r.jobId(), r.startLayer(), r.position(), r.layer(), a, r.leaf(), r.proof());
  }
}
