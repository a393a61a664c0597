package io.layerproof.p2p.discovery;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.layerproof.p2p.discovery.DnsMessage.Question;
import io.layerproof.p2p.identity.PeerId;
import io.layerproof.p2p.identity.PeerKey;
import java.io.IOException;
import java.net.NetworkInterface;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Two nodes on this host find each other over the real group 224.0.0.251:5353. Skipped, with the
 * reason, only if no interface here can loop a multicast packet back to a second socket.
 */
class MulticastDiscoveryTest {

  private static final Logger LOG = LoggerFactory.getLogger(MulticastDiscoveryTest.class);

  @Test
  void twoNodesOnThisHostFindEachOther() throws Exception {
    List<String> tried = new ArrayList<>();
    NetworkInterface nif = workingInterface(tried);
    Assumptions.assumeTrue(
        nif != null,
        "no interface here delivers multicast to 224.0.0.251:5353 between two sockets"
            + " (tried: "
            + tried
            + "); the mDNS multicast test needs one");
    LOG.info("multicast test on {}", nif.getName());

    PeerId a = PeerKey.generate().peerId();
    PeerId b = PeerKey.generate().peerId();
    List<String> addrsA = List.of("/ip4/127.0.0.1/tcp/14001/p2p/" + a);
    List<String> addrsB = List.of("/ip4/127.0.0.1/tcp/14002/p2p/" + b);
    Map<PeerId, List<String>> seenByA = new ConcurrentHashMap<>();
    Map<PeerId, List<String>> seenByB = new ConcurrentHashMap<>();
    Duration interval = Duration.ofMillis(500);
    try (MdnsDiscovery da =
            new MdnsDiscovery(
                a, () -> addrsA, interval, MulticastTransport.open(nif), seenByA::put);
        MdnsDiscovery db =
            new MdnsDiscovery(
                b, () -> addrsB, interval, MulticastTransport.open(nif), seenByB::put)) {
      da.start();
      db.start();
      MdnsDiscoveryTest.await(() -> seenByA.containsKey(b) && seenByB.containsKey(a));
    }
    assertEquals(addrsB, seenByA.get(b));
    assertEquals(addrsA, seenByB.get(a));
  }

  /**
   * The default interface, else loopback, else any multicast one: the first where a query sent by
   * one socket on the mDNS port reaches another, with multicast loopback on.
   */
  private static NetworkInterface workingInterface(List<String> tried) throws IOException {
    Set<NetworkInterface> candidates = new LinkedHashSet<>();
    MulticastTransport.defaultInterface().ifPresent(candidates::add);
    NetworkInterface.networkInterfaces()
        .filter(n -> isUp(n) && isLoopback(n))
        .forEach(candidates::add);
    NetworkInterface.networkInterfaces()
        .filter(n -> isUp(n) && supportsMulticast(n))
        .forEach(candidates::add);
    for (NetworkInterface n : candidates) {
      String result = probe(n);
      tried.add(n.getName() + ": " + result);
      if (result.equals("ok")) {
        return n;
      }
    }
    return null;
  }

  private static String probe(NetworkInterface nif) {
    // A question for a name no one owns: harmless on a real network.
    byte[] probe =
        DnsMessage.query(
                new Question(
                    "layerproof-probe-" + UUID.randomUUID().toString().substring(0, 8) + ".local",
                    DnsMessage.TYPE_TXT))
            .encode();
    CountDownLatch arrived = new CountDownLatch(1);
    try (MulticastTransport sender = MulticastTransport.open(nif);
        MulticastTransport receiver = MulticastTransport.open(nif)) {
      receiver.start(
          (packet, from) -> {
            if (Arrays.equals(packet, probe)) {
              arrived.countDown();
            }
          });
      for (int i = 0; i < 3 && arrived.getCount() > 0; i++) {
        sender.send(probe);
        arrived.await(500, TimeUnit.MILLISECONDS);
      }
      return arrived.getCount() == 0 ? "ok" : "joined, but the probe never arrived";
    } catch (IOException | RuntimeException e) {
      return e.toString();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "interrupted";
    }
  }

  private static boolean isUp(NetworkInterface n) {
    try {
      return n.isUp();
    } catch (IOException e) {
      return false;
    }
  }

  private static boolean isLoopback(NetworkInterface n) {
    try {
      return n.isLoopback();
    } catch (IOException e) {
      return false;
    }
  }

  private static boolean supportsMulticast(NetworkInterface n) {
    try {
      return n.supportsMulticast();
    } catch (IOException e) {
      return false;
    }
  }
}
