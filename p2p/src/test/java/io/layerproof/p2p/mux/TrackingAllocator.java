package io.layerproof.p2p.mux;

import io.netty.buffer.AbstractByteBufAllocator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledHeapByteBuf;
import java.util.ArrayList;
import java.util.List;

/** Heap allocator that remembers every buffer and the largest capacity ever asked for. */
final class TrackingAllocator extends AbstractByteBufAllocator {
  private final List<ByteBuf> buffers = new ArrayList<>();
  private int largest;

  TrackingAllocator() {
    super(false);
  }

  int largest() {
    return largest;
  }

  long unreleased() {
    return buffers.stream().filter(b -> b.refCnt() > 0).count();
  }

  private void record(int capacity) {
    largest = Math.max(largest, capacity);
  }

  @Override
  protected ByteBuf newHeapBuffer(int initialCapacity, int maxCapacity) {
    record(initialCapacity);
    ByteBuf buf =
        new UnpooledHeapByteBuf(this, initialCapacity, maxCapacity) {
          @Override
          public ByteBuf capacity(int newCapacity) {
            record(newCapacity);
            return super.capacity(newCapacity);
          }
        };
    buffers.add(buf);
    return buf;
  }

  @Override
  public boolean isDirectBufferPooled() {
    return false;
  }

  @Override
  protected ByteBuf newDirectBuffer(int initialCapacity, int maxCapacity) {
    return newHeapBuffer(initialCapacity, maxCapacity);
  }
}
