package io.layerproof.chain.contracts;

import java.math.BigInteger;
import java.time.Duration;

/**
 * How transactions are sent: receipt polling, and gas = eth_estimateGas plus a margin, never more
 * than {@code gasCap}.
 *
 * @param pollInterval longest pause between eth_getTransactionReceipt polls (they start immediately
 *     and back off from 1 ms, so instant-mining dev chains answer in milliseconds)
 * @param receiptTimeout how long to wait for a receipt before failing
 * @param gasMarginPercent added to the estimate (state may change between estimate and mining)
 * @param gasCap upper bound for any transaction's gas limit
 */
public record TxSettings(
    Duration pollInterval, Duration receiptTimeout, int gasMarginPercent, BigInteger gasCap) {

  public TxSettings {
    if (pollInterval.isNegative() || pollInterval.isZero()) {
      throw new IllegalArgumentException("pollInterval must be positive");
    }
    if (receiptTimeout.compareTo(pollInterval) < 0) {
      throw new IllegalArgumentException("receiptTimeout shorter than pollInterval");
    }
    if (gasMarginPercent < 0 || gasMarginPercent > 200) {
      throw new IllegalArgumentException("gasMarginPercent out of [0, 200]");
    }
    if (gasCap.signum() <= 0) {
      throw new IllegalArgumentException("gasCap must be positive");
    }
  }

  /** Polls backing off to 250 ms, for up to 2 minutes, +20% gas, at most 15M gas. */
  public static TxSettings defaults() {
    return new TxSettings(
        Duration.ofMillis(250), Duration.ofMinutes(2), 20, BigInteger.valueOf(15_000_000));
  }

  public TxSettings withPollInterval(Duration interval) {
    return new TxSettings(interval, receiptTimeout, gasMarginPercent, gasCap);
  }

  public TxSettings withReceiptTimeout(Duration timeout) {
    return new TxSettings(pollInterval, timeout, gasMarginPercent, gasCap);
  }
}
