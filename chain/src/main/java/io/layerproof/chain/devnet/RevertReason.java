package io.layerproof.chain.devnet;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import org.web3j.utils.Numeric;

/**
 * Turns revert data into geth's messages: Error(string) becomes "execution reverted: reason",
 * Panic(uint256) its description; custom errors keep only "execution reverted" and the caller gets
 * the raw data to decode against its ABI.
 */
final class RevertReason {

  private static final byte[] ERROR_SELECTOR = Numeric.hexStringToByteArray("0x08c379a0");
  private static final byte[] PANIC_SELECTOR = Numeric.hexStringToByteArray("0x4e487b71");

  /** Solidity's panic codes, worded as geth words them. */
  private static final Map<Integer, String> PANICS =
      Map.of(
          0x00, "generic panic",
          0x01, "assert(false)",
          0x11, "arithmetic underflow or overflow",
          0x12, "division or modulo by zero",
          0x21, "enum overflow",
          0x22, "invalid encoded storage byte array accessed",
          0x31, "out-of-bounds array access; popping on an empty array",
          0x32, "out-of-bounds access of an array or bytesN",
          0x41, "out of memory",
          0x51, "uninitialized function");

  private RevertReason() {}

  static String message(byte[] data) {
    String reason = decode(data);
    return reason == null ? "execution reverted" : "execution reverted: " + reason;
  }

  /** The human reason, or null when the data is not Error(string) or Panic(uint256). */
  static String decode(byte[] data) {
    if (data == null || data.length < 4) {
      return null;
    }
    byte[] selector = Arrays.copyOf(data, 4);
    if (Arrays.equals(selector, ERROR_SELECTOR) && data.length >= 4 + 64) {
      BigInteger offset = new BigInteger(1, Arrays.copyOfRange(data, 4, 36));
      if (offset.bitLength() > 31 || 4 + offset.intValue() + 32 > data.length) {
        return null;
      }
      int at = 4 + offset.intValue();
      BigInteger len = new BigInteger(1, Arrays.copyOfRange(data, at, at + 32));
      if (len.bitLength() > 31 || at + 32 + len.intValue() > data.length) {
        return null;
      }
      return new String(data, at + 32, len.intValue(), StandardCharsets.UTF_8);
    }
    if (Arrays.equals(selector, PANIC_SELECTOR) && data.length == 36) {
      BigInteger code = new BigInteger(1, Arrays.copyOfRange(data, 4, 36));
      String known = code.bitLength() <= 8 ? PANICS.get(code.intValue()) : null;
      return known != null ? known : "unknown panic code: 0x" + code.toString(16);
    }
    return null;
  }
}
