package io.layerproof.p2p.pubsub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.layerproof.p2p.identity.PeerId;
import io.layerproof.p2p.identity.PeerKey;
import io.layerproof.p2p.pubsub.ControlMessage.Graft;
import io.layerproof.p2p.pubsub.ControlMessage.IHave;
import io.layerproof.p2p.pubsub.ControlMessage.IWant;
import io.layerproof.p2p.pubsub.ControlMessage.PeerInfo;
import io.layerproof.p2p.pubsub.ControlMessage.Prune;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** One router against scripted peers: the v1.1 rules one at a time. */
class GossipRouterTest {

  private static final String T = "topic";

  private record Sent(PeerId to, Rpc rpc) {}

  private final VirtualScheduler clock = new VirtualScheduler();
  private final List<Sent> sent = new ArrayList<>();
  private final List<PubsubMessage> delivered = new ArrayList<>();
  private final Random random = new Random(1);
  private GossipRouter router;

  @BeforeEach
  void setUp() {
    router = newRouter(GossipConfig.forTests());
  }

  private GossipRouter newRouter(GossipConfig config) {
    return new GossipRouter(
        key(),
        config,
        clock,
        (to, rpc) -> sent.add(new Sent(to, rpc)),
        new Random(2),
        MessageIdFunction.FROM_AND_SEQNO,
        new SeqnoGenerator(1000));
  }

  private PeerKey key() {
    byte[] seed = new byte[32];
    random.nextBytes(seed);
    return PeerKey.ofSeed(seed);
  }

  /** A connected peer subscribed to T. */
  private PeerKey peer(boolean outbound, String protocol) {
    PeerKey k = key();
    router.addPeer(k.peerId(), outbound, protocol);
    router.onRpc(k.peerId(), Rpc.ofSubscriptions(List.of(new Rpc.SubOpts(true, T))));
    return k;
  }

  private PeerKey peer() {
    return peer(false, GossipProtocols.MESHSUB_V11);
  }

  private static Rpc control(
      List<IHave> ihave, List<IWant> iwant, List<Graft> graft, List<Prune> prune) {
    return Rpc.ofControl(new ControlMessage(ihave, iwant, graft, prune, List.of()));
  }

  private List<Prune> prunesTo(PeerId p) {
    return sent.stream()
        .filter(s -> s.to.equals(p))
        .flatMap(s -> s.rpc.control().prune().stream())
        .toList();
  }

  private List<PubsubMessage> messagesTo(PeerId p) {
    return sent.stream()
        .filter(s -> s.to.equals(p))
        .flatMap(s -> s.rpc.messages().stream())
        .toList();
  }

  private PubsubMessage signed(PeerKey author, String text, long seq) {
    return MessageSigning.sign(
        author, T, text.getBytes(StandardCharsets.UTF_8), new SeqnoGenerator(seq).next());
  }

  @Test
  void protocolIds() {
    assertEquals("/meshsub/1.1.0", GossipProtocols.MESHSUB_V11);
    assertEquals("/meshsub/1.0.0", GossipProtocols.MESHSUB_V10);
  }

  @Test
  void subscribingAnnouncesAndGrafts() {
    PeerKey a = peer();
    router.subscribe(T, (t, m) -> delivered.add(m));
    assertTrue(router.meshPeers(T).contains(a.peerId()));
    List<Rpc> toA = sent.stream().filter(s -> s.to.equals(a.peerId())).map(Sent::rpc).toList();
    assertTrue(
        toA.stream().anyMatch(r -> r.subscriptions().equals(List.of(new Rpc.SubOpts(true, T)))));
    assertTrue(toA.stream().anyMatch(r -> r.control().graft().equals(List.of(new Graft(T)))));
    // A peer connecting later is told our subscriptions straight away.
    PeerKey b = key();
    router.addPeer(b.peerId(), true);
    assertEquals(
        List.of(new Rpc.SubOpts(true, T)), sent.get(sent.size() - 1).rpc().subscriptions());
  }

