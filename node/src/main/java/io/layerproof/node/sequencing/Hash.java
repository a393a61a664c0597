package io.layerproof.node.sequencing;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;

/** A 32-byte digest (SHA-256 here; the ledger's roots are keccak-256, equally 32 bytes). */
public record Hash(byte[] bytes) {
  public static final int LENGTH = 32;
  public static final Hash ZERO = new Hash(new byte[LENGTH]);

  public Hash {
    if (bytes == null || bytes.length != LENGTH) {
      throw new IllegalArgumentException("a hash is " + LENGTH + " bytes");
    }
    bytes = bytes.clone();
  }

  @Override
  public byte[] bytes() {
    return bytes.clone();
  }

  public static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  public String hex() {
    return HexFormat.of().formatHex(bytes);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Hash h && Arrays.equals(bytes, h.bytes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes);
  }

  @Override
  public String toString() {
    return hex().substring(0, 12);
  }
}
