package io.layerproof.verifier.sampling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SampleDrawerTest {

  static byte[] seed(long i) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(ByteBuffer.allocate(8).putLong(i).array());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void theDrawIsAPureFunctionOfSeedJobAndShape() {
    List<Sample> a = SampleDrawer.draw(seed(1), "job", 100, 0, 32, 20);
    assertEquals(a, SampleDrawer.draw(seed(1), "job", 100, 0, 32, 20));
    assertNotEquals(a, SampleDrawer.draw(seed(2), "job", 100, 0, 32, 20));
    assertNotEquals(a, SampleDrawer.draw(seed(1), "job2", 100, 0, 32, 20));
    assertNotEquals(a, SampleDrawer.draw(seed(1), "job", 101, 0, 32, 20));
    // Escalation: more samples from the same seed extend the first ones.
    assertEquals(a, SampleDrawer.draw(seed(1), "job", 100, 0, 32, 50).subList(0, 20));
    assertThrows(
        IllegalArgumentException.class, () -> SampleDrawer.draw(new byte[31], "job", 10, 0, 4, 1));
    assertThrows(
        IllegalArgumentException.class, () -> SampleDrawer.draw(seed(1), "job", 0, 0, 4, 1));
    assertThrows(
        IllegalArgumentException.class, () -> SampleDrawer.draw(seed(1), "job", 5, 4, 4, 1));
  }

  @Test
  void samplesAreDistinctCommittedCellsAndAskingForMoreGivesAll() {
    for (long i = 0; i < 200; i++) {
      List<Sample> s = SampleDrawer.draw(seed(i), "job", 7, 3, 9, 20);
      assertEquals(20, s.size());
      assertEquals(20, new HashSet<>(s).size());
      for (Sample x : s) {
        assertTrue(x.position() < 7 && x.layer() >= 3 && x.layer() < 9, x.toString());
      }
    }
    List<Sample> all = SampleDrawer.draw(seed(9), "job", 7, 3, 9, 1000);
    assertEquals(42, new HashSet<>(all).size());
    List<Sample> s = SampleDrawer.draw(seed(3), "job", 50, 0, 8, 30);
    List<Sample> mid = SampleDrawer.inShard(s, 3, 6);
    assertTrue(mid.stream().allMatch(x -> x.layer() >= 3 && x.layer() < 6));
    assertEquals(
        s.stream().filter(x -> x.layer() >= 3 && x.layer() < 6).count(), (long) mid.size());
  }

  @Test
  void everyCellIsEquallyLikelyAnywhereInTheDraw() {
    int positions = 6;
    int layers = 5;
    int cells = positions * layers;
    int trials = 30_000;
    int m = 4;
    long[] any = new long[cells];
    long[] first = new long[cells];
    for (int t = 0; t < trials; t++) {
      List<Sample> s = SampleDrawer.draw(seed(t), "uniform", positions, 10, 10 + layers, m);
      for (int i = 0; i < m; i++) {
        int c = s.get(i).position() * layers + s.get(i).layer() - 10;
        any[c]++;
        if (i == 0) {
          first[c]++;
        }
      }
    }
    double chiAny = chiSquare(any, (double) trials * m / cells);
    double chiFirst = chiSquare(first, (double) trials / cells);
    System.out.printf(
        "uniformity over %d cells (29 degrees of freedom): chi2 %.1f (all samples), %.1f (first)%n",
        cells, chiAny, chiFirst);
    // 29 degrees of freedom: P(chi2 > 80) is about 1e-6.
    assertTrue(chiAny < 80, "chi2 " + chiAny);
    assertTrue(chiFirst < 80, "chi2 " + chiFirst);
  }

  private static double chiSquare(long[] observed, double expected) {
    double chi = 0;
    for (long o : observed) {
      chi += (o - expected) * (o - expected) / expected;
    }
    return chi;
  }

  /**
   * A job whose provider fakes a fraction f of its layers (every position of those layers) is
   * caught when any of m samples lands on one. Over many seeds, the measured rate must match {@code
   * 1 - (1 - f)^m} within a 4.4-sigma binomial interval (two-sided p about 1e-5), widened by the
   * small exact difference of drawing without replacement (hypergeometric, slightly higher).
   */
  @Test
  void detectionRateMatchesOneMinusOneMinusFToTheM() {
    int positions = 50;
    int layers = 40;
    int trials = 20_000;
    double z = 4.4;
    double[][] cases = {{0.10, 1}, {0.10, 10}, {0.10, 44}, {0.25, 5}, {0.05, 30}};
    for (double[] c : cases) {
      double f = c[0];
      int m = (int) c[1];
      int faked = (int) Math.round(f * layers);
      int caught = 0;
      SplittableRandom pick = new SplittableRandom(m * 1000L + faked);
      for (int t = 0; t < trials; t++) {
        Set<Integer> fakedLayers = new HashSet<>();
        while (fakedLayers.size() < faked) {
          fakedLayers.add(pick.nextInt(layers));
        }
        String job = "job-" + t;
        for (Sample s : SampleDrawer.draw(seed(t + 1_000_000L * m), job, positions, 0, layers, m)) {
          if (fakedLayers.contains(s.layer())) {
            caught++;
            break;
          }
        }
      }
      double measured = (double) caught / trials;
      double theory = ProofOfSampling.detectionProbability(f, m);
      double exact = hypergeometricDetection(positions * layers, positions * faked, m);
      double sigma = Math.sqrt(theory * (1 - theory) / trials);
      System.out.printf(
          "f=%.2f m=%d: measured %.4f, 1-(1-f)^m %.4f, without replacement %.4f, +-%.4f%n",
          f, m, measured, theory, exact, z * sigma);
      assertTrue(exact >= theory - 1e-12, "without replacement never detects less");
      assertTrue(
          Math.abs(measured - theory) <= z * sigma + (exact - theory),
          "f=" + f + " m=" + m + ": measured " + measured + " vs " + theory);
      assertTrue(Math.abs(measured - exact) <= z * sigma, "f=" + f + " m=" + m);
    }
  }

  /** 1 - C(N - K, m) / C(N, m). */
  private static double hypergeometricDetection(int n, int k, int m) {
    double miss = 1;
    for (int i = 0; i < m; i++) {
      miss *= (double) (n - k - i) / (n - i);
    }
    return 1 - miss;
  }
}
