package io.layerproof.chain.ledger;

import java.time.Duration;

/**
 * When the open batch is sealed: as soon as it holds {@code maxEvents}, or once its first event is
 * {@code maxAge} old (checked by {@code EventLog.sealIfDue}, which the appender calls while idle).
 * Anchoring costs the same gas whatever the batch size, so larger batches are cheaper per event and
 * smaller ones are provable on chain sooner.
 */
public record BatchPolicy(int maxEvents, Duration maxAge) {
  public BatchPolicy {
    if (maxEvents <= 0) {
      throw new IllegalArgumentException("maxEvents must be > 0");
    }
    if (maxAge.isNegative() || maxAge.isZero()) {
      throw new IllegalArgumentException("maxAge must be positive");
    }
  }

  /**
   * Never sealed by the log itself: the caller cuts batches with {@code sealThrough} (a sequencing
   * node cuts where the chain's anchored batches end).
   */
  public static BatchPolicy sealedByCaller() {
    return new BatchPolicy(Integer.MAX_VALUE, Duration.ofDays(365L * 100));
  }

  /** 1024 events or 10 seconds. */
  public static BatchPolicy defaults() {
    return new BatchPolicy(1024, Duration.ofSeconds(10));
  }
}
