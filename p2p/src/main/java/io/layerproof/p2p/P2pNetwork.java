package io.layerproof.p2p;

import io.layerproof.p2p.identity.PeerId;
import io.layerproof.p2p.multiaddr.Multiaddr;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * What the node needs of the network, and nothing about jobs: peers, gossip topics, and
 * request/response for large payloads. Callbacks run on network threads; hand heavy work off.
 */
public interface P2pNetwork extends AutoCloseable {

  /** A peer came or went. */
  record PeerEvent(PeerId peer, Kind kind) {
    public enum Kind {
      CONNECTED,
      DISCONNECTED
    }
  }

  /** What a topic subscriber makes of a message: gossip forwards only what was accepted. */
  enum Validation {
    /** Valid: deliver and forward. */
    ACCEPT,
    /** Invalid: drop and penalise the peer that sent it. */
    REJECT,
    /** Not for us now (e.g. a duplicate fact): drop without penalty. */
    IGNORE
  }

  /** Receives a topic's messages; returns the validation result. */
  @FunctionalInterface
  interface TopicHandler {
    Validation onMessage(PeerId author, byte[] data);
  }

  /** Answers requests: a failed future resets the requester's stream. */
  @FunctionalInterface
  interface RequestHandler {
    CompletableFuture<byte[]> onRequest(PeerId from, byte[] request);
  }

  PeerId self();

  /** Where this node listens, each with {@code /p2p/<self>}. */
  List<Multiaddr> listenAddresses();

  /** Dials {@code address} (which names the peer with {@code /p2p/...}). */
  CompletableFuture<PeerId> connect(Multiaddr address);

  Set<PeerId> connectedPeers();

  void onPeerEvent(Consumer<PeerEvent> listener);

  void subscribe(String topic, TopicHandler handler);

  void unsubscribe(String topic);

  /** Signs and publishes {@code data} on {@code topic}. */
  void publish(String topic, byte[] data);

  /**
   * Serves request/response under {@code protocol} (a multistream-select id such as {@code
   * /layerproof/reveal/1.0.0}): one handler per protocol, a later one replacing it. Each kind of
   * exchange gets its own id, as libp2p protocols do, so a peer can tell from identify what this
   * node answers.
   */
  void onRequest(String protocol, RequestHandler handler);

  /** Sends one request to {@code peer} under {@code protocol} and completes with its response. */
  CompletableFuture<byte[]> request(PeerId peer, String protocol, byte[] payload);

  /** {@link #onRequest(String, RequestHandler)} under {@code /layerproof/reqresp/1.0.0}. */
  default void onRequest(RequestHandler handler) {
    onRequest(io.layerproof.p2p.protocol.ProtocolIds.REQUEST_RESPONSE, handler);
  }

  /** {@link #request(PeerId, String, byte[])} under {@code /layerproof/reqresp/1.0.0}. */
  default CompletableFuture<byte[]> request(PeerId peer, byte[] payload) {
    return request(peer, io.layerproof.p2p.protocol.ProtocolIds.REQUEST_RESPONSE, payload);
  }

  CompletableFuture<Duration> ping(PeerId peer);

  @Override
  void close();
}
