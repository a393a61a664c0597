package io.layerproof.p2p.mux;

import io.netty.buffer.ByteBuf;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;

/** A stream's writes waiting for send window, bounded in bytes; used on the event loop only. */
final class WriteQueue {
  private record PendingWrite(ByteBuf data, CompletableFuture<Void> future) {}

  private final ArrayDeque<PendingWrite> queue = new ArrayDeque<>();
  private final long limit;
  private long bytes;

  WriteQueue(long limit) {
    this.limit = limit;
  }

  /** False when the write would exceed the limit; an empty queue takes a write of any size. */
  boolean offer(ByteBuf data, CompletableFuture<Void> future) {
    int n = data.readableBytes();
    if (bytes > 0 && bytes + n > limit) {
      return false;
    }
    queue.add(new PendingWrite(data, future));
    bytes += n;
    return true;
  }

  boolean isEmpty() {
    return queue.isEmpty();
  }

  /** Bytes of the head write still to send. */
  int headRemaining() {
    return queue.peek().data.readableBytes();
  }

  /** Takes the next {@code n} bytes of the head write as a retained slice. */
  ByteBuf take(int n) {
    bytes -= n;
    return queue.peek().data.readRetainedSlice(n);
  }

  /** Removes the fully taken head write and returns its future. */
  CompletableFuture<Void> finishHead() {
    PendingWrite done = queue.poll();
    done.data.release();
    return done.future;
  }

  void failAll(Throwable cause) {
    PendingWrite w;
    while ((w = queue.poll()) != null) {
      w.data.release();
      w.future.completeExceptionally(cause);
    }
    bytes = 0;
  }
}
