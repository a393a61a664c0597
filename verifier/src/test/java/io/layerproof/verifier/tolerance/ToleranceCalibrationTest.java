package io.layerproof.verifier.tolerance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.layerproof.inference.hook.ElementType;
import io.layerproof.inference.model.DjlRuntime;
import io.layerproof.inference.shard.ShardOptions;
import io.layerproof.verifier.JobFixture;
import io.layerproof.verifier.commit.ActivationStore;
import io.layerproof.verifier.reexec.LayerReplayer;
import io.layerproof.verifier.reexec.ReexecutionVerifier;
import io.layerproof.verifier.reexec.ShardVerification;
import io.layerproof.verifier.reexec.Verdict;
import io.layerproof.verifier.reveal.RevealLimits;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Honest providers and an honest verifier that differ in what real deployments differ in: PyTorch
 * thread count (1 vs 2, provider and verifier on opposite settings), FP32 or FP16 frames between
 * shards, FP32 or FP16 committed activations, two or three stages, and always decode-with-cache on
 * the provider against prefill on the verifier. Over more than 1,000 sampled checks none may be
 * flagged under {@link Tolerance#DEFAULT}; the observed errors are printed so the constant can be
 * re-derived.
 */
class ToleranceCalibrationTest {

  @TempDir Path tmp;

  private static final String[] PROMPTS = {
    "Short prompt", "Layerproof verifies sampled layers of sharded inference.",
  };

  @AfterEach
  void oneThread() {
    DjlRuntime.setThreads(1);
  }

  @Test
  void honestRunsAcrossThreadsAndPrecisionsAreNeverFlagged() throws Exception {
    JobFixture.model();
    Map<String, ErrorStats> byConfig = new LinkedHashMap<>();
    ErrorStats all = new ErrorStats();
    List<Verdict> flagged = new ArrayList<>();
    int jobs = 0;
    try (ActivationStore store =
            ActivationStore.open(tmp.resolve("store"), Duration.ofHours(1), Clock.systemUTC());
        LayerReplayer replayer = new LayerReplayer(JobFixture.model())) {
      ReexecutionVerifier verifier =
          new ReexecutionVerifier(replayer, Tolerance.DEFAULT, RevealLimits.DEFAULT);
      for (ElementType wire : List.of(ElementType.FP32, ElementType.FP16)) {
        for (ElementType hook : List.of(ElementType.FP32, ElementType.FP16)) {
          for (int providerThreads : new int[] {1, 2}) {
            int verifierThreads = 3 - providerThreads;
            String config =
                String.format(
                    "provider %dt / verifier %dt, wire %s, committed %s",
                    providerThreads, verifierThreads, wire, hook);
            ErrorStats stats = byConfig.computeIfAbsent(config, k -> new ErrorStats());
            // Two threads are slow on a shared 2-core machine: those providers run one short job.
            int prompts = providerThreads == 1 ? PROMPTS.length : 1;
            for (int p = 0; p < prompts; p++) {
              int[] bounds = p == 0 ? new int[] {0, 3, 6, 8} : new int[] {0, 4, 8};
              String job = "calib-" + jobs++;
              DjlRuntime.setThreads(providerThreads);
              JobFixture.Job j =
                  JobFixture.run(
                      store,
                      job,
                      PROMPTS[p],
                      providerThreads == 1 ? 12 : 6,
                      bounds,
                      new ShardOptions(wire, hook),
                      JobFixture.honest(bounds.length - 1));
              DjlRuntime.setThreads(verifierThreads);
              for (ShardVerification v : JobFixture.challengeAll(verifier, j, seed(job), 96)) {
                for (Verdict verdict : v.verdicts()) {
                  if (verdict.passed()) {
                    stats.add(verdict.error().relative());
                  } else {
                    flagged.add(verdict);
                  }
                }
              }
            }
            all.addAll(stats);
          }
        }
      }
    }
    System.out.println("Tolerance calibration (relative L2 error of honest re-execution):");
    byConfig.forEach((k, v) -> System.out.println("  " + k + ": " + v));
    System.out.println("  all: " + all);
    System.out.printf(
        "  observed max %.3e; tolerance %.3e = %.3e x %.1f (margin %.1fx)%n",
        all.max(),
        Tolerance.DEFAULT.maxRelativeError(),
        Tolerance.CALIBRATED_MAX_HONEST_ERROR,
        Tolerance.SAFETY_FACTOR,
        Tolerance.DEFAULT.maxRelativeError() / all.max());
    assertEquals(List.of(), flagged, "honest checks flagged");
    assertTrue(all.count() >= 1000, "only " + all.count() + " checks");
    assertTrue(all.max() < Tolerance.DEFAULT.maxRelativeError());
    // The documented calibration still describes the code (re-derive it if this fails).
    assertTrue(
        all.max() <= 2 * Tolerance.CALIBRATED_MAX_HONEST_ERROR,
        "honest error grew to " + all.max() + "; recalibrate Tolerance");
  }

  static byte[] seed(String job) throws Exception {
    return MessageDigest.getInstance("SHA-256")
        .digest(ByteBuffer.allocate(64).put(job.getBytes()).array());
  }
}
