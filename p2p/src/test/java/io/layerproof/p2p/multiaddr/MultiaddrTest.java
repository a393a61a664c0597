package io.layerproof.p2p.multiaddr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.layerproof.p2p.identity.PeerKey;
import java.net.InetSocketAddress;
import java.util.HexFormat;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Text and binary vectors shared by the multiaddr implementations (go, rust, js), and refusals. */
class MultiaddrTest {

  private static final HexFormat HEX = HexFormat.of();

  @ParameterizedTest
  @CsvSource({
    "/ip4/127.0.0.1/tcp/4001, 047f000001060fa1",
    "/ip4/1.2.3.4, 0401020304",
    "/ip4/0.0.0.0, 0400000000",
    "/ip6/::1, 2900000000000000000000000000000001",
    "/ip6/2601:9:4f81:9700:803e:ca65:66e8:c21, 29260100094f819700803eca6566e80c21",
    "/udp/0, 91020000",
    "/tcp/0, 060000",
    "/udp/1234, 910204d2",
    "/tcp/65535, 06ffff",
    "/ip4/127.0.0.1/tcp/5000, 047f000001061388",
    "/ip6/2001:8a0:7ac5:4201:3ac9:86ff:fe31:7095/tcp/5000,"
        + " 29200108a07ac542013ac986fffe317095061388",
    "/p2p/QmcgpsyWgH8Y8ajJz1Cu72KnS5uo2Aa2LpzU7kinSupNKC,"
        + " a503221220d52ebb89d85b02a284948203a62ff28389c57c9f42beec4ec20db76a68911c0b",
    "/p2p/QmcgpsyWgH8Y8ajJz1Cu72KnS5uo2Aa2LpzU7kinSupNKC/tcp/1234,"
        + " a503221220d52ebb89d85b02a284948203a62ff28389c57c9f42beec4ec20db76a68911c0b0604d2",
    "/ip4/127.0.0.1/udp/1234, 047f000001910204d2",
    "/ip4/147.75.83.83/tcp/4001/p2p/QmbLHAnMoJPWSCR5Zhtx6BHJX9KiKNN6tpvbUcqanj75Nb,"
        + " 04934b5353060fa1a503221220c10f9319dac35c270a6b74cd644cb3acfc1f6efc8c821f8eb282599fd1814f64",
    "/ip4/127.0.0.1/udp/4001/quic-v1, 047f00000191020fa1cc03",
    "/ip6/::ffff:102:304/tcp/1, 2900000000000000000000ffff01020304060001",
    "/dns4/example.com/tcp/443, 360b6578616d706c652e636f6d0601bb",
  })
  void vectors(String text, String hex) {
    Multiaddr a = Multiaddr.fromString(text);
    assertEquals(hex, a.toHex());
    assertEquals(text, a.toString());
    Multiaddr b = Multiaddr.fromBytes(HEX.parseHex(hex));
    assertEquals(a, b);
    assertEquals(text, b.toString());
  }

  @Test
  void legacyIpfsNameReadsAsP2p() {
    assertEquals(
        "/p2p/QmcgpsyWgH8Y8ajJz1Cu72KnS5uo2Aa2LpzU7kinSupNKC",
        Multiaddr.fromString("/ipfs/QmcgpsyWgH8Y8ajJz1Cu72KnS5uo2Aa2LpzU7kinSupNKC").toString());
  }

