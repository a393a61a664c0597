package io.layerproof.verifier.cheat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.layerproof.inference.hook.ElementType;
import io.layerproof.inference.shard.ShardOptions;
import io.layerproof.verifier.JobFixture;
import io.layerproof.verifier.commit.ActivationStore;
import io.layerproof.verifier.reexec.LayerReplayer;
import io.layerproof.verifier.reexec.ReexecutionVerifier;
import io.layerproof.verifier.reexec.ShardVerification;
import io.layerproof.verifier.reexec.Verdict;
import io.layerproof.verifier.reexec.Verdict.Status;
import io.layerproof.verifier.reveal.RevealLimits;
import io.layerproof.verifier.sampling.Sample;
import io.layerproof.verifier.tolerance.Tolerance;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each cheat runs in a real two-stage job (layers 0-3 honest, 4-7 cheating, FP16 commitments so the
 * tolerance is the one honest FP16 work needs), commits to what it computed, and is challenged at
 * every layer of its stage at three positions: exactly the affected layers are flagged, the others
 * (which were computed honestly from the committed, wrong, inputs) pass, and the honest stage
 * passes.
 */
class CheatDetectionTest {

  @TempDir static Path tmp;

  private static ActivationStore store;
  private static LayerReplayer replayer;
  private static ReexecutionVerifier verifier;
  private static int jobs;

  private static final ShardOptions OPTIONS = new ShardOptions(ElementType.FP32, ElementType.FP16);

  @BeforeAll
  static void open() {
    store = ActivationStore.open(tmp.resolve("store"), Duration.ofHours(1), Clock.systemUTC());
    replayer = new LayerReplayer(JobFixture.model());
    verifier = new ReexecutionVerifier(replayer, Tolerance.DEFAULT, RevealLimits.DEFAULT);
  }

  @AfterAll
  static void close() {
    replayer.close();
    store.close();
  }

  /** Runs a job with stage 1 cheating; returns stage 0's and stage 1's verdicts. */
  private static List<ShardVerification> challenge(CheatSwitch cheat) {
    JobFixture.Job job =
        JobFixture.run(
            store,
            "cheat-" + jobs++,
            "A provider that cheats",
            6,
            new int[] {0, 4, 8},
            OPTIONS,
            List.of(CheatSwitch.HONEST, cheat));
    int[] positions = {0, job.positions() / 2, job.positions() - 1};
    List<ShardVerification> out = new ArrayList<>();
    for (int stage = 0; stage < 2; stage++) {
      List<Sample> samples = new ArrayList<>();
      for (int layer = stage * 4; layer < stage * 4 + 4; layer++) {
        for (int p : positions) {
          samples.add(new Sample(p, layer));
        }
      }
      out.add(JobFixture.challenge(verifier, job, stage, samples));
    }
    return out;
  }

  /** Stage 0 passes; in stage 1 a sample is flagged (with {@code status}) iff its layer is hit. */
  private static void assertFlagsExactly(CheatSwitch cheat, Status status) {
    List<ShardVerification> v = challenge(cheat);
    assertTrue(v.get(0).passed(), "honest stage: " + v.get(0).failures());
    double smallestCheat = Double.POSITIVE_INFINITY;
    double largestHonest = 0;
    for (Verdict verdict : v.get(1).verdicts()) {
      boolean hit = cheat.affects(verdict.sample().layer());
      assertEquals(hit ? status : Status.PASS, verdict.status(), cheat.mode() + " " + verdict);
      if (verdict.error() != null) {
        if (hit) {
          smallestCheat = Math.min(smallestCheat, verdict.error().relative());
        } else {
          largestHonest = Math.max(largestHonest, verdict.error().relative());
        }
      }
    }
    System.out.printf(
        "%s %s: smallest error of a flagged sample %.3e, largest of an unaffected one %.3e,"
            + " tolerance %.3e%n",
        cheat.mode(),
        cheat.layers(),
        smallestCheat,
        largestHonest,
        Tolerance.DEFAULT.maxRelativeError());
  }

  @Test
  void skippedLayersAreFlaggedAndTheLayersAfterThemPass() {
    assertFlagsExactly(CheatSwitch.skipLayers(5), Status.MISMATCH);
  }

  @Test
  void anotherModelsWeightsAreFlaggedAtEveryLayerIncludingTheStagesFirst() {
    CheatSwitch cheat = CheatSwitch.substituteModel(JobFixture.substitute());
    assertFlagsExactly(cheat, Status.MISMATCH);
    // The substitute has the same shape, so only the weights give it away.
    assertEquals(
        JobFixture.model().config().hiddenSize(), JobFixture.substitute().config().hiddenSize());
  }

  @Test
  void int8OutputsAreFlagged() {
    assertFlagsExactly(CheatSwitch.dropPrecision(6), Status.MISMATCH);
  }

  @Test
  void noiseOnOneLayerIsFlagged() {
    assertFlagsExactly(CheatSwitch.noise(0.01, 42, 4), Status.MISMATCH);
  }

  @Test
  void aRefusedRevealIsAMissingRevealForEverySample() {
    CheatSwitch cheat = CheatSwitch.refuseReveal();
    List<ShardVerification> v = challenge(cheat);
    assertTrue(v.get(0).passed());
    assertFalse(v.get(1).verdicts().isEmpty());
    for (Verdict verdict : v.get(1).verdicts()) {
      assertEquals(Status.MISSING_REVEAL, verdict.status(), verdict.toString());
    }
  }

  @Test
  void anHonestSwitchChangesNothing() {
    List<ShardVerification> v = challenge(CheatSwitch.HONEST);
    assertTrue(v.get(0).passed());
    assertTrue(v.get(1).passed(), v.get(1).failures().toString());
  }

  @Test
  void switchesAreCheckedWhenMade() {
    assertThrows(IllegalArgumentException.class, () -> CheatSwitch.skipLayers());
    assertThrows(IllegalArgumentException.class, () -> CheatSwitch.noise(0, 1, 3));
    assertThrows(
        IllegalArgumentException.class,
        () -> new CheatSwitch(CheatMode.SKIP_LAYERS, Set.of(1), JobFixture.model(), 0, 0));
    assertEquals(Set.of(2, 5), CheatSwitch.dropPrecision(5, 2, 5).layers());
  }
}
