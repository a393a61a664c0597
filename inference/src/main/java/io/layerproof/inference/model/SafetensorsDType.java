package io.layerproof.inference.model;

/** Element types of the safetensors format that a decoder's weights use. */
public enum SafetensorsDType {
  F32(4),
  F16(2),
  BF16(2),
  F64(8),
  I64(8),
  I32(4),
  I16(2),
  I8(1),
  U8(1),
  BOOL(1);

  private final int bytes;

  SafetensorsDType(int bytes) {
    this.bytes = bytes;
  }

  public int bytes() {
    return bytes;
  }

  /** Floating-point types the loader can turn into float32 weights. */
  public boolean isFloat() {
    return this == F32 || this == F16 || this == BF16;
  }
}
