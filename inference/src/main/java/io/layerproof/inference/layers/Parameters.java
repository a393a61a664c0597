package io.layerproof.inference.layers;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.layerproof.inference.model.WeightIndex;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Loads named tensors from a {@link WeightIndex} into float32 arrays owned by one manager, and
 * counts what it loaded: that count is how a shard proves it holds only its own layers.
 */
public final class Parameters {

  private final NDManager manager;
  private final WeightIndex index;
  private final List<String> names = new ArrayList<>();
  private long elements;
  private long bytes;

  public Parameters(NDManager manager, WeightIndex index) {
    this.manager = manager;
    this.index = index;
  }

  /** The tensor {@code name}, which must have exactly {@code shape}. */
  public NDArray load(String name, long... shape) {
    ByteBuffer data = index.readFloat32(name, shape);
    NDArray array = manager.create(data, new Shape(shape), DataType.FLOAT32);
    names.add(name);
    elements += array.size();
    bytes += array.size() * DataType.FLOAT32.getNumOfBytes();
    return array;
  }

  /** Like {@link #load}, or null when the folder has no such tensor. */
  public NDArray loadIfPresent(String name, long... shape) {
    return index.contains(name) ? load(name, shape) : null;
  }

  public List<String> names() {
    return Collections.unmodifiableList(names);
  }

  public long elements() {
    return elements;
  }

  public long bytes() {
    return bytes;
  }
}
