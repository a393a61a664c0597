package io.layerproof.inference.layers;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;

/**
 * One layer's keys and values, [kvHeads, positions, headDim], in a buffer that doubles when full so
 * that a decode step writes one row in place instead of copying the whole cache.
 */
public final class KvCache {

  private static final int INITIAL_CAPACITY = 64;

  private final NDManager manager;
  private NDArray keys;
  private NDArray values;
  private int length;

  /** Buffers live in {@code manager} (the session's) until it closes. */
  public KvCache(NDManager manager) {
    this.manager = manager;
  }

  public int length() {
    return length;
  }

  /** Appends k and v of shape [kvHeads, count, headDim] at position {@link #length()}. */
  public void append(NDArray k, NDArray v) {
    long count = k.getShape().get(1);
    ensureCapacity(k.getShape(), length + count);
    NDIndex rows = new NDIndex(":, {}:{}", length, length + count);
    keys.set(rows, k);
    values.set(rows, v);
    length += (int) count;
  }

  /** Keys of every cached position, as a view attached to {@code scratch}. */
  public NDArray keys(NDManager scratch) {
    return view(keys, scratch);
  }

  public NDArray values(NDManager scratch) {
    return view(values, scratch);
  }

  private NDArray view(NDArray buffer, NDManager scratch) {
    NDArray v = buffer.get(new NDIndex(":, :{}", length));
    v.attach(scratch);
    return v;
  }

  private void ensureCapacity(Shape rowShape, long needed) {
    long capacity = keys == null ? 0 : keys.getShape().get(1);
    if (needed <= capacity) {
      return;
    }
    long grown = Math.max(INITIAL_CAPACITY, capacity);
    while (grown < needed) {
      grown *= 2;
    }
    Shape shape = new Shape(rowShape.get(0), grown, rowShape.get(2));
    NDArray newKeys = manager.zeros(shape);
    NDArray newValues = manager.zeros(shape);
    if (keys != null) {
      NDIndex old = new NDIndex(":, :{}", length);
      try (NDArray k = keys.get(old);
          NDArray v = values.get(old)) {
        newKeys.set(old, k);
        newValues.set(old, v);
      }
      keys.close();
      values.close();
    }
    keys = newKeys;
    values = newValues;
  }
}
