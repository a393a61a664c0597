package io.layerproof.verifier.tolerance;

import java.util.Arrays;

/** Observed errors of honest checks: count, mean, quantiles, maximum. Not thread-safe. */
public final class ErrorStats {

  private double[] values = new double[64];
  private int count;

  public void add(double relativeError) {
    if (Double.isNaN(relativeError)) {
      throw new IllegalArgumentException("NaN error");
    }
    if (count == values.length) {
      values = Arrays.copyOf(values, count * 2);
    }
    values[count++] = relativeError;
  }

  public void addAll(ErrorStats other) {
    for (int i = 0; i < other.count; i++) {
      add(other.values[i]);
    }
  }

  public int count() {
    return count;
  }

  public double max() {
    return count == 0 ? 0 : Arrays.stream(values, 0, count).max().orElse(0);
  }

  public double mean() {
    return count == 0 ? 0 : Arrays.stream(values, 0, count).sum() / count;
  }

  /** The q-quantile (nearest rank), q in [0, 1]. */
  public double quantile(double q) {
    if (count == 0) {
      return 0;
    }
    double[] sorted = Arrays.copyOf(values, count);
    Arrays.sort(sorted);
    int rank = (int) Math.ceil(q * count);
    return sorted[Math.max(0, Math.min(count - 1, rank - 1))];
  }

  @Override
  public String toString() {
    return String.format(
        "n=%d mean=%.3e p50=%.3e p99=%.3e max=%.3e",
        count, mean(), quantile(0.5), quantile(0.99), max());
  }
}
