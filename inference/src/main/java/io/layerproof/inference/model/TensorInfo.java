package io.layerproof.inference.model;

import java.nio.file.Path;
import java.util.Arrays;

/**
 * Where a tensor lies: its file, type, shape and byte range relative to the start of the file's
 * data section.
 */
public record TensorInfo(
    String name, Path file, SafetensorsDType dtype, long[] shape, long dataStart, long byteLength) {

  public TensorInfo {
    shape = shape.clone();
  }

  @Override
  public long[] shape() {
    return shape.clone();
  }

  public long elementCount() {
    long n = 1;
    for (long d : shape) {
      n = Math.multiplyExact(n, d);
    }
    return n;
  }

  public String shapeString() {
    return Arrays.toString(shape);
  }
}
