package io.layerproof.p2p.host;

import io.layerproof.p2p.P2pNetwork;
import io.layerproof.p2p.discovery.BootstrapPeers;
import io.layerproof.p2p.discovery.MdnsDiscovery;
import io.layerproof.p2p.discovery.MulticastTransport;
import io.layerproof.p2p.identity.PeerId;
import io.layerproof.p2p.identity.PeerKey;
import io.layerproof.p2p.multiaddr.Multiaddr;
import io.layerproof.p2p.mux.MuxStream;
import io.layerproof.p2p.mux.StreamHandler;
import io.layerproof.p2p.mux.YamuxMuxer;
import io.layerproof.p2p.protocol.Identify;
import io.layerproof.p2p.protocol.IdentifyMessage;
import io.layerproof.p2p.protocol.Ping;
import io.layerproof.p2p.protocol.ProtocolIds;
import io.layerproof.p2p.protocol.RequestResponse;
import io.layerproof.p2p.pubsub.ExecutorScheduler;
import io.layerproof.p2p.pubsub.GossipRouter;
import io.layerproof.p2p.pubsub.MessageIdFunction;
import io.layerproof.p2p.pubsub.PubsubMessage;
import io.layerproof.p2p.pubsub.Rpc;
import io.layerproof.p2p.pubsub.RpcCodec;
import io.layerproof.p2p.pubsub.RpcFrameDecoder;
import io.layerproof.p2p.pubsub.SeqnoGenerator;
import io.layerproof.p2p.pubsub.ValidationResult;
import io.layerproof.p2p.transport.TcpTransport;
import io.layerproof.p2p.transport.UpgradedConnection;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A libp2p host: TCP with Noise and yamux ({@link TcpTransport}, {@link YamuxMuxer}), and on each
 * connection the protocols of {@link ProtocolIds} chosen per stream with multistream-select:
 * identify, ping, request/response and GossipSub (one router, {@link GossipRouter}, driven on its
 * own thread). One connection per peer is used for new streams; a duplicate (both sides dialed at
 * once) stays open as a spare.
 */
public final class Host implements P2pNetwork {

  private static final Logger log = LoggerFactory.getLogger(Host.class);

  /** One upgraded connection to a peer, with its muxer and our gossip stream on it. */
  private static final class PeerConnection {
    final UpgradedConnection upgraded;
    final YamuxMuxer muxer;
    volatile MuxStream gossipOut;

    PeerConnection(UpgradedConnection upgraded, YamuxMuxer muxer) {
      this.upgraded = upgraded;
      this.muxer = muxer;
    }
  }

  private final PeerKey key;
  private final HostConfig config;
  private final TcpTransport transport;
  private final ScheduledExecutorService gossipThread;
  private final GossipRouter router;
  private final RpcCodec rpcCodec = new RpcCodec();
  private final Map<PeerId, List<PeerConnection>> connections = new ConcurrentHashMap<>();
  private final List<Multiaddr> listening = new CopyOnWriteArrayList<>();
  private final List<Consumer<PeerEvent>> peerListeners = new CopyOnWriteArrayList<>();

  /** Request/response handlers by protocol id; identify lists them. */
  private final Map<String, RequestHandler> requestHandlers = new ConcurrentHashMap<>();

  private volatile boolean closed;

