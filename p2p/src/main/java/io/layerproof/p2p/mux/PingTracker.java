package io.layerproof.p2p.mux;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/** Outstanding pings by opaque value, bounded; used on the event loop only. */
final class PingTracker {
  private record Pending(long startNanos, CompletableFuture<Duration> future) {}

  private final int max;
  private final Map<Long, Pending> pending = new HashMap<>();
  private long nextOpaque;

  PingTracker(int max) {
    this.max = max;
  }

  /** Registers a ping and returns its opaque value, or -1 when too many are outstanding. */
  long start(CompletableFuture<Duration> future) {
    if (pending.size() >= max) {
      return -1;
    }
    long opaque = nextOpaque;
    nextOpaque = (nextOpaque + 1) & YamuxFrame.MAX_U32;
    pending.put(opaque, new Pending(System.nanoTime(), future));
    return opaque;
  }

  /** Completes the ping with this opaque value; unknown values (late or forged) are ignored. */
  void complete(long opaque) {
    Pending p = pending.remove(opaque);
    if (p != null) {
      p.future.complete(Duration.ofNanos(System.nanoTime() - p.startNanos));
    }
  }

  void failAll(Throwable cause) {
    pending.values().forEach(p -> p.future.completeExceptionally(cause));
    pending.clear();
  }
}
