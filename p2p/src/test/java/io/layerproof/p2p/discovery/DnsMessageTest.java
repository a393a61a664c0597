package io.layerproof.p2p.discovery;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.layerproof.p2p.discovery.DnsMessage.A;
import io.layerproof.p2p.discovery.DnsMessage.Aaaa;
import io.layerproof.p2p.discovery.DnsMessage.Ptr;
import io.layerproof.p2p.discovery.DnsMessage.Question;
import io.layerproof.p2p.discovery.DnsMessage.ResourceRecord;
import io.layerproof.p2p.discovery.DnsMessage.Srv;
import io.layerproof.p2p.discovery.DnsMessage.Txt;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.NetworkInterface;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Golden bytes worked out by hand from RFC 1035 sections 4.1 and 3.3, and RFC 6762's bits. As a
 * cross-check, dnspython 2.8 parses both to the same questions and records (it shows the mDNS
 * cache-flush class as CLASS32769, IN with the top bit set).
 */
class DnsMessageTest {

  private static final HexFormat HEX = HexFormat.of();

  /** {@code _p2p._udp.local} as labels: 4 "_p2p", 4 "_udp", 5 "local", root. 17 bytes. */
  static final String SERVICE = "045f703270" + "045f756470" + "056c6f63616c" + "00";

  /** {@code h.local}: 1 "h", 5 "local", root. 9 bytes. */
  static final String HOST = "0168" + "056c6f63616c" + "00";

  /** {@code abc._p2p._udp.local}: 3 "abc" then the service labels. 21 bytes. */
  static final String INSTANCE = "03616263" + SERVICE;

  static final String GOLDEN_QUERY =
      "0000" // ID 0: mDNS ignores it for multicast queries (RFC 6762 section 18.1)
          + "0000" // flags: QR=0 (query), opcode 0, no other bits
          + "0001" // QDCOUNT
          + "0000" // ANCOUNT
          + "0000" // NSCOUNT
          + "0000" // ARCOUNT
          + SERVICE // QNAME
          + "000c" // QTYPE PTR (12)
          + "0001"; // QCLASS IN, top (unicast-response) bit clear

  static final String GOLDEN_RESPONSE =
      "0000" // ID 0
          + "8400" // QR=1, AA=1 (RFC 6762 section 18.2 and 18.4)
          + "0000" // QDCOUNT: mDNS responses carry no questions
          + "0001" // ANCOUNT
          + "0000" // NSCOUNT
          + "0004" // ARCOUNT
          // answer: _p2p._udp.local PTR abc._p2p._udp.local, IN, TTL 120
          + SERVICE
          + "000c0001" // TYPE PTR, CLASS IN (shared record: no cache-flush)
          + "00000078" // TTL 120
          + "0015" // RDLENGTH 21
          + INSTANCE
          // additional: abc._p2p._udp.local TXT "a=b", cache-flush
          + INSTANCE
          + "0010" // TYPE TXT (16)
          + "8001" // CLASS IN with the cache-flush bit (RFC 6762 section 10.2)
          + "00000078"
          + "0004" // RDLENGTH: one length octet and 3 bytes
          + "03613d62"
          // additional: abc._p2p._udp.local SRV 0 0 4001 h.local
          + INSTANCE
          + "0021" // TYPE SRV (33)
          + "8001"
          + "00000078"
          + "000f" // RDLENGTH 6 + 9
          + "0000" // priority
          + "0000" // weight
          + "0fa1" // port 4001
          + HOST
          // additional: h.local A 192.0.2.1
          + HOST
          + "00018001"
          + "00000078"
          + "0004"
          + "c0000201"
          // additional: h.local AAAA ::1
          + HOST
          + "001c8001" // TYPE AAAA (28)
          + "00000078"
          + "0010"
          + "00000000000000000000000000000001";

  static DnsMessage goldenResponse() throws Exception {
    String instance = "abc._p2p._udp.local";
    return DnsMessage.response(
        List.of(new ResourceRecord("_p2p._udp.local", 120, new Ptr(instance))),
        List.of(
            new ResourceRecord(instance, 1, true, 120, new Txt(List.of("a=b"))),
            new ResourceRecord(instance, 1, true, 120, new Srv(0, 0, 4001, "h.local")),
            new ResourceRecord(
                "h.local",
                1,
                true,
                120,
                new A((Inet4Address) Inet4Address.getByAddress(new byte[] {(byte) 192, 0, 2, 1}))),
            new ResourceRecord("h.local", 1, true, 120, new Aaaa(ipv6(15, 1)))));
  }

  static Inet6Address ipv6(int index, int value) throws Exception {
    byte[] b = new byte[16];
    b[index] = (byte) value;
    return Inet6Address.getByAddress(null, b, (NetworkInterface) null);
  }

  @Test
  void theQueryEncodesToItsGoldenBytes() {
    DnsMessage q = DnsMessage.query(new Question("_p2p._udp.local", DnsMessage.TYPE_PTR));
    assertEquals(GOLDEN_QUERY, HEX.formatHex(q.encode()));
    assertEquals(q, DnsMessage.decode(HEX.parseHex(GOLDEN_QUERY)));
    assertEquals(12 + 17 + 4, q.encode().length);
  }

  @Test
  void theResponseEncodesToItsGoldenBytes() throws Exception {
    DnsMessage r = goldenResponse();
    assertEquals(GOLDEN_RESPONSE, HEX.formatHex(r.encode()));
    DnsMessage back = DnsMessage.decode(HEX.parseHex(GOLDEN_RESPONSE));
    assertEquals(r, back);
    assertTrue(back.isResponse());
  }

