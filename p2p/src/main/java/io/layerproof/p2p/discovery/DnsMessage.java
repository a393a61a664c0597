package io.layerproof.p2p.discovery;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.util.List;
import java.util.Objects;

/**
 * The subset of a DNS message (RFC 1035 section 4) that mDNS discovery needs: the header, the
 * questions, and answer, authority and additional records of types PTR, TXT, A, AAAA and SRV.
 * Records of other types (NSEC, HINFO, OPT, ...) are bounds-checked and skipped on decode, since
 * one host's responder may bundle them into the same packet as ours.
 *
 * <p>Names are dotted text without the trailing root dot ({@code _p2p._udp.local}); a {@code .} or
 * {@code \} inside a label is escaped with a backslash. Label and TXT bytes map one to one onto
 * chars 0-255 (ISO-8859-1), so any bytes survive a round trip; libp2p's own names and attributes
 * are ASCII.
 */
public record DnsMessage(
    int id,
    int flags,
    List<Question> questions,
    List<ResourceRecord> answers,
    List<ResourceRecord> authorities,
    List<ResourceRecord> additionals) {

  /** mDNS messages may be up to 9000 bytes (RFC 6762 section 17); we never read past that. */
  public static final int MAX_PACKET = 9000;

  /** Questions plus records in one message; a full 9000-byte packet holds at most ~800. */
  public static final int MAX_ENTRIES = 512;

  public static final int MAX_LABEL = 63;

  /** Wire length of a name, length octets and the final zero included (RFC 1035 section 2.3.4). */
  public static final int MAX_NAME = 255;

  public static final int TYPE_A = 1;
  public static final int TYPE_PTR = 12;
  public static final int TYPE_TXT = 16;
  public static final int TYPE_AAAA = 28;
  public static final int TYPE_SRV = 33;
  public static final int CLASS_IN = 1;

  /** QR: the message is a response. */
  public static final int FLAG_RESPONSE = 0x8000;

  /** AA: mDNS responders set it on every response (RFC 6762 section 18.4). */
  public static final int FLAG_AUTHORITATIVE = 0x0400;

  public DnsMessage {
    checkU16(id, "id");
    checkU16(flags, "flags");
    questions = List.copyOf(questions);
    answers = List.copyOf(answers);
    authorities = List.copyOf(authorities);
    additionals = List.copyOf(additionals);
    if (questions.size() + answers.size() + authorities.size() + additionals.size() > MAX_ENTRIES) {
      throw new IllegalArgumentException("more than " + MAX_ENTRIES + " questions and records");
    }
  }

  public static DnsMessage query(Question... questions) {
    return new DnsMessage(0, 0, List.of(questions), List.of(), List.of(), List.of());
  }

  /** An mDNS response: id 0, QR and AA set, no questions (RFC 6762 section 18). */
  public static DnsMessage response(
      List<ResourceRecord> answers, List<ResourceRecord> additionals) {
    return new DnsMessage(
        0, FLAG_RESPONSE | FLAG_AUTHORITATIVE, List.of(), answers, List.of(), additionals);
  }

  public boolean isResponse() {
    return (flags & FLAG_RESPONSE) != 0;
  }

  /**
   * @throws IllegalArgumentException if the message encodes to more than {@link #MAX_PACKET} bytes
   */
  public byte[] encode() {
    return DnsEncoder.encode(this);
  }

  /**
   * @throws IllegalArgumentException if {@code packet} is malformed or breaks a bound; never any
   *     other exception
   */
  public static DnsMessage decode(byte[] packet) {
    return DnsDecoder.decode(packet);
  }

  /** DNS names compare case-insensitively, ASCII letters only (RFC 1035 section 2.3.3). */
  public static boolean sameName(String a, String b) {
    if (a.length() != b.length()) {
      return false;
    }
    for (int i = 0; i < a.length(); i++) {
      if (asciiLower(a.charAt(i)) != asciiLower(b.charAt(i))) {
        return false;
      }
    }
    return true;
  }

  private static char asciiLower(char c) {
    return c >= 'A' && c <= 'Z' ? (char) (c + 32) : c;
  }

  static void checkU16(int v, String what) {
    if (v < 0 || v > 0xffff) {
      throw new IllegalArgumentException(what + " is not 16 bits: " + v);
    }
  }

  /**
   * A question. mDNS reuses the top bit of the class as "unicast response requested" (RFC 6762
   * section 5.4), so {@code qclass} holds the low 15 bits.
   */
  public record Question(String name, int type, int qclass, boolean unicastResponse) {
    public Question {
      Objects.requireNonNull(name);
      checkU16(type, "type");
      checkU16(qclass, "class");
      if (qclass > 0x7fff) {
        throw new IllegalArgumentException("the class is 15 bits in mDNS");
      }
    }

    public Question(String name, int type) {
      this(name, type, CLASS_IN, false);
    }
  }

  /**
   * A resource record; its type is its data's. mDNS reuses the top bit of the class as
   * "cache-flush" (RFC 6762 section 10.2), so {@code rrclass} holds the low 15 bits.
   */
  public record ResourceRecord(String name, int rrclass, boolean cacheFlush, long ttl, RData data) {
    public ResourceRecord {
      Objects.requireNonNull(name);
      Objects.requireNonNull(data);
      checkU16(rrclass, "class");
      if (rrclass > 0x7fff) {
        throw new IllegalArgumentException("the class is 15 bits in mDNS");
      }
      if (ttl < 0 || ttl > 0xffffffffL) {
        throw new IllegalArgumentException("ttl is not 32 bits: " + ttl);
      }
    }

    /** Class IN, no cache-flush: how shared records such as PTR are sent. */
    public ResourceRecord(String name, long ttl, RData data) {
      this(name, CLASS_IN, false, ttl, data);
    }

    public int type() {
      return data.type();
    }
  }

  /** Record data of the supported types. */
  public sealed interface RData permits Ptr, Txt, A, Aaaa, Srv {
    int type();
  }

  public record Ptr(String target) implements RData {
    public Ptr {
      Objects.requireNonNull(target);
    }

    @Override
    public int type() {
      return TYPE_PTR;
    }
  }

  /**
   * Character-strings of at most 255 bytes each. A lone empty string is how an empty TXT record is
   * sent (RFC 6763 section 6.1), so it is held as the empty list.
   */
  public record Txt(List<String> strings) implements RData {
    public Txt {
      strings = strings.equals(List.of("")) ? List.of() : List.copyOf(strings);
    }

    @Override
    public int type() {
      return TYPE_TXT;
    }
  }

  public record A(Inet4Address address) implements RData {
    public A {
      Objects.requireNonNull(address);
    }

    @Override
    public int type() {
      return TYPE_A;
    }
  }

  public record Aaaa(Inet6Address address) implements RData {
    public Aaaa {
      Objects.requireNonNull(address);
    }

    @Override
    public int type() {
      return TYPE_AAAA;
    }
  }

  public record Srv(int priority, int weight, int port, String target) implements RData {
    public Srv {
      checkU16(priority, "priority");
      checkU16(weight, "weight");
      checkU16(port, "port");
      Objects.requireNonNull(target);
    }

    @Override
    public int type() {
      return TYPE_SRV;
    }
  }
}
