package io.layerproof.p2p.mux;

import java.util.function.LongUnaryOperator;

/**
 * Receive-side flow control of one stream. The peer may send {@link #available()} more bytes; as
 * the application consumes data the window is reopened, and grown (doubled, up to the maximum and
 * the connection's budget) so fast streams are not throttled by round trips.
 */
final class ReceiveWindow {
  private final long max;
  private long target;
  private long available;
  private long consumed;

  ReceiveWindow(long initialTarget, long max) {
    this.target = initialTarget;
    this.available = initialTarget;
    this.max = max;
  }

  /** The delta to announce with SYN/ACK: what we grant beyond the spec's assumed 256 KiB. */
  long initialDelta() {
    return target - YamuxConfig.SPEC_INITIAL_WINDOW;
  }

  long available() {
    return available;
  }

  long target() {
    return target;
  }

  /** Accounts for received bytes; false when the peer overran the window. */
  boolean take(long bytes) {
    if (bytes > available) {
      return false;
    }
    available -= bytes;
    return true;
  }

  /**
   * Accounts for consumed bytes and returns the window update to send now, or 0. Updates are
   * batched until half the window was consumed (as go-yamux does) to keep header overhead low.
   *
   * @param budget given a wanted growth, returns how much of it the connection allows
   */
  long consume(long bytes, LongUnaryOperator budget) {
    consumed += bytes;
    if (consumed < target / 2) {
      return 0;
    }
    long growth = target < max ? budget.applyAsLong(Math.min(max, target * 2) - target) : 0;
    target += growth;
    long delta = consumed + growth;
    available += delta;
    consumed = 0;
    return delta;
  }
}
