package io.layerproof.chain.devnet;

import java.math.BigInteger;
import java.util.Locale;
import org.web3j.utils.Numeric;

/** Ethereum JSON-RPC hex conventions: canonical quantities ("0x0", no leading zeros), data. */
final class Hex {

  static final String ZERO_ADDRESS = "0x0000000000000000000000000000000000000000";

  private Hex() {}

  static String quantity(long value) {
    if (value < 0) {
      throw new IllegalArgumentException("negative quantity " + value);
    }
    return "0x" + Long.toHexString(value);
  }

  static String quantity(BigInteger value) {
    if (value.signum() < 0) {
      throw new IllegalArgumentException("negative quantity " + value);
    }
    return "0x" + value.toString(16);
  }

  static String data(byte[] bytes) {
    return Numeric.toHexString(bytes == null ? new byte[0] : bytes);
  }

  /** Zero-padded 32-byte word, as eth_getStorageAt returns it. */
  static String word(byte[] bytes) {
    return Numeric.toHexString(Numeric.toBytesPadded(new BigInteger(1, bytes), 32));
  }

  /**
   * Parses a quantity. Leading zeros are tolerated (anvil does too) because some clients send them;
   * the value must fit in 256 bits.
   */
  static BigInteger parseQuantity(String s) {
    if (s == null || !(s.startsWith("0x") || s.startsWith("0X")) || s.length() == 2) {
      throw new IllegalArgumentException("expected a 0x-prefixed hex quantity, got " + brief(s));
    }
    String digits = s.substring(2);
    if (digits.length() > 64 + 16 || !isHex(digits)) {
      throw new IllegalArgumentException("invalid hex quantity " + brief(s));
    }
    BigInteger v = new BigInteger(digits, 16);
    if (v.bitLength() > 256) {
      throw new IllegalArgumentException("quantity exceeds 256 bits: " + brief(s));
    }
    return v;
  }

  static byte[] parseData(String s) {
    if (s == null || !(s.startsWith("0x") || s.startsWith("0X"))) {
      throw new IllegalArgumentException("expected 0x-prefixed hex data, got " + brief(s));
    }
    String digits = s.substring(2);
    if (digits.length() % 2 != 0 || !isHex(digits)) {
      throw new IllegalArgumentException("invalid hex data " + brief(s));
    }
    return Numeric.hexStringToByteArray(digits);
  }

  /** A lowercase 0x-prefixed 20-byte address; rejects anything else. */
  static String address(String s) {
    byte[] b = parseData(s);
    if (b.length != 20) {
      throw new IllegalArgumentException("address must be 20 bytes, got " + brief(s));
    }
    return s.toLowerCase(Locale.ROOT);
  }

  /** A lowercase 0x-prefixed 32-byte hash; rejects anything else. */
  static String hash(String s) {
    byte[] b = parseData(s);
    if (b.length != 32) {
      throw new IllegalArgumentException("hash must be 32 bytes, got " + brief(s));
    }
    return s.toLowerCase(Locale.ROOT);
  }

  private static boolean isHex(String digits) {
    for (int i = 0; i < digits.length(); i++) {
      if (Character.digit(digits.charAt(i), 16) < 0) {
        return false;
      }
    }
    return true;
  }

  /** Keeps error messages short when a client sends something huge. */
  static String brief(String s) {
    if (s == null) {
      return "null";
    }
    return s.length() <= 80 ? '"' + s + '"' : '"' + s.substring(0, 77) + "...\"";
  }
}
