package io.layerproof.p2p.discovery;

import io.layerproof.p2p.discovery.DnsMessage.A;
import io.layerproof.p2p.discovery.DnsMessage.Aaaa;
import io.layerproof.p2p.discovery.DnsMessage.Ptr;
import io.layerproof.p2p.discovery.DnsMessage.Question;
import io.layerproof.p2p.discovery.DnsMessage.RData;
import io.layerproof.p2p.discovery.DnsMessage.ResourceRecord;
import io.layerproof.p2p.discovery.DnsMessage.Srv;
import io.layerproof.p2p.discovery.DnsMessage.Txt;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes a {@link DnsMessage} in RFC 1035 wire format. Names are written uncompressed: our
 * responses are a few hundred bytes, and every decoder must accept uncompressed names.
 */
final class DnsEncoder {

  private final ByteArrayOutputStream out = new ByteArrayOutputStream(512);

  private DnsEncoder() {}

  static byte[] encode(DnsMessage m) {
    DnsEncoder e = new DnsEncoder();
    e.u16(m.id());
    e.u16(m.flags());
    e.u16(m.questions().size());
    e.u16(m.answers().size());
    e.u16(m.authorities().size());
    e.u16(m.additionals().size());
    for (Question q : m.questions()) {
      e.name(q.name());
      e.u16(q.type());
      e.u16(q.qclass() | (q.unicastResponse() ? 0x8000 : 0));
      e.checkSize();
    }
    for (List<ResourceRecord> section : List.of(m.answers(), m.authorities(), m.additionals())) {
      for (ResourceRecord r : section) {
        e.record(r);
        e.checkSize();
      }
    }
    return e.out.toByteArray();
  }

  private void record(ResourceRecord r) {
    name(r.name());
    u16(r.type());
    u16(r.rrclass() | (r.cacheFlush() ? 0x8000 : 0));
    u32(r.ttl());
    byte[] rdata = rdata(r.data());
    u16(rdata.length);
    out.writeBytes(rdata);
  }

  private static byte[] rdata(RData data) {
    DnsEncoder e = new DnsEncoder();
    if (data instanceof Ptr p) {
      e.name(p.target());
    } else if (data instanceof Txt t) {
      List<String> strings = t.strings().isEmpty() ? List.of("") : t.strings();
      for (String s : strings) {
        byte[] b = latin1(s);
        if (b.length > 255) {
          throw new IllegalArgumentException("a TXT string is at most 255 bytes");
        }
        e.out.write(b.length);
        e.out.writeBytes(b);
        e.checkSize();
      }
    } else if (data instanceof A a) {
      e.out.writeBytes(a.address().getAddress());
    } else if (data instanceof Aaaa a) {
      e.out.writeBytes(a.address().getAddress());
    } else if (data instanceof Srv s) {
      e.u16(s.priority());
      e.u16(s.weight());
      e.u16(s.port());
      e.name(s.target());
    }
    return e.out.toByteArray();
  }

  private void name(String name) {
    int length = 1;
    for (byte[] label : labels(name)) {
      length += 1 + label.length;
      if (length > DnsMessage.MAX_NAME) {
        throw new IllegalArgumentException("name longer than 255 bytes: " + name);
      }
      out.write(label.length);
      out.writeBytes(label);
    }
    out.write(0);
  }

  /** Splits at unescaped dots; {@code \.} and {@code \\} stand for a literal dot and backslash. */
  static List<byte[]> labels(String name) {
    List<byte[]> labels = new ArrayList<>();
    if (name.isEmpty()) {
      return labels;
    }
    StringBuilder label = new StringBuilder();
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (c == '\\') {
        if (++i == name.length()) {
          throw new IllegalArgumentException("name ends with an escape: " + name);
        }
        label.append(name.charAt(i));
      } else if (c == '.') {
        labels.add(label(label, name));
        label.setLength(0);
      } else {
        label.append(c);
      }
    }
    labels.add(label(label, name));
    return labels;
  }

  private static byte[] label(StringBuilder label, String name) {
    byte[] b = latin1(label.toString());
    if (b.length == 0 || b.length > DnsMessage.MAX_LABEL) {
      throw new IllegalArgumentException("a label is 1 to 63 bytes: " + name);
    }
    return b;
  }

  private static byte[] latin1(String s) {
    byte[] b = new byte[s.length()];
    for (int i = 0; i < b.length; i++) {
      char c = s.charAt(i);
      if (c > 0xff) {
        throw new IllegalArgumentException("names and TXT strings hold chars 0-255 only");
      }
      b[i] = (byte) c;
    }
    return b;
  }

  private void u16(int v) {
    out.write(v >>> 8);
    out.write(v);
  }

  private void u32(long v) {
    u16((int) (v >>> 16) & 0xffff);
    u16((int) v & 0xffff);
  }

  private void checkSize() {
    if (out.size() > DnsMessage.MAX_PACKET) {
      throw new IllegalArgumentException("message longer than " + DnsMessage.MAX_PACKET + " bytes");
    }
  }
}
