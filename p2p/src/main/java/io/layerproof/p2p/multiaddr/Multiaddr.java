package io.layerproof.p2p.multiaddr;

import io.layerproof.p2p.identity.PeerId;
import io.layerproof.p2p.identity.Varint;
import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * An immutable multiaddr: a list of (protocol, value) components with a text form ({@code
 * /ip4/127.0.0.1/tcp/4001/p2p/12D3KooW...}) and a binary form (varint protocol code, then the
 * value: fixed size, or varint length-prefixed). Parsing is strict: unknown protocols, malformed
 * values, trailing bytes and over-long input are refused with {@link IllegalArgumentException}.
 */
public final class Multiaddr {

  /** Longest binary form accepted; real addresses are well under 200 bytes. */
  public static final int MAX_BYTES = 1024;

  /** Longest text form accepted. */
  public static final int MAX_TEXT = 2048;

  /** One component; {@code value} is the binary value without length prefix (empty for none). */
  public record Component(MultiaddrProtocol protocol, byte[] value) {
    public Component {
      value = value.clone();
    }

    @Override
    public byte[] value() {
      return value.clone();
    }

    /** The value in text form ("" for protocols without a value). */
    public String valueText() {
      return protocol.formatValue(value);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Component c && c.protocol == protocol && Arrays.equals(c.value, value);
    }

    @Override
    public int hashCode() {
      return protocol.hashCode() * 31 + Arrays.hashCode(value);
    }

    @Override
    public String toString() {
      String v = valueText();
      return "/" + protocol.text() + (v.isEmpty() ? "" : "/" + v);
    }
  }

  private final List<Component> components;
  private final byte[] bytes;

  private Multiaddr(List<Component> components) {
    if (components.isEmpty()) {
      throw new IllegalArgumentException("empty multiaddr");
    }
    this.components = List.copyOf(components);
    this.bytes = encode(this.components);
  }

  /**
   * @throws IllegalArgumentException if malformed, unsupported, or longer than {@link #MAX_TEXT}
   */
  public static Multiaddr fromString(String text) {
    if (text == null || text.length() > MAX_TEXT) {
      throw new IllegalArgumentException("multiaddr text missing or too long");
    }
    if (!text.startsWith("/")) {
      throw new IllegalArgumentException("a multiaddr starts with /: " + text);
    }
    String[] parts = text.substring(1).split("/", -1);
    List<Component> out = new ArrayList<>();
    int i = 0;
    while (i < parts.length) {
      MultiaddrProtocol p = MultiaddrProtocol.byName(parts[i++]);
      if (p.size() == 0) {
        out.add(new Component(p, new byte[0]));
        continue;
      }
      if (i >= parts.length) {
        throw new IllegalArgumentException("missing value for /" + p.text());
      }
      out.add(new Component(p, p.parseValue(parts[i++])));
    }
    return new Multiaddr(out);
  }

  /**
   * @throws IllegalArgumentException if malformed, unsupported, with trailing bytes, or longer than
   *     {@link #MAX_BYTES}
   */
  public static Multiaddr fromBytes(byte[] data) {
    if (data == null || data.length > MAX_BYTES) {
      throw new IllegalArgumentException("multiaddr bytes missing or too long");
    }
    List<Component> out = new ArrayList<>();
    int[] pos = {0};
    while (pos[0] < data.length) {
      MultiaddrProtocol p = MultiaddrProtocol.byCode(Varint.read(data, pos));
      int size = p.size();
      if (size == MultiaddrProtocol.VARIABLE) {
        long length = Varint.read(data, pos);
        if (length > data.length - pos[0]) {
          throw new IllegalArgumentException("/" + p.text() + " value overruns the address");
        }
        size = (int) length;
      } else if (size > data.length - pos[0]) {
        throw new IllegalArgumentException("truncated /" + p.text() + " value");
      }
      byte[] value = Arrays.copyOfRange(data, pos[0], pos[0] + size);
      pos[0] += size;
      p.formatValue(value); // validates
      out.add(new Component(p, value));
    }
    return new Multiaddr(out);
  }