  public Host(PeerKey key, HostConfig config) {
    this.key = key;
    this.config = config;
    this.gossipThread =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "gossip-" + key.peerId().toBase58().substring(0, 14));
              t.setDaemon(true);
              return t;
            });
    // Message ids as js-libp2p's gossipsub computes them (author key || seqno): IHAVE/IWANT ids
    // must agree across implementations, or each side counts the other's gossip as broken
    // promises.
    this.router =
        new GossipRouter(
            key,
            config.gossip(),
            new ExecutorScheduler(gossipThread),
            this::sendRpc,
            new java.util.Random(),
            MessageIdFunction.JS_LIBP2P,
            SeqnoGenerator.fromClock());
    this.transport = new TcpTransport(key, config.transport(), this::onUpgraded);
    gossipThread.execute(router::start);
  }

  // ------------------------------------------------------------------ lifecycle

  /** Listens on {@code address} (port 0 picks one); returns the bound address with our id. */
  public Multiaddr listen(Multiaddr address) {
    Multiaddr bound = transport.listen(address).join().withPeerId(key.peerId());
    listening.add(bound);
    return bound;
  }

  @Override
  public PeerId self() {
    return key.peerId();
  }

  @Override
  public List<Multiaddr> listenAddresses() {
    return List.copyOf(listening);
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (mdns != null) {
      mdns.close();
    }
    try {
      gossipThread.submit(router::stop).get(5, TimeUnit.SECONDS);
    } catch (Exception e) {
      log.debug("gossip router did not stop cleanly", e);
    }
    gossipThread.shutdownNow();
    connections.values().forEach(list -> list.forEach(c -> c.muxer.close()));
    transport.close();
  }

  // ------------------------------------------------------------------ discovery

  /**
   * Dials each bootstrap peer ({@code /ip4/.../tcp/.../p2p/<id>}); returns those that answered.
   *
   * @throws IllegalArgumentException if an entry is not such an address
   */
  public List<PeerId> bootstrap(List<String> peers) {
    List<CompletableFuture<PeerId>> dials = new ArrayList<>();
    for (BootstrapPeers.Peer p : BootstrapPeers.parse(peers)) {
      for (String a : p.multiaddrs()) {
        dials.add(connect(Multiaddr.fromString(a)).exceptionally(e -> null));
      }
    }
    return dials.stream()
        .map(CompletableFuture::join)
        .filter(java.util.Objects::nonNull)
        .distinct()
        .toList();
  }

  private volatile MdnsDiscovery mdns;

  /**
   * Announces this host on the LAN with mDNS (libp2p's {@code _p2p._udp.local}) and dials the peers
   * it hears of, at their first TCP address.
   *
   * @throws java.io.IOException if no interface can join the multicast group
   */
  public synchronized void startMdns(Duration queryInterval) throws java.io.IOException {
    if (mdns != null) {
      return;
    }
    mdns =
        new MdnsDiscovery(
            key.peerId(),
            () -> listening.stream().map(Multiaddr::toString).toList(),
            queryInterval,
            MulticastTransport.open(),
            (peer, addrs) -> {
              if (closed || isConnected(peer)) {
                return;
              }
              addrs.stream()
                  .filter(a -> a.contains("/tcp/"))
                  .findFirst()
                  .ifPresent(
                      a ->
                          connect(Multiaddr.fromString(a))
                              .exceptionally(
                                  e -> {
                                    log.debug("mDNS peer {} unreachable: {}", peer, e.getMessage());
                                    return null;
                                  }));
            });
    mdns.start();
  }

  // ------------------------------------------------------------------ connections

  @Override
  public CompletableFuture<PeerId> connect(Multiaddr address) {
    PeerId expected = address.peerId().orElse(null);
    if (expected != null && isConnected(expected)) {
      return CompletableFuture.completedFuture(expected);
    }
    return transport.dial(address).thenApply(UpgradedConnection::remotePeerId);
  }

  @Override
  public Set<PeerId> connectedPeers() {
    return Set.copyOf(connections.keySet());
  }

  @Override
  public void onPeerEvent(Consumer<PeerEvent> listener) {
    peerListeners.add(listener);
  }

  private boolean isConnected(PeerId peer) {
    return current(peer).isPresent();
  }

  private Optional<PeerConnection> current(PeerId peer) {
    List<PeerConnection> list = connections.get(peer);
    if (list == null) {
      return Optional.empty();
    }
    return list.stream().filter(c -> c.upgraded.channel().isActive()).findFirst();
  }

  /** Runs on the connection's event loop once Noise and the muxer are agreed. */
  private void onUpgraded(UpgradedConnection up) {
    YamuxMuxer muxer = YamuxMuxer.install(up.channel(), up.initiator(), config.yamux());
    PeerConnection c = new PeerConnection(up, muxer);
    PeerId peer = up.remotePeerId();
    boolean first =
        connections
                .compute(
                    peer,
                    (p, l) -> {
                      List<PeerConnection> list = l == null ? new CopyOnWriteArrayList<>() : l;
                      list.add(c);
                      return list;
                    })
                .size()
            == 1;
    muxer.onInboundStream(s -> accept(c, s));
    up.channel().closeFuture().addListener(f -> onClosed(c));
    if (first) {
      log.debug("connected to {} at {}", peer, up.remoteAddress());
      peerListeners.forEach(l -> l.accept(new PeerEvent(peer, PeerEvent.Kind.CONNECTED)));
      openGossip(c);
      identify(c);
    }
  }

  private void onClosed(PeerConnection c) {
    PeerId peer = c.upgraded.remotePeerId();
    boolean gone =
        connections.computeIfPresent(
                peer,
                (p, list) -> {
                  list.remove(c);
                  return list.isEmpty() ? null : list;
                })
            == null;
    if (gone) {
      log.debug("disconnected from {}", peer);
      identified.remove(peer);
      if (!closed) {
        gossipThread.execute(() -> router.removePeer(peer));
      }
      peerListeners.forEach(l -> l.accept(new PeerEvent(peer, PeerEvent.Kind.DISCONNECTED)));
    } else if (c.gossipOut != null) {
      current(peer).ifPresent(this::openGossip);
    }
  }

  private CompletableFuture<StreamSelect.Selected> open(PeerId peer, List<String> protocols) {
    PeerConnection c = current(peer).orElse(null);
    if (c == null) {
      return CompletableFuture.failedFuture(new IllegalStateException("not connected to " + peer));
    }
    return c.muxer
        .openStream()
        .thenCompose(s -> StreamSelect.open(s, protocols, config.streamSelectTimeout()));
  }

  private static final Set<String> BUILT_IN =
      Set.of(
          ProtocolIds.IDENTIFY,
          ProtocolIds.PING,
          ProtocolIds.GOSSIPSUB_V11,
          ProtocolIds.GOSSIPSUB_V10);

  /**
   * What a remote may open a stream for: the built-in protocols and every served request id. Kept
   * as one immutable set, rebuilt when a handler is registered, since every inbound stream reads
   * it.
   */
  private volatile Set<String> supported = BUILT_IN;

  private Set<String> supported() {
    return supported;
  }

  private void accept(PeerConnection c, MuxStream stream) {
    PeerId peer = c.upgraded.remotePeerId();
    StreamSelect.accept(stream, supported(), config.streamSelectTimeout())
        .whenComplete(
            (sel, e) -> {
              if (e != null) {
                log.debug("stream from {} refused: {}", peer, e.getMessage());
                return;
              }
              RequestHandler handler = requestHandlers.get(sel.protocol());
              if (handler != null) {
                RequestResponse.serve(
                    sel.stream(), config.maxRequestBytes(), req -> handler.onRequest(peer, req));
                return;
              }
              switch (sel.protocol()) {
                case ProtocolIds.IDENTIFY -> Identify.respond(sel.stream(), identifyMessage(c));
                case ProtocolIds.PING -> Ping.serve(sel.stream());
                default -> readGossip(peer, sel.stream());
              }
            });
  }

  // ------------------------------------------------------------------ identify and ping

  private IdentifyMessage identifyMessage(PeerConnection c) {
    List<byte[]> addrs = new ArrayList<>();
    listening.forEach(a -> addrs.add(a.withoutPeerId().toBytes()));
    return new IdentifyMessage(
        ProtocolIds.PROTOCOL_VERSION,
        config.agentVersion(),
        key.publicKey().toProtobuf(),
        addrs,
        c.upgraded.remoteAddress().withoutPeerId().toBytes(),
        List.copyOf(supported()));
  }

  private final Map<PeerId, IdentifyMessage> identified = new ConcurrentHashMap<>();

  private void identify(PeerConnection c) {
    PeerId peer = c.upgraded.remotePeerId();
    c.muxer
        .openStream()
        .thenCompose(
            s -> StreamSelect.open(s, List.of(ProtocolIds.IDENTIFY), config.streamSelectTimeout()))
        .thenCompose(sel -> Identify.request(sel.stream()))
        .whenComplete(
            (msg, e) -> {
              if (e != null) {
                log.debug("identify of {} failed: {}", peer, e.getMessage());
              } else {
                identified.put(peer, msg);
              }
            });
  }

  /** What {@code peer} told us about itself, once identify completed. */
  public Optional<IdentifyMessage> identified(PeerId peer) {
    return Optional.ofNullable(identified.get(peer));
  }

  @Override
  public CompletableFuture<Duration> ping(PeerId peer) {
    return open(peer, List.of(ProtocolIds.PING)).thenCompose(sel -> Ping.ping(sel.stream()));
  }

  // ------------------------------------------------------------------ request/response

  @Override
  public void onRequest(String protocol, RequestHandler handler) {
    if (BUILT_IN.contains(protocol)) {
      throw new IllegalArgumentException(protocol + " is served by the host itself");
    }
    synchronized (requestHandlers) {
      requestHandlers.put(ProtocolIds.requireValid(protocol), handler);
      Set<String> all = new java.util.TreeSet<>(BUILT_IN);
      all.addAll(requestHandlers.keySet());
      supported = java.util.Collections.unmodifiableSet(all);
    }
  }

  @Override
  public CompletableFuture<byte[]> request(PeerId peer, String protocol, byte[] payload) {
    ProtocolIds.requireValid(protocol);
    if (payload.length > config.maxRequestBytes()) {
      throw new IllegalArgumentException(
          "request of " + payload.length + " bytes over " + config.maxRequestBytes());
    }
    return open(peer, List.of(protocol))
        .thenCompose(
            sel -> RequestResponse.request(sel.stream(), payload, config.maxRequestBytes()))
        .orTimeout(config.requestTimeout().toMillis(), TimeUnit.MILLISECONDS);
  }

  // ------------------------------------------------------------------ gossip

  @Override
  public void subscribe(String topic, TopicHandler handler) {
    gossipThread.execute(
        () -> {
          router.setValidator(
              topic,
              (forwarder, m) ->
                  switch (handler.onMessage(author(m), m.data().toByteArray())) {
                    case ACCEPT -> ValidationResult.ACCEPT;
                    case REJECT -> ValidationResult.REJECT;
                    case IGNORE -> ValidationResult.IGNORE;
                  });
          router.subscribe(topic, (t, m) -> {});
        });
  }

  private static PeerId author(PubsubMessage m) {
    return PeerId.fromBytes(m.from().toByteArray());
  }

  @Override
  public void unsubscribe(String topic) {
    gossipThread.execute(
        () -> {
          router.unsubscribe(topic);
          router.removeValidator(topic);
        });
  }

  @Override
  public void publish(String topic, byte[] data) {
    gossipThread.execute(() -> router.publish(topic, data));
  }

  /** Runs {@code task} on the gossip thread (tests and metrics read the router there). */
  public <T> T onGossipThread(java.util.concurrent.Callable<T> task) {
    try {
      return gossipThread.submit(task).get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  public GossipRouter router() {
    return router;
  }

  /** Opens our outbound gossip stream on {@code c}; the router learns the peer once it is up. */
  private void openGossip(PeerConnection c) {
    PeerId peer = c.upgraded.remotePeerId();
    c.muxer
        .openStream()
        .thenCompose(
            s ->
                StreamSelect.open(
                    s,
                    List.of(ProtocolIds.GOSSIPSUB_V11, ProtocolIds.GOSSIPSUB_V10),
                    config.streamSelectTimeout()))
        .whenComplete(
            (sel, e) -> {
              if (e != null) {
                log.debug("no gossip with {}: {}", peer, e.getMessage());
                return;
              }
              c.gossipOut = sel.stream();
              sel.stream()
                  .setHandler(
                      new StreamHandler() {
                        @Override
                        public void onData(MuxStream s, ByteBuf data) {
                          data.release(); // the peer sends on its own stream
                        }
                      });
              boolean outbound = c.upgraded.initiator();
              String protocol = sel.protocol();
              gossipThread.execute(() -> router.addPeer(peer, outbound, protocol));
            });
  }

  private void sendRpc(PeerId to, Rpc rpc) {
    MuxStream out = current(to).map(c -> c.gossipOut).orElse(null);
    if (out == null) {
      return;
    }
    out.write(Unpooled.wrappedBuffer(rpcCodec.encodeFramed(rpc)));
  }

  /** Reads a peer's gossip stream: framed RPCs into the router, in order. */
  private void readGossip(PeerId peer, MuxStream stream) {
    RpcFrameDecoder decoder = new RpcFrameDecoder(rpcCodec);
    stream.setHandler(
        new StreamHandler() {
          @Override
          public void onData(MuxStream s, ByteBuf data) {
            byte[] bytes;
            try {
              bytes = ByteBufUtil.getBytes(data);
            } finally {
              data.release();
            }
            List<Rpc> rpcs;
            try {
              rpcs = decoder.feed(bytes);
            } catch (RuntimeException e) {
              log.info("closing gossip stream from {}: {}", peer, e.getMessage());
              s.reset();
              return;
            }
            if (!rpcs.isEmpty()) {
              gossipThread.execute(() -> rpcs.forEach(r -> router.onRpc(peer, r)));
            }
          }
        });
  }
}
