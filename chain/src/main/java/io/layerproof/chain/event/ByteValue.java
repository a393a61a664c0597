package io.layerproof.chain.event;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * Fixed-length bytes with value semantics, written in JSON as lowercase 0x-hex. Subclasses give the
 * length a meaning (a hash, a key, an address); records cannot extend a class, hence the small
 * hierarchy.
 */
public abstract sealed class ByteValue
    permits Bytes32, NodeId, EthAddress, EventId, Ed25519Signature, EcdsaSignature {

  static final HexFormat HEX = HexFormat.of();

  private final byte[] bytes;

  ByteValue(byte[] bytes, int length, String what) {
    if (bytes == null || bytes.length != length) {
      throw new IllegalArgumentException(
          what + " must be " + length + " bytes, got " + (bytes == null ? "null" : bytes.length));
    }
    this.bytes = bytes.clone();
  }

  /** Parses 0x-hex of exactly {@code length} bytes (either case; output is always lowercase). */
  static byte[] parseHex(String hex, int length, String what) {
    if (hex == null || !hex.startsWith("0x") || hex.length() != 2 + 2 * length) {
      throw new IllegalArgumentException(what + " must be 0x followed by " + 2 * length + " hex");
    }
    try {
      return HEX.parseHex(hex, 2, hex.length());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(what + " is not hex: " + e.getMessage());
    }
  }

  public final byte[] toByteArray() {
    return bytes.clone();
  }

  /** Copies the bytes into {@code dst} at {@code offset} (no allocation, for hot paths). */
  public final void copyTo(byte[] dst, int offset) {
    System.arraycopy(bytes, 0, dst, offset, bytes.length);
  }

  /** The bytes without a copy, for hashing in this package. */
  final byte[] raw() {
    return bytes;
  }

  public final int length() {
    return bytes.length;
  }

  /** Lowercase 0x-hex: the JSON form and the canonical form. */
  @JsonValue
  @Override
  public final String toString() {
    return "0x" + HEX.formatHex(bytes);
  }

  @Override
  public final boolean equals(Object o) {
    return o != null && o.getClass() == getClass() && Arrays.equals(bytes, ((ByteValue) o).bytes);
  }

  @Override
  public final int hashCode() {
    return Arrays.hashCode(bytes);
  }

  /** Unsigned byte order, which is also the order of the hex strings. */
  final int compareBytes(ByteValue other) {
    return Arrays.compareUnsigned(bytes, other.bytes);
  }
}
