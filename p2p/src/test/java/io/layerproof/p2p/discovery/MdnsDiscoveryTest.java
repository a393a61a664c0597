package io.layerproof.p2p.discovery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.layerproof.p2p.discovery.DnsMessage.Ptr;
import io.layerproof.p2p.discovery.DnsMessage.Question;
import io.layerproof.p2p.discovery.DnsMessage.ResourceRecord;
import io.layerproof.p2p.discovery.DnsMessage.Txt;
import io.layerproof.p2p.identity.PeerId;
import io.layerproof.p2p.identity.PeerKey;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The protocol over an in-memory bus: no sockets, no multicast. */
class MdnsDiscoveryTest {

  private static final InetSocketAddress STRANGER = new InetSocketAddress("192.0.2.99", 5353);

  private final PacketBus bus = new PacketBus();
  private final List<MdnsDiscovery> nodes = new ArrayList<>();

  /** What one node has been told: peer to its latest addresses. */
  private static final class Seen implements PeerListener {
    final Map<PeerId, List<String>> peers = new ConcurrentHashMap<>();
    volatile int calls;

    @Override
    public void peerDiscovered(PeerId peer, List<String> multiaddrs) {
      peers.put(peer, multiaddrs);
      calls++;
    }
  }

  @AfterEach
  void closeAll() {
    nodes.forEach(MdnsDiscovery::close);
  }

  private MdnsDiscovery node(PeerId id, List<String> addrs, Duration interval, Seen seen) {
    MdnsDiscovery d = new MdnsDiscovery(id, () -> addrs, interval, bus.join(), seen);
    nodes.add(d);
    return d;
  }

  private static List<String> addrs(PeerId id, int port) {
    return List.of(
        "/ip4/192.0.2.1/tcp/" + port + "/p2p/" + id,
        "/ip6/fd00::1/udp/" + port + "/quic-v1/p2p/" + id);
  }

