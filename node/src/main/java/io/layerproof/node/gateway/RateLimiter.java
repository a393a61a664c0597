package io.layerproof.node.gateway;

import java.time.Clock;
import java.util.HashMap;
import java.util.Map;

/**
 * A fixed-window count per key (an address, a remote IP): at most {@code limit} per window of
 * seconds. {@link #allow} counts and checks in one step; {@link #exceeded} and {@link #record}
 * split them, for limits on failures that are only known after the work.
 */
final class RateLimiter<K> {

  private final Clock clock;
  private final int limit;
  private final long windowSeconds;
  private final Map<K, long[]> windows = new HashMap<>();

  RateLimiter(Clock clock, int limit, long windowSeconds) {
    this.clock = clock;
    this.limit = limit;
    this.windowSeconds = Math.max(1, windowSeconds);
  }

  /** Counts one for {@code key}; false (not counted) when it has reached the limit. */
  synchronized boolean allow(K key) {
    long[] w = window(key);
    if (w[1] >= limit) {
      return false;
    }
    w[1]++;
    return true;
  }

  /** Whether {@code key} has reached the limit in this window. */
  synchronized boolean exceeded(K key) {
    return window(key)[1] >= limit;
  }

  /** Counts one for {@code key}. */
  synchronized void record(K key) {
    window(key)[1]++;
  }

  private long[] window(K key) {
    long window = clock.instant().getEpochSecond() / windowSeconds;
    if (windows.size() > 100_000) {
      windows.values().removeIf(w -> w[0] != window);
    }
    long[] w = windows.computeIfAbsent(key, k -> new long[] {window, 0});
    if (w[0] != window) {
      w[0] = window;
      w[1] = 0;
    }
    return w;
  }
}
