package io.layerproof.p2p.discovery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.sun.management.ThreadMXBean;
import io.layerproof.p2p.discovery.DnsMessage.A;
import io.layerproof.p2p.discovery.DnsMessage.Aaaa;
import io.layerproof.p2p.discovery.DnsMessage.Ptr;
import io.layerproof.p2p.discovery.DnsMessage.Question;
import io.layerproof.p2p.discovery.DnsMessage.RData;
import io.layerproof.p2p.discovery.DnsMessage.ResourceRecord;
import io.layerproof.p2p.discovery.DnsMessage.Srv;
import io.layerproof.p2p.discovery.DnsMessage.Txt;
import io.layerproof.p2p.identity.PeerKey;
import java.lang.management.ManagementFactory;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/** Round trips over generated messages, and a seeded fuzz of the decoder. */
class DnsMessagePropertiesTest {

  @Property(tries = 300)
  void decodingAnEncodedMessageGivesItBack(@ForAll("messages") DnsMessage m) {
    byte[] wire = m.encode();
    assertTrue(wire.length <= DnsMessage.MAX_PACKET);
    assertEquals(m, DnsMessage.decode(wire));
  }

  @Provide
  Arbitrary<DnsMessage> messages() {
    Arbitrary<List<Question>> questions = questions().list().ofMaxSize(4);
    Arbitrary<List<ResourceRecord>> records = records().list().ofMaxSize(5);
    return Combinators.combine(
            Arbitraries.integers().between(0, 0xffff),
            Arbitraries.integers().between(0, 0xffff),
            questions,
            records,
            records,
            records)
        .as(DnsMessage::new);
  }

  private static Arbitrary<String> labels() {
    // Any byte, dots and backslashes included, to exercise the escaping.
    return Arbitraries.strings()
        .withChars('.', '\\', '_', '-', 'a', 'Z', '0', (char) 0, (char) 0xff, (char) 0x80)
        .withCharRange('a', 'z')
        .ofMinLength(1)
        .ofMaxLength(63)
        .map(s -> s.replace("\\", "\\\\").replace(".", "\\."));
  }

  private static Arbitrary<String> names() {
    // At most 3 labels of 63 bytes: 3 * 64 + 1 = 193 wire bytes, under the 255 limit.
    return labels().list().ofMaxSize(3).map(l -> String.join(".", l));
  }

  private static Arbitrary<Question> questions() {
    return Combinators.combine(
            names(),
            Arbitraries.integers().between(0, 0xffff),
            Arbitraries.integers().between(0, 0x7fff),
            Arbitraries.of(true, false))
        .as(Question::new);
  }

  private static Arbitrary<ResourceRecord> records() {
    return Combinators.combine(
            names(),
            Arbitraries.integers().between(0, 0x7fff),
            Arbitraries.of(true, false),
            Arbitraries.longs().between(0, 0xffffffffL),
            rdata())
        .as(ResourceRecord::new);
  }

  private static Arbitrary<RData> rdata() {
    Arbitrary<RData> ptr = names().map(Ptr::new);
    Arbitrary<RData> txt =
        Arbitraries.strings()
            .withCharRange((char) 0, (char) 0xff)
            .ofMaxLength(255)
            .list()
            .ofMaxSize(4)
            .map(Txt::new);
    Arbitrary<RData> a =
        Arbitraries.bytes().array(byte[].class).ofSize(4).map(DnsMessagePropertiesTest::v4);
    Arbitrary<RData> aaaa =
        Arbitraries.bytes().array(byte[].class).ofSize(16).map(DnsMessagePropertiesTest::v6);
    Arbitrary<Integer> u16 = Arbitraries.integers().between(0, 0xffff);
    Arbitrary<RData> srv = Combinators.combine(u16, u16, u16, names()).as(Srv::new);
    return Arbitraries.oneOf(ptr, txt, a, aaaa, srv);
  }

  private static RData v4(byte[] b) {
    try {
      return new A((Inet4Address) Inet4Address.getByAddress(b));
    } catch (UnknownHostException e) {
      throw new AssertionError(e);
    }
  }

  private static RData v6(byte[] b) {
    try {
      return new Aaaa(Inet6Address.getByAddress(null, b, (NetworkInterface) null));
    } catch (UnknownHostException e) {
      throw new AssertionError(e);
    }
  }

