package io.layerproof.p2p.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Proves the interop harness with js-libp2p on both ends: two {@link JsPeer}s dial, ping, identify,
 * gossip both ways and exchange a 4 MiB request/response. When this passes and a Java interop test
 * fails, the fault is on the Java side.
 */
@Timeout(120)
class JsPeerSelfTest {

  private static final Duration WAIT = Duration.ofSeconds(20);

  @Test
  void twoJsPeersDialPingIdentifyGossipAndRequest() throws Exception {
    try (JsPeer a = JsPeer.start(JsPeer.options().name("a"));
        JsPeer b = JsPeer.start(JsPeer.options().name("b").gossipD(3))) {
      assertTrue(a.addr().startsWith("/ip4/127.0.0.1/tcp/"), a.addr());
      assertTrue(a.addr().endsWith("/p2p/" + a.peerId()), a.addr());
      assertNotEquals(a.peerId(), b.peerId());

      // dial
      assertEquals(b.peerId(), a.dial(b.addr()));
      a.awaitEvent("peer:connect", e -> e.get("peer").asText().equals(b.peerId()), WAIT);
      b.awaitEvent("peer:connect", e -> e.get("peer").asText().equals(a.peerId()), WAIT);
      assertTrue(peerIds(a.peers()).contains(b.peerId()));

      // ping
      for (int i = 0; i < 5; i++) {
        JsonNode ping = a.ping(b.peerId());
        assertTrue(ping.get("rttMs").asDouble() >= 0, ping.toString());
        assertTrue(ping.get("elapsedMs").asDouble() > 0, ping.toString());
      }

      // identify
      JsonNode id = a.identify(b.peerId());
      assertEquals(b.peerId(), id.get("peer").asText());
      List<String> protocols = texts(id.get("protocols"));
      for (String p :
          List.of(
              "/ipfs/id/1.0.0", "/ipfs/ping/1.0.0", "/meshsub/1.1.0", JsPeer.REQRESP_PROTOCOL)) {
        assertTrue(protocols.contains(p), p + " missing from " + protocols);
      }
      assertTrue(id.get("agentVersion").asText().startsWith("js-libp2p/2.10.0"), id.toString());
      String bListen = b.addr().substring(0, b.addr().indexOf("/p2p/"));
      assertTrue(texts(id.get("listenAddrs")).contains(bListen), id.toString());

      // gossip both ways
      String topic = "layerproof/selftest";
      a.subscribe(topic);
      b.subscribe(topic);
      a.awaitMeshPeer(topic, b.peerId(), WAIT);
      b.awaitMeshPeer(topic, a.peerId(), WAIT);

      byte[] fromA = "hello from a".getBytes(StandardCharsets.UTF_8);
      JsonNode published = a.publish(topic, fromA);
      assertTrue(texts(published.get("recipients")).contains(b.peerId()), published.toString());
      JsonNode gotB =
          b.awaitEvent(
              "message", e -> e.get("dataHex").asText().equals(hex(fromA)), Duration.ofSeconds(10));
      assertEquals(topic, gotB.get("topic").asText());
      assertEquals(a.peerId(), gotB.get("from").asText());
      assertFalse(gotB.get("seqno").asText().isEmpty());

      byte[] fromB = "and back from b".getBytes(StandardCharsets.UTF_8);
      b.publish(topic, fromB);
      JsonNode gotA =
          a.awaitEvent(
              "message", e -> e.get("dataHex").asText().equals(hex(fromB)), Duration.ofSeconds(10));
      assertEquals(b.peerId(), gotA.get("from").asText());
      // emitSelf is false: a publisher never hears its own message
      assertThrows(
          AssertionError.class,
          () ->
              a.awaitEvent(
                  "message",
                  e -> e.get("dataHex").asText().equals(hex(fromA)),
                  Duration.ofMillis(500)));

      // 4 MiB request/response: the js responder answers with the bytes reversed
      int size = 4 * 1024 * 1024;
      byte[] request = JsPeer.requestPayload(size);
      JsonNode rr = a.request(b.peerId(), size);
      assertEquals(size, rr.get("requestSize").asInt());
      assertEquals(size, rr.get("responseSize").asInt());
      assertEquals(JsPeer.sha256Hex(request), rr.get("requestSha256").asText());
      assertEquals(JsPeer.sha256Hex(JsPeer.reversed(request)), rr.get("responseSha256").asText());
      JsonNode served =
          b.awaitEvent("request", e -> e.get("from").asText().equals(a.peerId()), WAIT);
      assertEquals(size, served.get("size").asInt());
      assertEquals(JsPeer.sha256Hex(request), served.get("sha256").asText());

      // and the other way, an empty request
      JsonNode empty = b.request(a.peerId(), 0);
      assertEquals(0, empty.get("responseSize").asInt());
      assertEquals(JsPeer.sha256Hex(new byte[0]), empty.get("responseSha256").asText());

      // errors come back as exceptions, and the peer keeps going
      assertThrows(JsPeer.JsPeerException.class, () -> a.command("no-such-command"));
      assertTrue(a.ping(b.peerId()).get("rttMs").asDouble() >= 0);
    }
  }

  @Test
  void aFixedKeyGivesAFixedPeerId() throws Exception {
    byte[] seed = new byte[32];
    for (int i = 0; i < seed.length; i++) {
      seed[i] = (byte) (i + 1);
    }
    String first;
    try (JsPeer p = JsPeer.start(JsPeer.options().name("key1").key(seed))) {
      first = p.peerId();
    }
    try (JsPeer p = JsPeer.start(JsPeer.options().name("key2").key(seed))) {
      assertEquals(first, p.peerId());
    }
    assertTrue(first.startsWith("12D3KooW"), first);
  }

  private static String hex(byte[] bytes) {
    return HexFormat.of().formatHex(bytes);
  }

  private static List<String> texts(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }

  private static List<String> peerIds(JsonNode peers) {
    List<String> out = new ArrayList<>();
    peers.get("peers").forEach(p -> out.add(p.get("peer").asText()));
    return out;
  }
}
