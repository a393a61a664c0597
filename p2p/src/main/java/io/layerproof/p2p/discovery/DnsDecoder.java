package io.layerproof.p2p.discovery;

import io.layerproof.p2p.discovery.DnsMessage.A;
import io.layerproof.p2p.discovery.DnsMessage.Aaaa;
import io.layerproof.p2p.discovery.DnsMessage.Ptr;
import io.layerproof.p2p.discovery.DnsMessage.Question;
import io.layerproof.p2p.discovery.DnsMessage.RData;
import io.layerproof.p2p.discovery.DnsMessage.ResourceRecord;
import io.layerproof.p2p.discovery.DnsMessage.Srv;
import io.layerproof.p2p.discovery.DnsMessage.Txt;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads RFC 1035 wire format from untrusted packets. Every read is checked against the packet (or
 * record data) end before it happens, so a malformed packet fails with {@link
 * IllegalArgumentException} and nothing is allocated beyond the packet's own size.
 */
final class DnsDecoder {

  private final byte[] b;
  private int pos;

  private DnsDecoder(byte[] b) {
    this.b = b;
  }

  static DnsMessage decode(byte[] packet) {
    if (packet == null || packet.length < 12 || packet.length > DnsMessage.MAX_PACKET) {
      throw new IllegalArgumentException("a DNS message is 12 to 9000 bytes");
    }
    DnsDecoder d = new DnsDecoder(packet);
    int id = d.u16();
    int flags = d.u16();
    int qd = d.u16();
    int an = d.u16();
    int ns = d.u16();
    int ar = d.u16();
    if (qd + an + ns + ar > DnsMessage.MAX_ENTRIES) {
      throw new IllegalArgumentException("more than " + DnsMessage.MAX_ENTRIES + " entries");
    }
    List<Question> questions = new ArrayList<>(qd);
    for (int i = 0; i < qd; i++) {
      String name = d.name(packet.length);
      int type = d.u16();
      int qclass = d.u16();
      questions.add(new Question(name, type, qclass & 0x7fff, (qclass & 0x8000) != 0));
    }
    List<ResourceRecord> answers = d.records(an);
    List<ResourceRecord> authorities = d.records(ns);
    List<ResourceRecord> additionals = d.records(ar);
    if (d.pos != packet.length) {
      throw new IllegalArgumentException((packet.length - d.pos) + " bytes after the last record");
    }
    return new DnsMessage(id, flags, questions, answers, authorities, additionals);
  }

  private List<ResourceRecord> records(int count) {
    List<ResourceRecord> out = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      String name = name(b.length);
      int type = u16();
      int rrclass = u16();
      long ttl = ((long) u16() << 16) | u16();
      int length = u16();
      int end = pos + length;
      if (end > b.length) {
        throw new IllegalArgumentException("record data runs past the packet");
      }
      RData data = rdata(type, end);
      if (pos != end) {
        throw new IllegalArgumentException("record data length does not match its content");
      }
      if (data != null) {
        out.add(new ResourceRecord(name, rrclass & 0x7fff, (rrclass & 0x8000) != 0, ttl, data));
      }
    }
    return out;
  }

  /** The data of a supported type, or null (after skipping it) for any other type. */
  private RData rdata(int type, int end) {
    int length = end - pos;
    switch (type) {
      case DnsMessage.TYPE_A:
        return new A((Inet4Address) address(4, length));
      case DnsMessage.TYPE_AAAA:
        return new Aaaa((Inet6Address) address(16, length));
      case DnsMessage.TYPE_PTR:
        return new Ptr(name(end));
      case DnsMessage.TYPE_SRV:
        int priority = u16(end);
        int weight = u16(end);
        int port = u16(end);
        return new Srv(priority, weight, port, name(end));
      case DnsMessage.TYPE_TXT:
        List<String> strings = new ArrayList<>();
        while (pos < end) {
          int n = b[pos++] & 0xff;
          if (pos + n > end) {
            throw new IllegalArgumentException("TXT string runs past its record");
          }
          strings.add(latin1(pos, n));
          pos += n;
        }
        return new Txt(strings);
      default:
        pos = end;
        return null;
    }
  }

  private Object address(int size, int length) {
    if (length != size) {
      throw new IllegalArgumentException("an address record holds " + size + " bytes");
    }
    byte[] raw = new byte[size];
    System.arraycopy(b, pos, raw, 0, size);
    pos += size;
    try {
      // Inet6Address.getByAddress keeps an IPv4-mapped address as IPv6, unlike InetAddress's.
      return size == 4
          ? Inet4Address.getByAddress(raw)
          : Inet6Address.getByAddress(null, raw, (java.net.NetworkInterface) null);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("bad address", e);
    }
  }

  /**
   * Reads a possibly compressed name at {@code pos} whose uncompressed part must end before {@code
   * limit}, and leaves {@code pos} after it. Loops cannot happen: each pointer must jump before the
   * start of the segment that holds it, and the jumped-to segment must end before that start, so
   * every jump moves strictly backwards.
   */
  private String name(int limit) {
    StringBuilder text = new StringBuilder();
    int wire = 1;
    int at = pos;
    int segmentStart = pos;
    int resume = -1;
    while (true) {
      if (at >= limit) {
        throw new IllegalArgumentException("name runs past its bounds");
      }
      int len = b[at] & 0xff;
      if (len == 0) {
        at++;
        break;
      }
      int kind = len & 0xc0;
      if (kind == 0xc0) {
        if (at + 1 >= limit) {
          throw new IllegalArgumentException("compression pointer runs past its bounds");
        }
        int target = ((len & 0x3f) << 8) | (b[at + 1] & 0xff);
        if (target >= segmentStart) {
          throw new IllegalArgumentException("compression pointer does not point backwards");
        }
        if (resume < 0) {
          resume = at + 2;
        }
        limit = segmentStart;
        segmentStart = target;
        at = target;
        continue;
      }
      if (kind != 0) {
        throw new IllegalArgumentException("unsupported label type " + (len >>> 6));
      }
      wire += 1 + len;
      if (wire > DnsMessage.MAX_NAME) {
        throw new IllegalArgumentException("name longer than 255 bytes");
      }
      if (at + 1 + len > limit) {
        throw new IllegalArgumentException("label runs past its bounds");
      }
      if (text.length() > 0) {
        text.append('.');
      }
      for (int i = at + 1; i <= at + len; i++) {
        char c = (char) (b[i] & 0xff);
        if (c == '.' || c == '\\') {
          text.append('\\');
        }
        text.append(c);
      }
      at += 1 + len;
    }
    pos = resume >= 0 ? resume : at;
    return text.toString();
  }

  private String latin1(int from, int n) {
    char[] c = new char[n];
    for (int i = 0; i < n; i++) {
      c[i] = (char) (b[from + i] & 0xff);
    }
    return new String(c);
  }

  private int u16() {
    return u16(b.length);
  }

  private int u16(int limit) {
    if (pos + 2 > limit) {
      throw new IllegalArgumentException("truncated message");
    }
    int v = ((b[pos] & 0xff) << 8) | (b[pos + 1] & 0xff);
    pos += 2;
    return v;
  }
}