  @Test
  void messagesAreValidatedDeliveredOnceAndForwardedToTheMesh() {
    router.subscribe(T, (t, m) -> delivered.add(m));
    PeerKey a = peer();
    PeerKey b = peer();
    router.onRpc(a.peerId(), control(List.of(), List.of(), List.of(new Graft(T)), List.of()));
    router.onRpc(b.peerId(), control(List.of(), List.of(), List.of(new Graft(T)), List.of()));
    PeerKey author = key();
    PubsubMessage m = signed(author, "hello", 1);
    router.onRpc(a.peerId(), Rpc.ofMessages(List.of(m)));
    router.onRpc(b.peerId(), Rpc.ofMessages(List.of(m)));
    assertEquals(List.of(m), delivered);
    assertEquals(List.of(m), messagesTo(b.peerId()), "forwarded to the mesh");
    assertTrue(messagesTo(a.peerId()).isEmpty(), "not back to the forwarder");
    assertEquals(1, router.stats().duplicates());
    assertTrue(router.score(a.peerId()) > 0, "first delivery counts (P2)");
  }

  @Test
  void validatorRejectPenalisesTheForwarderAndIgnoreDoesNot() {
    router.subscribe(T, (t, m) -> delivered.add(m));
    router.setValidator(
        T,
        (from, m) ->
            m.data().toStringUtf8().startsWith("bad")
                ? ValidationResult.REJECT
                : m.data().toStringUtf8().startsWith("old")
                    ? ValidationResult.IGNORE
                    : ValidationResult.ACCEPT);
    PeerKey a = peer();
    PeerKey author = key();
    router.onRpc(a.peerId(), Rpc.ofMessages(List.of(signed(author, "old", 1))));
    assertEquals(0.0, router.score(a.peerId()));
    router.onRpc(a.peerId(), Rpc.ofMessages(List.of(signed(author, "bad", 2))));
    assertTrue(router.score(a.peerId()) < 0);
    assertTrue(delivered.isEmpty());
    assertEquals(1, router.stats().rejected());
    assertEquals(1, router.stats().ignored());
  }

  @Test
  void graftDuringBackoffIsPenalisedAndRefused() {
    router.subscribe(T, (t, m) -> {});
    PeerKey a = peer();
    router.onRpc(a.peerId(), control(List.of(), List.of(), List.of(new Graft(T)), List.of()));
    assertTrue(router.meshPeers(T).contains(a.peerId()));
    router.onRpc(
        a.peerId(), control(List.of(), List.of(), List.of(), List.of(new Prune(T, List.of(), 60))));
    assertFalse(router.meshPeers(T).contains(a.peerId()));
    sent.clear();
    router.onRpc(a.peerId(), control(List.of(), List.of(), List.of(new Graft(T)), List.of()));
    assertFalse(router.meshPeers(T).contains(a.peerId()));
    assertEquals(
        List.of(new Prune(T, List.of(), 60)), prunesTo(a.peerId()), "refused, no peer exchange");
    assertTrue(router.score(a.peerId()) < 0, "P7: grafting in backoff (and so soon: flooding)");
    // The heartbeat does not graft a peer in backoff either.
    for (int i = 0; i < 5; i++) {
      clock.advance(100);
      router.heartbeat();
    }
    assertFalse(router.meshPeers(T).contains(a.peerId()));
  }

  @Test
  void oversubscribedMeshRefusesInboundGraftsWithPeerExchangeAndTrimsToD() {
    router.subscribe(T, (t, m) -> {});
    List<PeerKey> peers = new ArrayList<>();
    // 13 inbound peers (one too many), then 3 outbound ones, which are accepted past D_hi.
    for (int i = 0; i < 16; i++) {
      peers.add(peer(i >= 13, GossipProtocols.MESHSUB_V11));
    }
    sent.clear();
    for (PeerKey p : peers) {
      router.onRpc(p.peerId(), control(List.of(), List.of(), List.of(new Graft(T)), List.of()));
    }
    GossipConfig c = router.config();
    assertEquals(c.dHi() + 3, router.meshPeers(T).size());
    List<Prune> refused = prunesTo(peers.get(12).peerId());
    assertEquals(1, refused.size());
    assertEquals(60, refused.get(0).backoffSeconds());
    assertFalse(refused.get(0).peers().isEmpty(), "peer exchange offered");
    router.heartbeat();
    assertEquals(c.d(), router.meshPeers(T).size());
    long outbound =
        router.meshPeers(T).stream()
            .filter(p -> peers.subList(13, 16).stream().anyMatch(k -> k.peerId().equals(p)))
            .count();
    assertTrue(outbound >= c.dOut(), "D_out outbound peers kept");
  }

