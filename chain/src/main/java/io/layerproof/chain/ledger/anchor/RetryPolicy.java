package io.layerproof.chain.ledger.anchor;

import java.time.Duration;

/**
 * How often a transient anchoring failure is retried: {@code maxAttempts} tries in all, pausing
 * {@code firstBackoff}, then twice as long each time, at most {@code maxBackoff}.
 */
public record RetryPolicy(int maxAttempts, Duration firstBackoff, Duration maxBackoff) {
  public RetryPolicy {
    if (maxAttempts <= 0) {
      throw new IllegalArgumentException("maxAttempts must be > 0");
    }
    if (firstBackoff.isNegative() || maxBackoff.compareTo(firstBackoff) < 0) {
      throw new IllegalArgumentException("need 0 <= firstBackoff <= maxBackoff");
    }
  }

  /** 6 tries, 250 ms doubling to 8 s (about 16 s in all). */
  public static RetryPolicy defaults() {
    return new RetryPolicy(6, Duration.ofMillis(250), Duration.ofSeconds(8));
  }

  long backoffMillis(int failedAttempts) {
    long ms = firstBackoff.toMillis() << Math.min(failedAttempts - 1, 30);
    return Math.min(ms, maxBackoff.toMillis());
  }
}
