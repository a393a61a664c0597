package io.layerproof.p2p.multiaddr;

import io.layerproof.p2p.identity.PeerId;
import io.netty.util.NetUtil;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The multiaddr protocols this node speaks, with their multicodec codes and value forms. Anything
 * else is refused rather than carried opaquely: an address we cannot interpret we cannot dial.
 */
public enum MultiaddrProtocol {
  IP4(4, "ip4", 4),
  TCP(6, "tcp", 2),
  IP6(41, "ip6", 16),
  DNS(53, "dns", MultiaddrProtocol.VARIABLE),
  DNS4(54, "dns4", MultiaddrProtocol.VARIABLE),
  DNS6(55, "dns6", MultiaddrProtocol.VARIABLE),
  UDP(273, "udp", 2),
  P2P(421, "p2p", MultiaddrProtocol.VARIABLE),
  QUIC_V1(0x01cc, "quic-v1", 0);

  /** Value size marker: a varint length prefix precedes the value. */
  static final int VARIABLE = -1;

  /** DNS names are at most 255 bytes on the wire. */
  static final int MAX_DNS_NAME = 255;

  private static final Map<Long, MultiaddrProtocol> BY_CODE =
      Stream.of(values()).collect(Collectors.toUnmodifiableMap(p -> p.code, Function.identity()));
  private static final Map<String, MultiaddrProtocol> BY_NAME =
      Stream.of(values()).collect(Collectors.toUnmodifiableMap(p -> p.name, Function.identity()));

  private final long code;
  private final String name;
  private final int size;

  MultiaddrProtocol(long code, String name, int size) {
    this.code = code;
    this.name = name;
    this.size = size;
  }

  public long code() {
    return code;
  }

  /** The text name, as in {@code /ip4/...}. */
  public String text() {
    return name;
  }

  /** Fixed value size in bytes, 0 for none, {@link #VARIABLE} for length-prefixed values. */
  int size() {
    return size;
  }

  static MultiaddrProtocol byCode(long code) {
    MultiaddrProtocol p = BY_CODE.get(code);
    if (p == null) {
      throw new IllegalArgumentException("unsupported multiaddr protocol code " + code);
    }
    return p;
  }

  static MultiaddrProtocol byName(String name) {
    // "ipfs" is the legacy name of p2p, still found in older configs.
    MultiaddrProtocol p = "ipfs".equals(name) ? P2P : BY_NAME.get(name);
    if (p == null) {
      throw new IllegalArgumentException("unsupported multiaddr protocol " + name);
    }
    return p;
  }

  /** Text value to binary value (without any length prefix). */
  byte[] parseValue(String text) {
    return switch (this) {
      case IP4 -> ip(text, 4);
      case IP6 -> ip(text, 16);
      case TCP, UDP -> port(text);
      case DNS, DNS4, DNS6 -> dnsName(text);
      case P2P -> PeerId.fromString(text).toBytes();
      case QUIC_V1 -> throw new IllegalStateException("no value");
    };
  }

  /** Binary value to text; validates it as {@link #parseValue} would. */
  String formatValue(byte[] value) {
    return switch (this) {
      case IP4, IP6 -> {
        checkSize(value);
        yield NetUtil.bytesToIpAddress(value);
      }
      case TCP, UDP -> {
        checkSize(value);
        yield Integer.toString(((value[0] & 0xff) << 8) | (value[1] & 0xff));
      }
      case DNS, DNS4, DNS6 -> {
        String s = new String(value, StandardCharsets.UTF_8);
        dnsName(s); // same rules both ways, so text and binary forms agree
        yield s;
      }
      case P2P -> PeerId.fromBytes(value).toBase58();
      case QUIC_V1 -> "";
    };
  }

  private void checkSize(byte[] value) {
    if (value.length != size) {
      throw new IllegalArgumentException(name + " value must be " + size + " bytes");
    }
  }

  private byte[] ip(String text, int length) {
    byte[] b = length == 4 ? ip4(text) : ip6(text);
    if (b == null) {
      throw new IllegalArgumentException("invalid " + name + " address: " + text);
    }
    return b;
  }

  /** Dotted quad, decimal only: a leading zero is refused since some parsers read it as octal. */
  private static byte[] ip4(String text) {
    String[] parts = text.split("\\.", -1);
    if (parts.length != 4) {
      return null;
    }
    byte[] b = new byte[4];
    for (int i = 0; i < 4; i++) {
      String p = parts[i];
      if (p.isEmpty()
          || p.length() > 3
          || (p.length() > 1 && p.charAt(0) == '0')
          || !p.chars().allMatch(c -> c >= '0' && c <= '9')) {
        return null;
      }
      int v = Integer.parseInt(p);
      if (v > 255) {
        return null;
      }
      b[i] = (byte) v;
    }
    return b;
  }

  /**
   * Hex groups only: Netty maps an embedded dotted quad ({@code ::1.2.3.4}) to an IPv4-mapped
   * address, which would change the bytes, so that notation is refused.
   */
  private static byte[] ip6(String text) {
    if (text.indexOf(':') < 0 || text.indexOf('.') >= 0 || !NetUtil.isValidIpV6Address(text)) {
      return null;
    }
    byte[] b = NetUtil.createByteArrayFromIpAddressString(text);
    return b != null && b.length == 16 ? b : null;
  }

  private byte[] port(String text) {
    if (text.isEmpty() || text.length() > 5 || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
      throw new IllegalArgumentException("invalid " + name + " port: " + text);
    }
    int port = Integer.parseInt(text);
    if (port > 65535) {
      throw new IllegalArgumentException(name + " port out of range: " + text);
    }
    return new byte[] {(byte) (port >>> 8), (byte) port};
  }

  private byte[] dnsName(String text) {
    byte[] b = text.getBytes(StandardCharsets.UTF_8);
    if (b.length == 0 || b.length > MAX_DNS_NAME || text.indexOf('/') >= 0) {
      throw new IllegalArgumentException("invalid " + name + " name");
    }
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c <= ' ' || c == 0x7f || Character.isSurrogate(c) && !validSurrogates(text)) {
        throw new IllegalArgumentException("invalid character in " + name + " name");
      }
    }
    return b;
  }

  /** Rejects lone surrogates, which UTF-8 cannot carry and would not round-trip. */
  private static boolean validSurrogates(String text) {
    return text.codePoints().noneMatch(cp -> cp >= 0xd800 && cp <= 0xdfff);
  }
}