  @Test
  void v10PeersArePrunedWithoutBackoffOrPeerExchange() {
    router.subscribe(T, (t, m) -> {});
    PeerKey old = peer(true, GossipProtocols.MESHSUB_V10);
    PeerKey modern = peer(true, GossipProtocols.MESHSUB_V11);
    router.heartbeat(); // grafts both (below D_lo)
    assertEquals(2, router.meshPeers(T).size());
    router.unsubscribe(T);
    assertEquals(List.of(new Prune(T, List.of(), 0)), prunesTo(old.peerId()));
    assertEquals(10, prunesTo(modern.peerId()).get(0).backoffSeconds(), "unsubscribe backoff");
  }

  @Test
  void iwantIsServedAtMostGossipRetransmissionTimes() {
    router.subscribe(T, (t, m) -> {});
    PeerKey a = peer();
    PubsubMessage mine = router.publish(T, new byte[] {1});
    ByteString id = MessageIdFunction.FROM_AND_SEQNO.apply(mine);
    sent.clear();
    for (int i = 0; i < 5; i++) {
      router.onRpc(
          a.peerId(), control(List.of(), List.of(new IWant(List.of(id))), List.of(), List.of()));
    }
    assertEquals(router.config().gossipRetransmission(), messagesTo(a.peerId()).size());
    assertEquals(router.config().gossipRetransmission(), router.stats().messagesServedByIWant());
  }

  @Test
  void theMessageIdFunctionIsPluggable() {
    router =
        new GossipRouter(
            key(),
            GossipConfig.forTests(),
            clock,
            (to, rpc) -> sent.add(new Sent(to, rpc)),
            new Random(2),
            MessageIdFunction.JS_LIBP2P,
            new SeqnoGenerator(5));
    router.subscribe(T, (t, m) -> {});
    PeerKey a = peer();
    PubsubMessage mine = router.publish(T, new byte[] {1});
    sent.clear();
    router.onRpc(
        a.peerId(),
        control(
            List.of(),
            List.of(new IWant(List.of(MessageIdFunction.FROM_AND_SEQNO.apply(mine)))),
            List.of(),
            List.of()));
    assertTrue(sent.isEmpty(), "the go-style id is unknown to a js-style router");
    router.onRpc(
        a.peerId(),
        control(
            List.of(),
            List.of(new IWant(List.of(MessageIdFunction.JS_LIBP2P.apply(mine)))),
            List.of(),
            List.of()));
    assertEquals(List.of(mine), messagesTo(a.peerId()));
  }

  @Test
  void aBrokenIwantPromiseIsPenalised() {
    router.subscribe(T, (t, m) -> {});
    PeerKey liar = peer();
    ByteString id = ByteString.copyFromUtf8("never-delivered");
    router.onRpc(
        liar.peerId(),
        control(List.of(new IHave(T, List.of(id))), List.of(), List.of(), List.of()));
    List<IWant> asked = sent.stream().flatMap(s -> s.rpc.control().iwant().stream()).toList();
    assertEquals(List.of(new IWant(List.of(id))), asked);
    clock.advance(router.config().iwantFollowupTime().toMillis() + 1);
    router.heartbeat();
    assertEquals(1, router.stats().brokenPromises());
    assertTrue(router.score(liar.peerId()) < 0);
    // A second broken promise takes it below the gossip threshold.
    ByteString id2 = ByteString.copyFromUtf8("never-either");
    router.onRpc(
        liar.peerId(),
        control(List.of(new IHave(T, List.of(id2))), List.of(), List.of(), List.of()));
    clock.advance(router.config().iwantFollowupTime().toMillis() + 1);
    router.heartbeat();
    assertEquals(2, router.stats().brokenPromises());
    assertTrue(router.score(liar.peerId()) < router.config().thresholds().gossip());
    // Below the gossip threshold, its IHAVEs are no longer answered.
    sent.clear();
    router.onRpc(
        liar.peerId(),
        control(
            List.of(new IHave(T, List.of(ByteString.copyFromUtf8("x")))),
            List.of(),
            List.of(),
            List.of()));
    assertTrue(sent.isEmpty());
  }

