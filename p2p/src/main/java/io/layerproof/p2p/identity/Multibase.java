package io.layerproof.p2p.identity;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;

/**
 * base58btc and lowercase unpadded base32 (RFC 4648), the two alphabets peer ids are written in.
 * Written here because neither is in the p2p module's dependencies (Netty, Bouncy Castle,
 * protobuf), and each is a few lines.
 */
public final class Multibase {

  private static final String BASE58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
  private static final String BASE32 = "abcdefghijklmnopqrstuvwxyz234567";
  private static final BigInteger FIFTY_EIGHT = BigInteger.valueOf(58);

  private Multibase() {}

  public static String base58(byte[] data) {
    int zeros = 0;
    while (zeros < data.length && data[zeros] == 0) {
      zeros++;
    }
    StringBuilder out = new StringBuilder();
    BigInteger n = new BigInteger(1, data);
    while (n.signum() > 0) {
      BigInteger[] qr = n.divideAndRemainder(FIFTY_EIGHT);
      out.append(BASE58.charAt(qr[1].intValue()));
      n = qr[0];
    }
    out.append("1".repeat(zeros));
    return out.reverse().toString();
  }

  /**
   * @throws IllegalArgumentException on a character outside the alphabet
   */
  public static byte[] decodeBase58(String s) {
    BigInteger n = BigInteger.ZERO;
    int zeros = 0;
    while (zeros < s.length() && s.charAt(zeros) == '1') {
      zeros++;
    }
    for (int i = 0; i < s.length(); i++) {
      int d = BASE58.indexOf(s.charAt(i));
      if (d < 0) {
        throw new IllegalArgumentException("not base58: " + s.charAt(i));
      }
      n = n.multiply(FIFTY_EIGHT).add(BigInteger.valueOf(d));
    }
    byte[] body = n.signum() == 0 ? new byte[0] : n.toByteArray();
    int skip = body.length > 1 && body[0] == 0 ? 1 : 0;
    byte[] out = new byte[zeros + body.length - skip];
    System.arraycopy(body, skip, out, zeros, body.length - skip);
    return out;
  }

  public static String base32(byte[] data) {
    StringBuilder out = new StringBuilder();
    int buffer = 0;
    int bits = 0;
    for (byte b : data) {
      buffer = (buffer << 8) | (b & 0xff);
      bits += 8;
      while (bits >= 5) {
        out.append(BASE32.charAt((buffer >> (bits - 5)) & 31));
        bits -= 5;
      }
    }
    if (bits > 0) {
      out.append(BASE32.charAt((buffer << (5 - bits)) & 31));
    }
    return out.toString();
  }

  /**
   * @throws IllegalArgumentException on a character outside the alphabet or non-zero padding bits
   */
  public static byte[] decodeBase32(String s) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int buffer = 0;
    int bits = 0;
    for (int i = 0; i < s.length(); i++) {
      int d = BASE32.indexOf(s.charAt(i));
      if (d < 0) {
        throw new IllegalArgumentException("not base32: " + s.charAt(i));
      }
      buffer = (buffer << 5) | d;
      bits += 5;
      if (bits >= 8) {
        out.write((buffer >> (bits - 8)) & 0xff);
        bits -= 8;
      }
    }
    if ((buffer & ((1 << bits) - 1)) != 0) {
      throw new IllegalArgumentException("base32 with non-zero trailing bits");
    }
    return out.toByteArray();
  }
}
