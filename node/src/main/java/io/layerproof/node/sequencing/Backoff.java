package io.layerproof.node.sequencing;

import java.time.Duration;

/** Exponential backoff: initial, doubling up to max, back to initial on {@link #reset}. */
public final class Backoff {
  private final Duration initial;
  private final Duration max;
  private Duration current;

  public Backoff(Duration initial, Duration max) {
    if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0) {
      throw new IllegalArgumentException("need 0 < initial <= max");
    }
    this.initial = initial;
    this.max = max;
    this.current = initial;
  }

  /** The delay to wait now; the next call returns twice as much (capped). */
  public Duration next() {
    Duration d = current;
    Duration doubled = current.multipliedBy(2);
    current = doubled.compareTo(max) > 0 ? max : doubled;
    return d;
  }

  public void reset() {
    current = initial;
  }
}