  @Test
  void peerIdAndSocketAddress() {
    PeerKey k = PeerKey.generate();
    Multiaddr a = Multiaddr.fromString("/ip4/127.0.0.1/tcp/4001/p2p/" + k.peerId());
    assertEquals(Optional.of(k.peerId()), a.peerId());
    assertEquals(Multiaddr.fromString("/ip4/127.0.0.1/tcp/4001"), a.withoutPeerId());
    assertEquals(a, a.withoutPeerId().withPeerId(k.peerId()));
    assertEquals(new InetSocketAddress("127.0.0.1", 4001), a.toSocketAddress());
    // The CIDv1 text form of a peer id parses to the same address.
    assertEquals(a, Multiaddr.fromString("/ip4/127.0.0.1/tcp/4001/p2p/" + k.peerId().toCid()));
    InetSocketAddress dns = Multiaddr.fromString("/dns/example.com/tcp/80").toSocketAddress();
    assertTrue(dns.isUnresolved());
    assertEquals("example.com", dns.getHostString());
    assertEquals(
        new InetSocketAddress("::1", 9), Multiaddr.fromString("/ip6/::1/tcp/9").toSocketAddress());
    assertEquals(
        Multiaddr.fromString("/ip4/10.0.0.1/tcp/7"),
        Multiaddr.tcp(new InetSocketAddress("10.0.0.1", 7)));
    assertThrows(
        IllegalArgumentException.class,
        () -> Multiaddr.fromString("/ip4/1.2.3.4/udp/1").toSocketAddress());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "/",
        "ip4/1.2.3.4",
        "/ip4",
        "/ip4/::1",
        "/ip4/1.2.3",
        "/ip4/256.0.0.1",
        "/ip4/01.2.3.4",
        "/ip4/1.2.3.4.5",
        "/ip6/::1.2.3.4",
        "/ip6/::ffff:1.2.3.4",
        "/ip4/fdpsofodsajfdoisa",
        "/ip6",
        "/ip6/1.2.3.4",
        "/ip6/::g",
        "/tcp",
        "/tcp/65536",
        "/tcp/-1",
        "/tcp/+1",
        "/udp/x",
        "/sctp/1234",
        "/quic/1234",
        "/ip4/1.2.3.4/",
        "/ip4/1.2.3.4//tcp/1",
        "/p2p/notapeerid",
        "/p2p",
        "/dns4/",
        "/unknown/1",
      })
  void refusesBadText(String text) {
    assertThrows(IllegalArgumentException.class, () -> Multiaddr.fromString(text));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "047f0000", // truncated ip4
        "047f000001060f", // truncated port
        "047f000001060fa100", // trailing byte
        "84010000", // sctp: unsupported
        "ff", // truncated varint
        "0480", // ip4 then truncated
        "a50322", // p2p length overruns
        "a503021220", // p2p with a bad multihash
        "3600", // empty dns name
        "8080808080808080808001", // over-long varint
      })
  void refusesBadBytes(String hex) {
    assertThrows(IllegalArgumentException.class, () -> Multiaddr.fromBytes(HEX.parseHex(hex)));
  }

  @Test
  void refusesOverlongInput() {
    assertThrows(
        IllegalArgumentException.class,
        () -> Multiaddr.fromString("/tcp/1".repeat(Multiaddr.MAX_TEXT)));
    assertThrows(
        IllegalArgumentException.class,
        () -> Multiaddr.fromBytes(new byte[Multiaddr.MAX_BYTES + 1]));
  }

  @Property(tries = 500)
  void textAndBytesRoundTrip(@ForAll("addresses") String text) {
    Multiaddr a = Multiaddr.fromString(text);
    assertEquals(text, a.toString());
    Multiaddr b = Multiaddr.fromBytes(a.toBytes());
    assertEquals(a, b);
    assertEquals(text, b.toString());
  }

  @Property(tries = 1000)
  void randomBytesParseOrFailCleanly(@ForAll byte[] data) {
    try {
      Multiaddr a = Multiaddr.fromBytes(data);
      assertEquals(a, Multiaddr.fromString(a.toString()));
    } catch (IllegalArgumentException expected) {
      // refused: fine
    }
  }

  @Provide
  Arbitrary<String> addresses() {
    Arbitrary<String> ip4 =
        Arbitraries.integers()
            .between(0, 255)
            .list()
            .ofSize(4)
            .map(l -> "/ip4/" + l.get(0) + "." + l.get(1) + "." + l.get(2) + "." + l.get(3));
    Arbitrary<String> ip6 =
        Arbitraries.bytes()
            .array(byte[].class)
            .ofSize(16)
            .map(b -> "/ip6/" + io.netty.util.NetUtil.bytesToIpAddress(b));
    Arbitrary<String> dns =
        Combinators.combine(
                Arbitraries.of("dns", "dns4", "dns6"),
                Arbitraries.strings().withCharRange('a', 'z').ofMinLength(1).ofMaxLength(30))
            .as((p, n) -> "/" + p + "/" + n + ".example");
    Arbitrary<String> host = Arbitraries.oneOf(ip4, ip6, dns);
    Arbitrary<String> port =
        Combinators.combine(Arbitraries.of("tcp", "udp"), Arbitraries.integers().between(0, 65535))
            .as((p, n) -> "/" + p + "/" + n);
    Arbitrary<String> peer =
        Arbitraries.of(true, false).map(b -> b ? "/p2p/" + PeerKey.generate().peerId() : "");
    return Combinators.combine(host, port, Arbitraries.of("", "/quic-v1"), peer)
        .as((h, p, q, id) -> h + p + (p.startsWith("/udp") ? q : "") + id);
  }
}