  /**
   * 5,000 random and mutated packets, seeded so a failure reproduces: the decoder throws only
   * IllegalArgumentException, allocates little, and what it accepts re-encodes to the same message.
   * The mDNS handler sees the same packets and never throws.
   */
  @Test
  void fuzzedPacketsFailOnlyWithIllegalArgument() throws Exception {
    Random random = new Random(0x6d646e73L);
    List<byte[]> seeds = new ArrayList<>();
    HexFormat hex = HexFormat.of();
    seeds.add(hex.parseHex(DnsMessageTest.GOLDEN_QUERY));
    seeds.add(hex.parseHex(DnsMessageTest.GOLDEN_RESPONSE));
    PeerKey key = PeerKey.generate();
    MdnsDiscovery other =
        new MdnsDiscovery(
            key.peerId(),
            () -> List.of("/ip4/192.0.2.7/tcp/4001", "/ip6/::1/udp/4001/quic-v1"),
            Duration.ofHours(1),
            new NullTransport(),
            (p, a) -> {});
    seeds.add(other.response().encode());
    List<Integer> counts = new ArrayList<>();
    MdnsDiscovery handler =
        new MdnsDiscovery(
            PeerKey.generate().peerId(),
            List::of,
            Duration.ofHours(1),
            new NullTransport(),
            (p, a) -> counts.add(a.size()));

    ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
    int accepted = 0;
    long worstAllocation = 0;
    for (int i = 0; i < 5000; i++) {
      byte[] packet = i % 5 == 0 ? randomPacket(random) : mutate(seeds.get(i % 3), random);
      long before = threads.getCurrentThreadAllocatedBytes();
      try {
        DnsMessage m = DnsMessage.decode(packet);
        accepted++;
        try {
          assertEquals(m, DnsMessage.decode(m.encode()));
        } catch (IllegalArgumentException tooBigUncompressed) {
          // Compressed input may grow past 9000 bytes when written out uncompressed.
        }
      } catch (IllegalArgumentException expected) {
        // the only allowed failure
      } catch (Throwable t) {
        fail("packet " + i + " " + hex.formatHex(packet) + " threw " + t, t);
      }
      worstAllocation =
          Math.max(worstAllocation, threads.getCurrentThreadAllocatedBytes() - before);
      handler.onPacket(packet, new InetSocketAddress(5353));
    }
    other.close();
    handler.close();
    assertTrue(accepted > 50, "the mutations should leave some packets valid: " + accepted);
    // Decoding 9000 bytes keeps to strings and records of the packet's own size.
    assertTrue(worstAllocation < 4 << 20, "allocated " + worstAllocation + " bytes for one packet");
    assertTrue(counts.stream().allMatch(n -> n <= MdnsDiscovery.MAX_ADDRS));
  }

  private static byte[] randomPacket(Random random) {
    int length = random.nextInt(20) == 0 ? random.nextInt(9100) : random.nextInt(300);
    byte[] b = new byte[length];
    random.nextBytes(b);
    if (length >= 12 && random.nextBoolean()) {
      // Small counts get past the header check more often.
      for (int i = 4; i < 12; i += 2) {
        b[i] = 0;
        b[i + 1] = (byte) random.nextInt(4);
      }
    }
    return b;
  }

  private static byte[] mutate(byte[] seed, Random random) {
    byte[] b = seed.clone();
    int edits = 1 + random.nextInt(4);
    for (int e = 0; e < edits; e++) {
      int at = random.nextInt(b.length);
      switch (random.nextInt(6)) {
        case 0 -> b[at] = (byte) random.nextInt(256);
        case 1 -> b[at] ^= (byte) (1 << random.nextInt(8));
        case 2 -> b = java.util.Arrays.copyOf(b, at); // truncate
        case 3 -> { // a compression pointer to anywhere
          if (at + 1 < b.length) {
            b[at] = (byte) (0xc0 | random.nextInt(0x40));
            b[at + 1] = (byte) random.nextInt(256);
          }
        }
        case 4 -> b[at] = (byte) (random.nextBoolean() ? 0 : 0xff);
        default -> { // insert a random byte
          byte[] c = new byte[b.length + 1];
          System.arraycopy(b, 0, c, 0, at);
          c[at] = (byte) random.nextInt(256);
          System.arraycopy(b, at, c, at + 1, b.length - at);
          b = c;
        }
      }
      if (b.length == 0) {
        break;
      }
    }
    return b;
  }

  /** Sends nowhere. */
  static final class NullTransport implements MdnsTransport {
    @Override
    public void start(java.util.function.BiConsumer<byte[], InetSocketAddress> receiver) {}

    @Override
    public void send(byte[] packet) {}

    @Override
    public void close() {}
  }
}
