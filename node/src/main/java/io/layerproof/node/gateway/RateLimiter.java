package io.layerproof.node.gateway;

import io.layerproof.chain.event.EthAddress;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;

/** A fixed-window limit per address: at most {@code limit} requests per window of seconds. */
final class RateLimiter {

  private final Clock clock;
  private final int limit;
  private final long windowSeconds;
  private final Map<EthAddress, long[]> windows = new HashMap<>();

  RateLimiter(Clock clock, int limit, long windowSeconds) {
    this.clock = clock;
    this.limit = limit;
    this.windowSeconds = Math.max(1, windowSeconds);
  }

  synchronized boolean allow(EthAddress address) {
    long window = clock.instant().getEpochSecond() / windowSeconds;
    if (windows.size() > 100_000) {
      windows.values().removeIf(w -> w[0] != window);
    }
    long[] w = windows.computeIfAbsent(address, k -> new long[] {window, 0});
    if (w[0] != window) {
      w[0] = window;
      w[1] = 0;
    }
    if (w[1] >= limit) {
      return false;
    }
    w[1]++;
    return true;
  }
}
