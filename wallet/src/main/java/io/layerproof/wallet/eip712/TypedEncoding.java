package io.layerproof.wallet.eip712;

import io.layerproof.chain.event.Bytes32;
import io.layerproof.chain.event.EthAddress;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.web3j.crypto.Hash;

/** The EIP-712 encoding of the static member types the gateway's structs use. */
final class TypedEncoding {

  private TypedEncoding() {}

  static byte[] keccak(String s) {
    return Hash.sha3(s.getBytes(StandardCharsets.UTF_8));
  }

  /** keccak256(typeHash || encodeData(values)), every member one 32-byte word. */
  static byte[] structHash(Bytes32 typeHash, List<TypedField> fields, List<Object> values) {
    if (fields.size() != values.size()) {
      throw new IllegalStateException("fields and values differ in length");
    }
    byte[] buf = new byte[32 * (1 + fields.size())];
    typeHash.copyTo(buf, 0);
    for (int i = 0; i < fields.size(); i++) {
      byte[] w = word(fields.get(i), values.get(i));
      System.arraycopy(w, 0, buf, 32 * (i + 1), 32);
    }
    return Hash.sha3(buf);
  }

  /** encodeData of one member. */
  static byte[] word(TypedField field, Object value) {
    String type = field.type();
    if (type.equals("string")) {
      String s = (String) value;
      if (!isWellFormed(s)) {
        throw new IllegalArgumentException(field.name() + " is not well-formed Unicode");
      }
      return keccak(s);
    }
    if (type.equals("bytes32")) {
      return ((Bytes32) value).toByteArray();
    }
    if (type.equals("address")) {
      byte[] w = new byte[32];
      ((EthAddress) value).copyTo(w, 12);
      return w;
    }
    if (type.startsWith("uint")) {
      int bits = Integer.parseInt(type.substring(4));
      BigInteger v = toBigInteger(value);
      uintViolation(field.name(), bits, v)
          .ifPresent(
              m -> {
                throw new IllegalArgumentException(m);
              });
      byte[] w = new byte[32];
      byte[] b = v.toByteArray(); // big-endian, maybe with a leading sign byte
      int n = Math.min(b.length, 32);
      System.arraycopy(b, b.length - n, w, 32 - n, n);
      return w;
    }
    throw new IllegalStateException("unsupported member type " + type);
  }

  static BigInteger toBigInteger(Object value) {
    if (value instanceof BigInteger b) {
      return b;
    }
    if (value instanceof Long l) {
      return BigInteger.valueOf(l);
    }
    throw new IllegalArgumentException("not an integer: " + value);
  }

  /** Why {@code v} is not a uint{@code bits}, or empty. */
  static Optional<String> uintViolation(String name, int bits, BigInteger v) {
    if (v == null) {
      return Optional.of(name + " is missing");
    }
    if (v.signum() < 0 || v.bitLength() > bits) {
      return Optional.of(name + " is not a uint" + bits + ": " + v);
    }
    return Optional.empty();
  }

  /** No unpaired surrogates: the string has exactly one UTF-8 form. */
  static boolean isWellFormed(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isHighSurrogate(c)) {
        if (i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1))) {
          return false;
        }
        i++;
      } else if (Character.isLowSurrogate(c)) {
        return false;
      }
    }
    return true;
  }

  static int utf8Length(String s) {
    return s.getBytes(StandardCharsets.UTF_8).length;
  }
}
