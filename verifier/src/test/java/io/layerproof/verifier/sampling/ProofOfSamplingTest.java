package io.layerproof.verifier.sampling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import org.junit.jupiter.api.Test;

class ProofOfSamplingTest {

  private static BigInteger n(long v) {
    return BigInteger.valueOf(v);
  }

  @Test
  void theBreakEvenProbabilityIsCostOverRewardPlusStake() {
    assertEquals(0.05, ProofOfSampling.minimumDetectionProbability(n(100), n(900), n(50)), 1e-12);
    assertEquals(0.10, ProofOfSampling.defaultCheckProbability(n(100), n(900), n(50)), 1e-12);
    // Nothing at risk, or a cheat worth more than everything at risk: check every job.
    assertEquals(1.0, ProofOfSampling.minimumDetectionProbability(n(0), n(0), n(1)));
    assertEquals(1.0, ProofOfSampling.defaultCheckProbability(n(10), n(10), n(15)));
    // uint256-sized amounts (18 decimals) work.
    BigInteger e18 = BigInteger.TEN.pow(18);
    assertEquals(
        0.002,
        ProofOfSampling.minimumDetectionProbability(e18.multiply(n(1)), e18.multiply(n(499)), e18),
        1e-12);
    assertThrows(
        IllegalArgumentException.class,
        () -> ProofOfSampling.minimumDetectionProbability(n(-1), n(1), n(1)));
  }

  @Test
  void samplesForDetectionIsTheSmallestSufficientCount() {
    assertEquals(44, ProofOfSampling.samplesForDetection(0.10, 0.99));
    assertEquals(44, ProofOfSampling.DEFAULT_SAMPLES);
    assertTrue(ProofOfSampling.detectionProbability(0.10, 44) >= 0.99);
    assertTrue(ProofOfSampling.detectionProbability(0.10, 43) < 0.99);
    assertEquals(1, ProofOfSampling.samplesForDetection(1.0, 0.999));
    assertEquals(1 - Math.pow(0.9, 10), ProofOfSampling.detectionProbability(0.1, 10), 1e-12);
  }

  /**
   * The derivation's claim: with the default check probability (C = the whole job's cost), every
   * partial cheat of any fraction f, checked with any m >= 1 samples, has a lower expected payoff
   * than honesty: q (1 - (1 - f)^m)(R + S) > f K.
   */
  @Test
  void theDefaultDetersEveryPartialCheat() {
    long[][] economies = {{100, 900, 50}, {100, 100, 90}, {5, 1000, 300}, {1, 10_000, 1}};
    for (long[] e : economies) {
      double r = e[0];
      double s = e[1];
      double k = e[2];
      double q = ProofOfSampling.defaultCheckProbability(n(e[0]), n(e[1]), n(e[2]));
      for (int m : new int[] {1, 2, 10, 44}) {
        for (double f = 0.001; f <= 1.0; f += 0.001) {
          double expectedLoss = q * ProofOfSampling.detectionProbability(f, m) * (r + s);
          assertTrue(
              expectedLoss > f * k, "R=" + r + " S=" + s + " K=" + k + " m=" + m + " f=" + f);
        }
      }
      // Just below the bare break-even C / (R + S), the full cheat pays.
      double bare = ProofOfSampling.minimumDetectionProbability(n(e[0]), n(e[1]), n(e[2]));
      assertTrue(bare * 0.99 * (r + s) < k || bare == 1.0);
    }
  }
}
