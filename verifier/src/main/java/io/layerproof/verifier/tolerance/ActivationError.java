package io.layerproof.verifier.tolerance;

/**
 * How far a revealed activation is from the verifier's recomputation of it.
 *
 * <p>The measure that decides is the relative L2 error {@code ||revealed - recomputed||_2 /
 * ||recomputed||_2}: it is scale-free, it is not dominated by one rounding step on an outlier
 * feature (real checkpoints have hidden-state outliers hundreds of times the typical value, which
 * makes an elementwise relative bound useless), and every cheat that changes the computation
 * (another model, a skipped layer, int8 output, noise) moves it by far more than float rounding
 * does. The largest elementwise difference is kept for reports.
 *
 * @param relative relative L2 error (0 when both are zero; infinite when only the recomputation is)
 * @param maxAbs largest absolute elementwise difference
 */
public record ActivationError(double relative, double maxAbs) {

  /** Compares {@code revealed} with {@code recomputed}, which must have the same length. */
  public static ActivationError of(float[] revealed, float[] recomputed) {
    if (revealed.length != recomputed.length) {
      throw new IllegalArgumentException(
          "cannot compare " + revealed.length + " values with " + recomputed.length);
    }
    double diff = 0;
    double norm = 0;
    double maxAbs = 0;
    for (int i = 0; i < revealed.length; i++) {
      double d = (double) revealed[i] - recomputed[i];
      if (Double.isNaN(d)) {
        return new ActivationError(Double.NaN, Double.NaN);
      }
      diff += d * d;
      norm += (double) recomputed[i] * recomputed[i];
      maxAbs = Math.max(maxAbs, Math.abs(d));
    }
    double relative = diff == 0 ? 0 : norm == 0 ? Double.POSITIVE_INFINITY : Math.sqrt(diff / norm);
    return new ActivationError(relative, maxAbs);
  }

  /**
   * The relative error in parts per million, saturating (for {@code FraudDetected.maxErrorPpm}).
   */
  public long relativePpm() {
    if (Double.isNaN(relative) || relative * 1e6 >= Long.MAX_VALUE) {
      return Long.MAX_VALUE;
    }
    return Math.round(relative * 1e6);
  }
}
