package io.layerproof.p2p.identity;

import java.io.ByteArrayOutputStream;

/** Unsigned LEB128 varints as multiformats use them (minimal encoding, at most 9 bytes). */
public final class Varint {

  /** multiformats caps varints at 9 bytes (63 bits). */
  public static final int MAX_BYTES = 9;

  private Varint() {}

  public static void write(ByteArrayOutputStream out, long value) {
    if (value < 0) {
      throw new IllegalArgumentException("varints are unsigned: " + value);
    }
    while (value >= 0x80) {
      out.write((int) (value & 0x7f) | 0x80);
      value >>>= 7;
    }
    out.write((int) value);
  }

  public static byte[] encode(long value) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(MAX_BYTES);
    write(out, value);
    return out.toByteArray();
  }

  /**
   * Reads a varint at {@code pos[0]} of {@code data} and advances {@code pos[0]}.
   *
   * @throws IllegalArgumentException if truncated, longer than 9 bytes, or not minimal
   */
  public static long read(byte[] data, int[] pos) {
    long value = 0;
    for (int i = 0; i < MAX_BYTES; i++) {
      if (pos[0] >= data.length) {
        throw new IllegalArgumentException("truncated varint");
      }
      int b = data[pos[0]++] & 0xff;
      value |= (long) (b & 0x7f) << (7 * i);
      if ((b & 0x80) == 0) {
        if (b == 0 && i > 0) {
          throw new IllegalArgumentException("varint not minimally encoded");
        }
        return value;
      }
    }
    throw new IllegalArgumentException("varint longer than " + MAX_BYTES + " bytes");
  }
}
