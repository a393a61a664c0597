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

  /** Serves request/response; one handler per network. */
  void onRequest(RequestHandler handler);

  /** Sends one request to {@code peer} and completes with its response. */
  CompletableFuture<byte[]> request(PeerId peer, byte[] payload);

  CompletableFuture<Duration> ping(PeerId peer);

  @Override
  void close();
}
