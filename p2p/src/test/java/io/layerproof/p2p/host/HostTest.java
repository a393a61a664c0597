package io.layerproof.p2p.host;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.layerproof.p2p.identity.PeerId;
import io.layerproof.p2p.identity.PeerKey;
import io.layerproof.p2p.multiaddr.Multiaddr;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Two Java hosts on loopback: requests of every size, ping, identify, refusals. */
@Timeout(120)
class HostTest {

  @Test
  void repeatedLargeRequestsEchoIntactAndAFailedHandlerResetsOnlyItsStream() throws Exception {
    try (Host server = new Host(PeerKey.generate(), HostConfig.defaults());
        Host client = new Host(PeerKey.generate(), HostConfig.defaults())) {
      server.onRequest(
          (from, req) ->
              req.length == 3
                  ? CompletableFuture.failedFuture(new IllegalStateException("refused"))
                  : CompletableFuture.completedFuture(req));
      Multiaddr addr = server.listen(Multiaddr.fromString("/ip4/127.0.0.1/tcp/0"));
      PeerId peer = client.connect(addr).get(30, TimeUnit.SECONDS);
      assertEquals(server.self(), peer);
      for (int size : new int[] {0, 1, 65_535, 300_000, 4 << 20, 4 << 20, 4 << 20, 16 << 20}) {
        byte[] payload = new byte[size];
        for (int i = 0; i < size; i++) {
          payload[i] = (byte) (i * 31 + 7);
        }
        assertArrayEquals(
            payload, client.request(peer, payload).get(60, TimeUnit.SECONDS), "size " + size);
      }
      ExecutionException refused =
          assertThrows(
              ExecutionException.class,
              () -> client.request(peer, new byte[3]).get(30, TimeUnit.SECONDS));
      assertTrue(refused.getCause().getMessage().contains("reset"), refused.toString());
      // Over the 16 MiB limit is refused before anything is sent.
      assertThrows(
          IllegalArgumentException.class,
          () -> client.request(peer, new byte[(16 << 20) + 1]).join());
      assertTrue(client.ping(peer).get(10, TimeUnit.SECONDS).toNanos() > 0);
      assertTrue(server.connectedPeers().contains(client.self()));
    }
  }

  @Test
  void eachRequestProtocolReachesItsOwnHandlerAndIdentifyListsThem() throws Exception {
    try (Host server = new Host(PeerKey.generate(), HostConfig.defaults());
        Host client = new Host(PeerKey.generate(), HostConfig.defaults())) {
      server.onRequest("/test/upper/1.0.0", (from, req) -> done(new byte[] {'U', req[0]}));
      server.onRequest("/test/lower/1.0.0", (from, req) -> done(new byte[] {'L', req[0]}));
      Multiaddr addr = server.listen(Multiaddr.fromString("/ip4/127.0.0.1/tcp/0"));
      PeerId peer = client.connect(addr).get(30, TimeUnit.SECONDS);
      assertArrayEquals(
          new byte[] {'U', 1},
          client.request(peer, "/test/upper/1.0.0", new byte[] {1}).get(30, TimeUnit.SECONDS));
      assertArrayEquals(
          new byte[] {'L', 2},
          client.request(peer, "/test/lower/1.0.0", new byte[] {2}).get(30, TimeUnit.SECONDS));
      // A protocol the server does not serve fails in multistream-select, not in a handler.
      ExecutionException unserved =
          assertThrows(
              ExecutionException.class,
              () ->
                  client
                      .request(peer, "/test/absent/1.0.0", new byte[] {3})
                      .get(30, TimeUnit.SECONDS));
      assertTrue(unserved.getCause() != null, unserved.toString());
      assertThrows(
          ExecutionException.class,
          () -> client.request(peer, new byte[] {4}).get(30, TimeUnit.SECONDS),
          "the default protocol is not served unless a handler is set");
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (client.identified(peer).isEmpty() && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
      var protocols = client.identified(peer).orElseThrow().protocols();
      assertTrue(protocols.contains("/test/upper/1.0.0"), protocols.toString());
      assertTrue(protocols.contains("/test/lower/1.0.0"), protocols.toString());
      // Bad ids and the host's own protocols are refused at registration.
      assertThrows(IllegalArgumentException.class, () -> server.onRequest("no-slash", null));
      assertThrows(IllegalArgumentException.class, () -> server.onRequest("/a\nb", null));
      assertThrows(
          IllegalArgumentException.class, () -> server.onRequest("/ipfs/ping/1.0.0", null));
    }
  }

  private static CompletableFuture<byte[]> done(byte[] b) {
    return CompletableFuture.completedFuture(b);
  }

  @Test
  void hostsFindEachOtherByMdnsAndByBootstrapAddresses() throws Exception {
    try (Host a = new Host(PeerKey.generate(), HostConfig.defaults());
        Host b = new Host(PeerKey.generate(), HostConfig.defaults());
        Host c = new Host(PeerKey.generate(), HostConfig.defaults())) {
      Multiaddr aAddr = a.listen(Multiaddr.fromString("/ip4/127.0.0.1/tcp/0"));
      b.listen(Multiaddr.fromString("/ip4/127.0.0.1/tcp/0"));
      c.listen(Multiaddr.fromString("/ip4/127.0.0.1/tcp/0"));

      assertEquals(java.util.List.of(a.self()), c.bootstrap(java.util.List.of(aAddr.toString())));
      assertThrows(
          IllegalArgumentException.class, () -> c.bootstrap(java.util.List.of("/ip4/1.2.3.4")));

      try {
        a.startMdns(java.time.Duration.ofMillis(200));
        b.startMdns(java.time.Duration.ofMillis(200));
      } catch (java.io.IOException noMulticast) {
        org.junit.jupiter.api.Assumptions.assumeTrue(
            false, "no multicast-capable interface: " + noMulticast.getMessage());
      }
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      while (!a.connectedPeers().contains(b.self())) {
        assertTrue(System.nanoTime() < deadline, "mDNS did not connect a and b");
        Thread.sleep(50);
      }
      assertTrue(b.connectedPeers().contains(a.self()));
    }
  }
}