  @Test
  void compressedNamesDecode() {
    // The PTR target is "abc" + a pointer to offset 12 (the answer's name); the TXT record's
    // name is a pointer to offset 39 (0x27), where that target starts.
    String packet =
        "000084000000000100000001"
            + SERVICE // offsets 12-28
            + "000c000100000078" // 29-36
            + "0006" // 37-38
            + "03616263c00c" // 39-44: abc, pointer to 12
            + "c027" // TXT name: pointer to 39
            + "0010000100000078000403613d62";
    DnsMessage m = DnsMessage.decode(HEX.parseHex(packet));
    assertEquals(new Ptr("abc._p2p._udp.local"), m.answers().get(0).data());
    assertEquals("abc._p2p._udp.local", m.additionals().get(0).name());
    assertEquals(new Txt(List.of("a=b")), m.additionals().get(0).data());
  }

  @Test
  void compressionLoopsAndForwardPointersAreRejected() {
    String header = "000000000001000000000000";
    // A name that points at itself.
    assertMalformed(header + "c00c" + "000c0001");
    // A label, then a pointer back to that label: "a.a.a..." forever without the rule.
    assertMalformed(header + "0161c00c" + "000c0001");
    // Two pointers at each other: 12 -> 14 (forward) and 14 -> 12.
    assertMalformed(header + "c00ec00c" + "000c0001");
    // A pointer past the end of the packet.
    assertMalformed(header + "c0ff" + "000c0001");
    // A chain that jumps backwards into the middle of the current name.
    // b.c then a pointer to offset 21, the "c" label of this very name (the first name, "a",
    // sits at 12-14 and its type and class at 15-18).
    assertMalformed(
        "000000000002000000000000" + "016100" + "000c0001" + "01620163c015" + "000c0001");
  }

  @Test
  void boundsAreEnforced() {
    String header = "000000000001000000000000";
    // A 64-byte label: 0x40 is the reserved "extended label" type.
    assertMalformed(header + "40" + "61".repeat(64) + "00000c0001");
    // A name of 5 x 63-byte labels is over 255 bytes.
    assertMalformed(header + ("3f" + "61".repeat(63)).repeat(5) + "00" + "000c0001");
    // Counts that promise more entries than allowed.
    assertMalformed("0000000001ff01ff01ff01ff");
    // A truncated header, an empty packet, a packet over 9000 bytes.
    assertMalformed("00000000");
    assertMalformed("");
    assertThrows(IllegalArgumentException.class, () -> DnsMessage.decode(new byte[9001]));
    assertThrows(IllegalArgumentException.class, () -> DnsMessage.decode(null));
    // RDLENGTH past the end, and an A record of 3 bytes.
    assertMalformed("000084000000000100000000" + SERVICE + "0001000100000078" + "0004c00002");
    assertMalformed("000084000000000100000000" + SERVICE + "0001000100000078" + "0003c00002");
    // A TXT string longer than its record.
    assertMalformed("000084000000000100000000" + SERVICE + "0010000100000078" + "000205ff");
    // Trailing bytes.
    assertMalformed(GOLDEN_QUERY + "00");
  }

  @Test
  void encodingEnforcesTheSameBounds() {
    assertThrows(IllegalArgumentException.class, () -> nameQuery("a".repeat(64) + ".local"));
    assertThrows(IllegalArgumentException.class, () -> nameQuery("a..local"));
    assertThrows(
        IllegalArgumentException.class, () -> nameQuery(("a".repeat(63) + ".").repeat(4) + "b"));
    assertThrows(IllegalArgumentException.class, () -> nameQuery("\u0100.local"));
    List<String> big = List.of("x".repeat(250));
    List<ResourceRecord> many =
        java.util.Collections.nCopies(40, new ResourceRecord("a.local", 120, new Txt(big)));
    assertThrows(
        IllegalArgumentException.class, () -> DnsMessage.response(many, List.of()).encode());
    ResourceRecord tooLong = new ResourceRecord("a", 120, new Txt(List.of("x".repeat(256))));
    assertThrows(
        IllegalArgumentException.class,
        () -> DnsMessage.response(List.of(tooLong), List.of()).encode());
  }

  @Test
  void unknownTypesAreSkippedAndEscapesSurvive() {
    // An answer of type NSEC (47) before a PTR whose target label holds a dot.
    String packet =
        "000084000000000200000000"
            + "0161"
            + "00"
            + "002f0001"
            + "00000078"
            + "0002"
            + "0000"
            + SERVICE
            + "000c0001"
            + "00000078"
            + "0006"
            + "04612e6263"
            + "00";
    DnsMessage m = DnsMessage.decode(HEX.parseHex(packet));
    assertEquals(1, m.answers().size());
    assertEquals(new Ptr("a\\.bc"), m.answers().get(0).data());
    assertArrayEquals(
        HEX.parseHex("04612e626300"),
        java.util.Arrays.copyOfRange(
            DnsMessage.response(m.answers(), List.of()).encode(), 12 + 17 + 10, 12 + 17 + 10 + 6));
  }

  @Test
  void anEmptyTxtIsOneZeroLengthString() {
    DnsMessage m =
        DnsMessage.response(List.of(new ResourceRecord("a", 0, new Txt(List.of()))), List.of());
    byte[] wire = m.encode();
    assertEquals("000100", HEX.formatHex(wire, wire.length - 3, wire.length));
    assertEquals(m, DnsMessage.decode(wire));
  }

  private static byte[] nameQuery(String name) {
    return DnsMessage.query(new Question(name, DnsMessage.TYPE_PTR)).encode();
  }

  private static void assertMalformed(String hex) {
    assertThrows(IllegalArgumentException.class, () -> DnsMessage.decode(HEX.parseHex(hex)), hex);
  }
}
