package io.layerproof.verifier.sampling;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;

/**
 * How often to check, from the Proof-of-Sampling condition {@code p * (R + S) > C}.
 *
 * <h2>Derivation</h2>
 *
 * A provider is paid {@code R} for a job, has {@code S} at stake, and spends {@code K} computing it
 * honestly. A cheat (skipping layers, a cheaper model, lower precision) saves it {@code C <= K}. If
 * the job is checked and the cheat caught, which happens with probability {@code p}, it loses the
 * reward and the stake. Its expected payoffs are
 *
 * <pre>
 * honest: R - K
 * cheat:  (1 - p) R - p S - (K - C)  =  R - K + C - p (R + S)
 * </pre>
 *
 * so cheating pays less than honesty exactly when {@code p (R + S) > C}: the smallest deterrent
 * probability is {@code p* = C / (R + S)} ({@link #minimumDetectionProbability}). With {@code p}
 * above {@code p*} honesty is the provider's best response (the condition the Proof-of-Sampling
 * protocol builds its equilibrium on).
 *
 * <p><b>Partial cheats.</b> A job is checked with probability {@code q}; a checked job gets {@code
 * m} cells drawn uniformly (see {@link SampleDrawer}). A provider that fakes a fraction {@code f}
 * of its cells saves about {@code C(f) = f K} and is caught with probability {@code q (1 - (1 -
 * f)^m)} (sampling without replacement only raises it). Because {@code 1 - (1 - f)^m >= f} for
 * every {@code m >= 1} and {@code f} in {@code [0, 1]}, the condition for faking everything, {@code
 * q (R + S) > K}, implies {@code q (1 - (1 - f)^m)(R + S) > f K} for every {@code f}: the worst
 * case is the full cheat, and {@code C = K} gives a check probability that deters all of them.
 * Larger {@code m} adds margin and catches a partial cheater in a single job, which is what {@link
 * #samplesForDetection} sizes (e.g. 44 samples catch a 10% cheat with 99%).
 *
 * <p><b>Default.</b> {@link #defaultCheckProbability} takes {@code C = K} (the whole job's compute)
 * and a safety factor of {@value #SAFETY_FACTOR} over {@code p*}, capped at 1: {@code q = min(1, 2
 * K / (R + S))}. When {@code K >= (R + S) / 2} every job is checked.
 */
public final class ProofOfSampling {

  /** Check probability over the bare break-even {@code C / (R + S)}. */
  public static final double SAFETY_FACTOR = 2.0;

  /** Samples per checked job that catch a job faking 10% of its cells with 99% probability. */
  public static final int DEFAULT_SAMPLES = samplesForDetection(0.10, 0.99);

  private ProofOfSampling() {}

  /**
   * {@code p* = C / (R + S)}, capped at 1: below it cheating pays; any {@code p} above deters.
   *
   * @param reward R, what the provider is paid for the job (token base units)
   * @param stake S, what it loses when caught
   * @param costSaved C, what the cheat saves it
   */
  public static double minimumDetectionProbability(
      BigInteger reward, BigInteger stake, BigInteger costSaved) {
    if (reward.signum() < 0 || stake.signum() < 0 || costSaved.signum() < 0) {
      throw new IllegalArgumentException("reward, stake and cost must be non-negative");
    }
    BigInteger atRisk = reward.add(stake);
    if (atRisk.signum() == 0) {
      return costSaved.signum() == 0 ? 0 : 1;
    }
    double p =
        new BigDecimal(costSaved)
            .divide(new BigDecimal(atRisk), MathContext.DECIMAL64)
            .doubleValue();
    return Math.min(1.0, p);
  }

  /**
   * The default probability that a job is checked: {@code min(1, SAFETY_FACTOR * K / (R + S))},
   * deterring every cheat on the job including faking all of it (see the class comment).
   *
   * @param jobCost K, the provider's cost of computing the job honestly (the most a cheat saves)
   */
  public static double defaultCheckProbability(
      BigInteger reward, BigInteger stake, BigInteger jobCost) {
    return Math.min(1.0, SAFETY_FACTOR * minimumDetectionProbability(reward, stake, jobCost));
  }

  /** {@code 1 - (1 - f)^m}: the chance that m uniform samples hit a fraction f of faked cells. */
  public static double detectionProbability(double fakedFraction, int samples) {
    checkFraction(fakedFraction);
    return -Math.expm1(samples * Math.log1p(-fakedFraction));
  }

  /** The fewest samples m with {@code 1 - (1 - f)^m >= target}. */
  public static int samplesForDetection(double fakedFraction, double target) {
    checkFraction(fakedFraction);
    if (fakedFraction == 0 || !(target > 0 && target < 1)) {
      throw new IllegalArgumentException("need 0 < f and 0 < target < 1");
    }
    if (fakedFraction == 1) {
      return 1;
    }
    int m = (int) Math.ceil(Math.log1p(-target) / Math.log1p(-fakedFraction));
    // Guard against rounding in the logarithms at the boundary.
    while (m > 1 && detectionProbability(fakedFraction, m - 1) >= target) {
      m--;
    }
    while (detectionProbability(fakedFraction, m) < target) {
      m++;
    }
    return m;
  }

  private static void checkFraction(double f) {
    if (!(f >= 0 && f <= 1)) {
      throw new IllegalArgumentException("fraction must be in [0, 1], got " + f);
    }
  }
}
