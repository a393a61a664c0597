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
