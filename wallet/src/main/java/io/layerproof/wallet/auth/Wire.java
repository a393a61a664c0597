package io.layerproof.wallet.auth;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.layerproof.chain.event.Bytes32;
import io.layerproof.chain.event.EthAddress;
import java.io.IOException;
import java.math.BigInteger;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.Set;

/** Strict parsing of the wire forms' values, each failure with its reason. */
final class Wire {

  private static final HexFormat HEX = HexFormat.of();
  private static final BigInteger LONG_MAX = BigInteger.valueOf(Long.MAX_VALUE);

  private Wire() {}

  /** A JSON parse error's own message, without Jackson's location suffix. */
  static String why(IOException e) {
    return e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
  }

  static RejectedException malformed(String detail) {
    return new RejectedException(RejectReason.MALFORMED_REQUEST, detail);
  }

  static RejectedException outOfRange(String detail) {
    return new RejectedException(RejectReason.FIELD_OUT_OF_RANGE, detail);
  }

  /**
   * A uint256 in decimal: digits only, no sign, no leading zeros (except "0"). Non-digits are
   * malformed; a value of 2^256 or more is out of range.
   */
  static BigInteger uint256(String text, String what) throws RejectedException {
    BigInteger v = decimal(text, what);
    if (v.bitLength() > 256) {
      throw outOfRange(what + " is not a uint256");
    }
    return v;
  }

  /** A decimal that must fit a non-negative Java long (the uint64 expiries). */
  static long uint63(String text, String what) throws RejectedException {
    BigInteger v = decimal(text, what);
    if (v.compareTo(LONG_MAX) > 0) {
      throw outOfRange(what + " must be below 2^63");
    }
    return v.longValueExact();
  }

  private static BigInteger decimal(String text, String what) throws RejectedException {
    if (text == null) {
      throw malformed(what + " is missing");
    }
    if (text.isEmpty() || text.length() > 100) {
      throw malformed(what + " is not a decimal number");
    }
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c < '0' || c > '9') {
        throw malformed(what + " is not a decimal number");
      }
    }
    if (text.length() > 1 && text.charAt(0) == '0') {
      throw malformed(what + " has leading zeros");
    }
    return new BigInteger(text);
  }

  static EthAddress address(String text, String what) throws RejectedException {
    if (text == null) {
      throw malformed(what + " is missing");
    }
    try {
      return EthAddress.fromHex(text);
    } catch (IllegalArgumentException e) {
      throw malformed(what + " must be 0x followed by 40 hex digits");
    }
  }

  static Bytes32 bytes32(String text, String what) throws RejectedException {
    if (text == null) {
      throw malformed(what + " is missing");
    }
    try {
      return Bytes32.fromHex(text);
    } catch (IllegalArgumentException e) {
      throw malformed(what + " must be 0x followed by 64 hex digits");
    }
  }

  /**
   * 0x-hex bytes of a signature, any length (the length is checked with the signature, so a short
   * one is reported as {@link RejectReason#MALFORMED_SIGNATURE}).
   */
  static byte[] signatureBytes(String text, String what) throws RejectedException {
    if (text == null) {
      throw malformed(what + " is missing");
    }
    if (!text.startsWith("0x") || text.length() % 2 != 0 || text.length() > 1024) {
      throw new RejectedException(
          RejectReason.MALFORMED_SIGNATURE, what + " must be 0x followed by 130 hex digits");
    }
    try {
      return HEX.parseHex(text, 2, text.length());
    } catch (IllegalArgumentException e) {
      throw new RejectedException(RejectReason.MALFORMED_SIGNATURE, what + " is not hex");
    }
  }

  // ---- JSON members ----

  static JsonNode member(JsonNode obj, String name, String path) throws RejectedException {
    JsonNode v = obj.get(name);
    if (v == null || v.isNull()) {
      throw malformed(path + name + " is missing");
    }
    return v;
  }

  static String string(JsonNode obj, String name, String path) throws RejectedException {
    JsonNode v = member(obj, name, path);
    if (!v.isTextual()) {
      throw malformed(path + name + " must be a string");
    }
    return v.textValue();
  }

  static JsonNode object(JsonNode obj, String name, String path) throws RejectedException {
    JsonNode v = member(obj, name, path);
    if (!v.isObject()) {
      throw malformed(path + name + " must be an object");
    }
    return v;
  }

  /** A JSON integer that must fit a non-negative Java long. */
  static long jsonUint63(JsonNode obj, String name, String path) throws RejectedException {
    JsonNode v = member(obj, name, path);
    if (!v.isIntegralNumber()) {
      throw malformed(path + name + " must be a JSON integer");
    }
    BigInteger b = v.bigIntegerValue();
    if (b.signum() < 0 || b.compareTo(LONG_MAX) > 0) {
      throw outOfRange(path + name + " must be 0..2^63-1");
    }
    return b.longValueExact();
  }

  /** Refuses members other than {@code allowed}. */
  static void onlyMembers(JsonNode obj, Set<String> allowed, String path) throws RejectedException {
    Iterator<String> names = obj.fieldNames();
    while (names.hasNext()) {
      String n = names.next();
      if (!allowed.contains(n)) {
        throw malformed(path + n + " is not a known member");
      }
    }
  }
}
