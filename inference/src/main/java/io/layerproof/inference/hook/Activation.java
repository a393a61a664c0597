package io.layerproof.inference.hook;

import io.layerproof.inference.model.HalfFloats;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * A tensor's exact bytes (little-endian), element type and shape: what a commitment hashes and what
 * a reveal hands back, so the verifier sees precisely what the provider computed.
 */
public record Activation(ElementType dtype, int[] shape, byte[] data) {

  public Activation {
    shape = shape.clone();
    long n = 1;
    for (int d : shape) {
      if (d < 0) {
        throw new IllegalArgumentException("negative dimension in " + Arrays.toString(shape));
      }
      n = Math.multiplyExact(n, d);
    }
    if (data.length != n * dtype.bytes()) {
      throw new IllegalArgumentException(
          "activation "
              + dtype
              + Arrays.toString(shape)
              + " needs "
              + n * dtype.bytes()
              + " bytes, got "
              + data.length);
    }
  }

  @Override
  public int[] shape() {
    return shape.clone();
  }

  public int elementCount() {
    return data.length / dtype.bytes();
  }

  /** The values as floats (FP32 and FP16 only). */
  public float[] toFloats() {
    ByteBuffer buf = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
    float[] out = new float[elementCount()];
    for (int i = 0; i < out.length; i++) {
      out[i] =
          switch (dtype) {
            case FP32 -> buf.getFloat(i * 4);
            case FP16 -> HalfFloats.f16ToFloat(buf.getShort(i * 2));
            case INT32 -> throw new IllegalStateException("INT32 activation has no float values");
          };
    }
    return out;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Activation a
        && dtype == a.dtype
        && Arrays.equals(shape, a.shape)
        && Arrays.equals(data, a.data);
  }

  @Override
  public int hashCode() {
    return 31 * (31 * dtype.hashCode() + Arrays.hashCode(shape)) + Arrays.hashCode(data);
  }

  @Override
  public String toString() {
    return "Activation[" + dtype + Arrays.toString(shape) + "]";
  }
}