  @Test
  void threeNodesFindEachOtherWithTheirAddresses() throws Exception {
    List<PeerId> ids = new ArrayList<>();
    List<Seen> seen = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      ids.add(PeerKey.generate().peerId());
      seen.add(new Seen());
      node(ids.get(i), addrs(ids.get(i), 4001 + i), Duration.ofHours(1), seen.get(i));
    }
    nodes.forEach(MdnsDiscovery::start);
    await(() -> seen.stream().allMatch(s -> s.peers.size() == 2));
    for (int i = 0; i < 3; i++) {
      assertFalse(seen.get(i).peers.containsKey(ids.get(i)), "a node never reports itself");
      for (int j = 0; j < 3; j++) {
        if (i != j) {
          assertEquals(addrs(ids.get(j), 4001 + j), seen.get(i).peers.get(ids.get(j)));
        }
      }
    }
  }

  @Test
  void aLoneNodeAnswersItsOwnQueryButDoesNotReportItself() throws Exception {
    Seen seen = new Seen();
    PeerId id = PeerKey.generate().peerId();
    MdnsDiscovery d = node(id, addrs(id, 4001), Duration.ofHours(1), seen);
    d.start();
    await(() -> bus.sent.size() >= 2); // the query, and our answer to it
    DnsMessage query = DnsMessage.decode(bus.sent.get(0));
    assertEquals(
        List.of(new Question(MdnsDiscovery.SERVICE_NAME, DnsMessage.TYPE_PTR)), query.questions());
    assertTrue(DnsMessage.decode(bus.sent.get(1)).isResponse());
    assertEquals(0, seen.calls);
  }

  @Test
  void theResponseFollowsTheSpec() {
    PeerId id = PeerKey.generate().peerId();
    PeerId other = PeerKey.generate().peerId();
    MdnsDiscovery d =
        node(
            id,
            List.of(
                "/ip4/192.0.2.1/tcp/4001", // gets /p2p/<id> appended
                "/ip4/192.0.2.1/tcp/4002/p2p/" + other, // someone else's: skipped
                "/ip4/192.0.2.1/tcp/4003/p2p/" + id,
                "/ip4/192.0.2.1/tcp/4003/p2p/" + id), // duplicate: once
            Duration.ofHours(1),
            new Seen());
    DnsMessage r = DnsMessage.decode(d.response().encode());
    assertEquals(DnsMessage.FLAG_RESPONSE | DnsMessage.FLAG_AUTHORITATIVE, r.flags());
    assertTrue(r.questions().isEmpty());
    String instance = d.peerName() + "._p2p._udp.local";
    assertTrue(d.peerName().matches("[a-z0-9]{32,63}"), d.peerName());
    assertEquals(
        List.of(new ResourceRecord(MdnsDiscovery.SERVICE_NAME, 120, new Ptr(instance))),
        r.answers());
    List<String> txt = new ArrayList<>();
    for (ResourceRecord rr : r.additionals()) {
      assertEquals(instance, rr.name());
      assertEquals(120, rr.ttl());
      txt.addAll(((Txt) rr.data()).strings());
    }
    assertEquals(
        List.of(
            "dnsaddr=/ip4/192.0.2.1/tcp/4001/p2p/" + id,
            "dnsaddr=/ip4/192.0.2.1/tcp/4003/p2p/" + id),
        txt);
  }

  @Test
  void aFullResponseStaysWithinLimits() {
    PeerId id = PeerKey.generate().peerId();
    String suffix = "/tcp/4001/p2p/" + id;
    List<String> many = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      // 247 chars: the most a TXT string holds after "dnsaddr=".
      String head = "/dns4/" + i + ".";
      many.add(
          head
              + "x".repeat(MdnsDiscovery.MAX_ADDR_LENGTH - head.length() - suffix.length())
              + suffix);
    }
    many.add(0, "/dns4/" + "y".repeat(300) + suffix); // too long for a TXT string: skipped
    MdnsDiscovery d = node(id, many, Duration.ofHours(1), new Seen());
    byte[] wire = d.response().encode();
    assertTrue(wire.length <= DnsMessage.MAX_PACKET, wire.length + " bytes");
    List<ResourceRecord> txts = DnsMessage.decode(wire).additionals();
    assertTrue(txts.size() >= 25 && txts.size() <= MdnsDiscovery.MAX_ADDRS, txts.size() + " TXT");
    assertEquals("dnsaddr=" + many.get(1), ((Txt) txts.get(0).data()).strings().get(0));
  }

  @Test
  void theQueryIsRepeatedEveryInterval() throws Exception {
    PeerId id = PeerKey.generate().peerId();
    node(id, addrs(id, 4001), Duration.ofMillis(40), new Seen()).start();
    await(() -> bus.sent.stream().filter(p -> !DnsMessage.decode(p).isResponse()).count() >= 4);
  }

  @Test
  void queriesForOtherServicesGoUnanswered() throws Exception {
    PeerId id = PeerKey.generate().peerId();
    node(id, addrs(id, 4001), Duration.ofHours(1), new Seen());
    nodes.get(0).start();
    await(() -> bus.sent.size() >= 2);
    int before = bus.sent.size();
    bus.inject(
        DnsMessage.query(new Question("_http._tcp.local", DnsMessage.TYPE_PTR)).encode(), STRANGER);
    bus.inject(
        DnsMessage.query(new Question(MdnsDiscovery.SERVICE_NAME, DnsMessage.TYPE_TXT)).encode(),
        STRANGER);
    assertEquals(before, bus.sent.size());
    bus.inject(
        DnsMessage.query(new Question("_P2P._UDP.LOCAL", DnsMessage.TYPE_PTR)).encode(), STRANGER);
    assertEquals(before + 1, bus.sent.size(), "names are case-insensitive");
  }

  @Test
  void responsesFromOtherImplementationsAreRead() {
    Seen seen = new Seen();
    PeerId me = PeerKey.generate().peerId();
    node(me, addrs(me, 4001), Duration.ofHours(1), seen).start();
    PeerId peer = PeerKey.generate().peerId();
    String instance = "Peer0name._P2P._udp.local";
    String addr = "/ip4/192.0.2.5/tcp/4001/p2p/" + peer;
    // TXT in the answer section, other DNS-SD attributes, one TXT with two strings, names in
    // mixed case, and the same address again in the additional section (reported once).
    bus.inject(
        DnsMessage.response(
                List.of(
                    new ResourceRecord("_p2p._udp.LOCAL", 120, new Ptr(instance)),
                    txt(instance, "version=1", "DNSADDR=" + addr)),
                List.of(txt("peer0name._p2p._udp.local", "dnsaddr=" + addr)))
            .encode(),
        STRANGER);
    assertEquals(Map.of(peer, List.of(addr)), seen.peers);
  }

  /**
   * A response written by another DNS encoder (dnspython 2.8, which compresses every name it can):
   * PTR to abcdef._p2p._udp.local, then TXT and SRV for that name in the additional section.
   */
  static final String COMPRESSED_RESPONSE =
      "000084000000000100000002045f703270045f756470056c6f63616c00000c000100000078000906616263646566"
          + "c00cc0270010000100000078005958646e73616464723d2f6970342f3139322e302e322e312f7463702f34"
          + "3030312f7032702f313244334b6f6f57443365636b69665770526e397751704d4739523968583373443135"
          + "387a37457148576d776551414a55355341c0270021000100000078000a000000000fa10168c016";

  @Test
  void aCompressedResponseFromAnotherEncoderIsRead() {
    Seen seen = new Seen();
    PeerId me = PeerKey.generate().peerId();
    node(me, addrs(me, 4001), Duration.ofHours(1), seen).start();
    bus.inject(java.util.HexFormat.of().parseHex(COMPRESSED_RESPONSE), STRANGER);
    String id = BootstrapPeersTest.SPEC_ID;
    assertEquals(
        Map.of(PeerId.fromString(id), List.of("/ip4/192.0.2.1/tcp/4001/p2p/" + id)), seen.peers);
  }

  @Test
  void malformedOrInconsistentResponsesAreIgnored() {
    Seen seen = new Seen();
    PeerId me = PeerKey.generate().peerId();
    node(me, addrs(me, 4001), Duration.ofHours(1), seen).start();
    PeerId a = PeerKey.generate().peerId();
    PeerId b = PeerKey.generate().peerId();
    String instance = "abcdef._p2p._udp.local";
    String addrA = "/ip4/192.0.2.5/tcp/4001/p2p/" + a;
    String addrB = "/ip4/192.0.2.6/tcp/4001/p2p/" + b;

    // The legacy form, where the name is a peer id, naming a different peer than its TXT.
    respond(a + "._p2p._udp.local", addrB);
    // Two peers' addresses under one peer-name.
    respond(instance, addrA, addrB);
    // A dnsaddr without /p2p/, with a bad id, with spaces.
    respond(instance, "/ip4/192.0.2.5/tcp/4001");
    respond(instance, "/ip4/192.0.2.5/tcp/4001/p2p/QmNotAPeerId");
    respond(instance, "/ip4/192.0.2.5/tcp/4001/p2p/" + a + " ");
    // No dnsaddr at all; a PTR outside the service; a multi-label instance.
    respond(instance);
    respond("abcdef._other._udp.local", addrA);
    respond("x.abcdef._p2p._udp.local", addrA);
    // Our own id from a stranger (a replay, or a node sharing our key).
    respond(instance, "/ip4/192.0.2.5/tcp/4001/p2p/" + me);
    // Garbage.
    bus.inject(new byte[] {1, 2, 3}, STRANGER);
    assertEquals(0, seen.calls);

    // The legacy form with a matching id is fine.
    respond(a + "._p2p._udp.local", addrA);
    assertEquals(Map.of(a, List.of(addrA)), seen.peers);
  }

  @Test
  void aListenerThatThrowsDoesNotStopDiscovery() {
    PeerId me = PeerKey.generate().peerId();
    List<PeerId> told = new ArrayList<>();
    MdnsDiscovery d =
        new MdnsDiscovery(
            me,
            () -> addrs(me, 4001),
            Duration.ofHours(1),
            bus.join(),
            (p, a) -> {
              told.add(p);
              throw new IllegalStateException("listener bug");
            });
    nodes.add(d);
    d.start();
    PeerId a = PeerKey.generate().peerId();
    respond("one._p2p._udp.local", "/ip4/192.0.2.5/tcp/1/p2p/" + a);
    respond("one._p2p._udp.local", "/ip4/192.0.2.5/tcp/1/p2p/" + a);
    assertEquals(List.of(a, a), told);
  }

  @Test
  void aQueryFloodGetsBoundedAnswers() throws Exception {
    PeerId id = PeerKey.generate().peerId();
    node(id, addrs(id, 4001), Duration.ofHours(1), new Seen()).start();
    await(() -> bus.sent.size() >= 2);
    byte[] query =
        DnsMessage.query(new Question(MdnsDiscovery.SERVICE_NAME, DnsMessage.TYPE_PTR)).encode();
    for (int i = 0; i < 100; i++) {
      bus.inject(query, STRANGER);
    }
    long answers = bus.sent.stream().filter(p -> DnsMessage.decode(p).isResponse()).count();
    // The answer to our own start-up query counts in the same one-second window.
    assertTrue(answers <= MdnsDiscovery.MAX_RESPONSES_PER_SECOND, answers + " answers");
  }

  @Test
  void theDnsSdMetaQueryIsAnswered() throws Exception {
    PeerId id = PeerKey.generate().peerId();
    node(id, addrs(id, 4001), Duration.ofHours(1), new Seen()).start();
    await(() -> bus.sent.size() >= 2);
    bus.inject(
        DnsMessage.query(new Question(MdnsDiscovery.SERVICES_NAME, DnsMessage.TYPE_PTR)).encode(),
        STRANGER);
    DnsMessage answer = DnsMessage.decode(bus.sent.get(bus.sent.size() - 1));
    assertEquals(
        List.of(
            new ResourceRecord(
                "_services._dns-sd._udp.local", 120, new Ptr(MdnsDiscovery.SERVICE_NAME))),
        answer.answers());
  }

  private void respond(String instance, String... addrs) {
    List<ResourceRecord> txts = new ArrayList<>();
    for (String addr : addrs) {
      txts.add(txt(instance, "dnsaddr=" + addr));
    }
    bus.inject(
        DnsMessage.response(
                List.of(new ResourceRecord(MdnsDiscovery.SERVICE_NAME, 120, new Ptr(instance))),
                txts)
            .encode(),
        STRANGER);
  }

  private static ResourceRecord txt(String name, String... strings) {
    return new ResourceRecord(name, 1, true, 120, new Txt(List.of(strings)));
  }

  static void await(BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting");
      }
      Thread.sleep(5);
    }
  }
}
