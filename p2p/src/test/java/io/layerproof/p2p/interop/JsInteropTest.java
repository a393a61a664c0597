package io.layerproof.p2p.interop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.layerproof.p2p.P2pNetwork;
import io.layerproof.p2p.host.Host;
import io.layerproof.p2p.host.HostConfig;
import io.layerproof.p2p.identity.PeerId;
import io.layerproof.p2p.identity.PeerKey;
import io.layerproof.p2p.multiaddr.Multiaddr;
import io.layerproof.p2p.protocol.IdentifyMessage;
import io.layerproof.p2p.protocol.ProtocolIds;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The Java host against real js-libp2p 2.10 peers (TCP, Noise, yamux, identify, ping, GossipSub
 * 14.1.2, the request/response protocol): Java dials js and js dials Java, and everything runs both
 * ways.
 */
@Timeout(180)
class JsInteropTest {

  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final String TOPIC = "layerproof/interop";

  @Test
  void aPeerIdFromTheSameSeedIsTheSameInJavaAndJs() throws Exception {
    byte[] seed = new byte[32];
    for (int i = 0; i < 32; i++) {
      seed[i] = (byte) (7 * i + 3);
    }
    try (JsPeer js = JsPeer.start(JsPeer.options().name("seed").key(seed))) {
      assertEquals(js.peerId(), PeerKey.ofSeed(seed).peerId().toBase58());
      assertEquals(PeerKey.ofSeed(seed).peerId(), PeerId.fromString(js.peerId()));
    }
  }

  @Test
  void javaAndJsDialEachOtherPingIdentifyGossipAndExchangeFourMebibytes() throws Exception {
    try (Host java = new Host(PeerKey.generate(), HostConfig.defaults());
        JsPeer dialed = JsPeer.start(JsPeer.options().name("dialed"));
        JsPeer dialer = JsPeer.start(JsPeer.options().name("dialer"))) {
      Multiaddr javaAddr = java.listen(Multiaddr.fromString("/ip4/127.0.0.1/tcp/0"));
      LinkedBlockingQueue<String> received = new LinkedBlockingQueue<>();
      java.subscribe(
          TOPIC,
          (author, data) -> {
            received.add(author + " " + new String(data, StandardCharsets.UTF_8));
            return P2pNetwork.Validation.ACCEPT;
          });
      java.onRequest((from, req) -> CompletableFuture.completedFuture(JsPeer.reversed(req)));

      // Java dials js; js dials Java. Noise authenticates both: each learns the other's id.
      PeerId dialedId = java.connect(Multiaddr.fromString(dialed.addr())).get(30, TimeUnit.SECONDS);
      assertEquals(dialed.peerId(), dialedId.toBase58());
      assertEquals(java.self().toBase58(), dialer.dial(javaAddr.toString()));
      PeerId dialerId = PeerId.fromString(dialer.peerId());
      awaitTrue(() -> java.connectedPeers().contains(dialerId), "js dialer connected");

      // Ping, both directions.
      Duration rtt = java.ping(dialedId).get(10, TimeUnit.SECONDS);
      assertTrue(rtt.toNanos() > 0);
      JsonNode jsPing = dialer.ping(java.self().toBase58());
      assertTrue(jsPing.get("elapsedMs").asDouble() > 0, jsPing.toString());

      // Identify, both directions.
      JsonNode jsView = dialer.identify(java.self().toBase58());
      assertEquals("layerproof/0.1.0", jsView.get("agentVersion").asText());
      List<String> protocols = new ArrayList<>();
      jsView.get("protocols").forEach(p -> protocols.add(p.asText()));
      assertTrue(protocols.contains(ProtocolIds.REQUEST_RESPONSE), protocols.toString());
      assertTrue(protocols.contains(ProtocolIds.GOSSIPSUB_V11), protocols.toString());
      awaitTrue(() -> java.identified(dialedId).isPresent(), "identify of the js peer");
      IdentifyMessage jsSelf = java.identified(dialedId).orElseThrow();
      assertTrue(jsSelf.agentVersion().startsWith("js-libp2p/"), jsSelf.agentVersion());
      assertEquals(
          dialedId,
          io.layerproof.p2p.identity.PeerPublicKey.fromProtobuf(jsSelf.publicKey()).peerId());

      // Gossip both ways, with both js peers in the mesh.
      dialed.subscribe(TOPIC);
      dialer.subscribe(TOPIC);
      dialed.awaitMeshPeer(TOPIC, java.self().toBase58(), WAIT);
      dialer.awaitMeshPeer(TOPIC, java.self().toBase58(), WAIT);
      awaitTrue(
          () ->
              java.onGossipThread(() -> java.router().topicPeers(TOPIC))
                  .containsAll(List.of(dialedId, dialerId)),
          "the Java router learning both js subscriptions");
      java.publish(TOPIC, "from java".getBytes(StandardCharsets.UTF_8));
      String hexJava = HexFormat.of().formatHex("from java".getBytes(StandardCharsets.UTF_8));
      for (JsPeer js : List.of(dialed, dialer)) {
        JsonNode m = js.awaitEvent("message", e -> e.get("dataHex").asText().equals(hexJava), WAIT);
        assertEquals(java.self().toBase58(), m.get("from").asText());
      }
      dialed.publish(TOPIC, "from js".getBytes(StandardCharsets.UTF_8));
      String got = received.poll(30, TimeUnit.SECONDS);
      assertEquals(dialedId + " from js", got);

      // 4 MiB request/response both ways (the responder answers with the bytes reversed).
      int size = 4 * 1024 * 1024;
      byte[] payload = JsPeer.requestPayload(size);
      byte[] answer = java.request(dialedId, payload).get(60, TimeUnit.SECONDS);
      assertArrayEquals(JsPeer.reversed(payload), answer);
      JsonNode jsAsked = dialer.request(java.self().toBase58(), size);
      assertEquals(size, jsAsked.get("responseSize").asInt());
      assertEquals(
          JsPeer.sha256Hex(JsPeer.reversed(payload)), jsAsked.get("responseSha256").asText());
    }
  }

  private static void awaitTrue(java.util.function.BooleanSupplier condition, String what)
      throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what);
      }
      Thread.sleep(20);
    }
  }
}