  /** {@code /ip4|ip6/<address>/tcp/<port>} for a resolved socket address. */
  public static Multiaddr tcp(InetSocketAddress address) {
    if (address.isUnresolved()) {
      throw new IllegalArgumentException("unresolved address " + address);
    }
    byte[] ip = address.getAddress().getAddress();
    MultiaddrProtocol p = ip.length == 4 ? MultiaddrProtocol.IP4 : MultiaddrProtocol.IP6;
    int port = address.getPort();
    return new Multiaddr(
        List.of(
            new Component(p, ip),
            new Component(MultiaddrProtocol.TCP, new byte[] {(byte) (port >>> 8), (byte) port})));
  }

  private static byte[] encode(List<Component> components) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (Component c : components) {
      Varint.write(out, c.protocol().code());
      byte[] v = c.value;
      if (c.protocol().size() == MultiaddrProtocol.VARIABLE) {
        Varint.write(out, v.length);
      }
      out.writeBytes(v);
    }
    if (out.size() > MAX_BYTES) {
      throw new IllegalArgumentException("multiaddr longer than " + MAX_BYTES + " bytes");
    }
    return out.toByteArray();
  }

  public List<Component> components() {
    return components;
  }

  public byte[] toBytes() {
    return bytes.clone();
  }

  /** The peer id of a trailing {@code /p2p/...} component. */
  public Optional<PeerId> peerId() {
    Component last = components.get(components.size() - 1);
    return last.protocol() == MultiaddrProtocol.P2P
        ? Optional.of(PeerId.fromBytes(last.value))
        : Optional.empty();
  }

  /** This address without a trailing {@code /p2p/...} (itself when there is none). */
  public Multiaddr withoutPeerId() {
    if (peerId().isEmpty()) {
      return this;
    }
    if (components.size() == 1) {
      throw new IllegalArgumentException("a bare /p2p address has nothing left");
    }
    return new Multiaddr(components.subList(0, components.size() - 1));
  }

  /** This address with {@code /p2p/<id>} appended, replacing a trailing one. */
  public Multiaddr withPeerId(PeerId id) {
    List<Component> out = new ArrayList<>(withoutPeerId().components);
    out.add(new Component(MultiaddrProtocol.P2P, id.toBytes()));
    return new Multiaddr(out);
  }

  /**
   * The TCP socket address of {@code /ip4|ip6|dns|dns4|dns6/<host>/tcp/<port>[/p2p/<id>]}: resolved
   * for IP addresses, unresolved for DNS names (Netty resolves those when connecting).
   *
   * @throws IllegalArgumentException for any other shape
   */
  public InetSocketAddress toSocketAddress() {
    List<Component> c = withoutPeerId().components;
    if (c.size() != 2 || c.get(1).protocol() != MultiaddrProtocol.TCP) {
      throw new IllegalArgumentException("not a TCP address: " + this);
    }
    int port = Integer.parseInt(c.get(1).valueText());
    Component host = c.get(0);
    return switch (host.protocol()) {
      case IP4, IP6 -> {
        try {
          yield new InetSocketAddress(InetAddress.getByAddress(host.value), port);
        } catch (UnknownHostException e) {
          throw new IllegalArgumentException(e);
        }
      }
      case DNS, DNS4, DNS6 -> InetSocketAddress.createUnresolved(host.valueText(), port);
      default -> throw new IllegalArgumentException("not a TCP address: " + this);
    };
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Multiaddr m && Arrays.equals(bytes, m.bytes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes);
  }

  @Override
  public String toString() {
    StringBuilder s = new StringBuilder();
    components.forEach(s::append);
    return s.toString();
  }

  /** Hex of the binary form, for logs and test vectors. */
  public String toHex() {
    return HexFormat.of().formatHex(bytes);
  }
}
