package io.layerproof.p2p.pubsub;

import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicLong;

/**
 * 8-byte big-endian sequence numbers. Starts from the wall clock in nanoseconds (as go does), so a
 * restarted peer does not reuse numbers that others still hold in their seen caches.
 */
public final class SeqnoGenerator {
  private final AtomicLong next;

  public SeqnoGenerator(long start) {
    this.next = new AtomicLong(start);
  }

  public static SeqnoGenerator fromClock() {
    long nanos =
        System.currentTimeMillis() * 1_000_000L + Math.floorMod(System.nanoTime(), 1_000_000L);
    return new SeqnoGenerator(nanos);
  }

  public byte[] next() {
    return ByteBuffer.allocate(8).putLong(next.getAndIncrement()).array();
  }
}
