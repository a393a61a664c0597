package io.layerproof.inference.hook;

/** Element types of activations and frames, with stable one-byte codes for the wire and hashes. */
public enum ElementType {
  INT32(1, 4),
  FP32(2, 4),
  FP16(3, 2);

  private final int code;
  private final int bytes;

  ElementType(int code, int bytes) {
    this.code = code;
    this.bytes = bytes;
  }

  public int code() {
    return code;
  }

  public int bytes() {
    return bytes;
  }

  public static ElementType fromCode(int code) {
    for (ElementType t : values()) {
      if (t.code == code) {
        return t;
      }
    }
    throw new IllegalArgumentException("unknown element type code " + code);
  }
}