  @Test
  void ihaveFloodsAreCappedPerHeartbeat() {
    router.subscribe(T, (t, m) -> {});
    PeerKey a = peer();
    sent.clear();
    for (int i = 0; i < 20; i++) {
      router.onRpc(
          a.peerId(),
          control(
              List.of(new IHave(T, List.of(ByteString.copyFromUtf8("id" + i)))),
              List.of(),
              List.of(),
              List.of()));
    }
    assertEquals(router.config().maxIHaveMessages(), sent.size());
    router.heartbeat();
    sent.clear();
    router.onRpc(
        a.peerId(),
        control(
            List.of(new IHave(T, List.of(ByteString.copyFromUtf8("next")))),
            List.of(),
            List.of(),
            List.of()));
    assertEquals(1, sent.size(), "counters reset each heartbeat");
  }

  @Test
  void gossipGoesToNonMeshPeersOnly() {
    router.subscribe(T, (t, m) -> {});
    List<PeerKey> peers = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      peers.add(peer());
    }
    router.heartbeat();
    PubsubMessage m = router.publish(T, new byte[] {7});
    sent.clear();
    router.heartbeat();
    List<PeerId> gossiped =
        sent.stream().filter(s -> !s.rpc.control().ihave().isEmpty()).map(Sent::to).toList();
    assertEquals(10 - router.meshPeers(T).size(), gossiped.size());
    gossiped.forEach(p -> assertFalse(router.meshPeers(T).contains(p)));
    assertEquals(
        List.of(MessageIdFunction.FROM_AND_SEQNO.apply(m)),
        sent.stream()
            .flatMap(s -> s.rpc.control().ihave().stream())
            .findFirst()
            .get()
            .messageIds());
  }

  @Test
  void fanoutServesUnsubscribedPublishingAndExpires() {
    router = newRouter(GossipConfig.forTests().withFloodPublish(false));
    for (int i = 0; i < 10; i++) {
      peer();
    }
    router.publish(T, new byte[] {1});
    assertEquals(router.config().d(), router.fanoutPeers(T).size());
    assertEquals(
        router.config().d(), sent.stream().filter(s -> !s.rpc.messages().isEmpty()).count());
    clock.advance(router.config().fanoutTtl().toMillis() + 1);
    router.heartbeat();
    assertTrue(router.fanoutPeers(T).isEmpty());
  }

  @Test
  void floodPublishReachesEveryTopicPeer() {
    router.subscribe(T, (t, m) -> {});
    for (int i = 0; i < 10; i++) {
      peer();
    }
    router.heartbeat();
    sent.clear();
    router.publish(T, new byte[] {1});
    assertEquals(10, sent.stream().filter(s -> !s.rpc.messages().isEmpty()).count());
  }

  @Test
  void peerExchangeIsOfferedOnlyFromWellScoredPeers() {
    router.subscribe(T, (t, m) -> {});
    List<List<PeerInfo>> offers = new ArrayList<>();
    router.setPeerExchangeListener((topic, peers) -> offers.add(peers));
    PeerKey a = peer();
    List<PeerInfo> px = List.of(new PeerInfo(ByteString.copyFrom(key().peerId().toBytes()), null));
    router.onRpc(
        a.peerId(), control(List.of(), List.of(), List.of(), List.of(new Prune(T, px, 60))));
    assertTrue(offers.isEmpty(), "score 0 is below the accept-PX threshold");
    PeerKey author = key();
    for (int i = 0; i < 12; i++) {
      router.onRpc(a.peerId(), Rpc.ofMessages(List.of(signed(author, "m", i))));
    }
    router.onRpc(
        a.peerId(), control(List.of(), List.of(), List.of(), List.of(new Prune(T, px, 60))));
    assertEquals(List.of(px), offers);
  }

  @Test
  void unknownPeersAndRemovedPeersAreIgnored() {
    router.subscribe(T, (t, m) -> delivered.add(m));
    PeerKey stranger = key();
    router.onRpc(stranger.peerId(), Rpc.ofMessages(List.of(signed(stranger, "hi", 1))));
    assertTrue(delivered.isEmpty());
    PeerKey a = peer();
    router.heartbeat();
    assertTrue(router.meshPeers(T).contains(a.peerId()));
    router.removePeer(a.peerId());
    assertTrue(router.meshPeers(T).isEmpty());
    assertTrue(router.topicPeers(T).isEmpty());
  }
}
