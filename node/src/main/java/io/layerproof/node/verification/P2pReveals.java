package io.layerproof.node.verification;

import io.layerproof.chain.event.EthAddress;
import io.layerproof.p2p.P2pNetwork;
import io.layerproof.p2p.identity.PeerId;
import io.layerproof.p2p.identity.PeerPublicKey;
import io.layerproof.p2p.multiaddr.Multiaddr;
import io.layerproof.verifier.reveal.RevealLimits;
import io.layerproof.verifier.reveal.RevealRequest;
import io.layerproof.verifier.reveal.RevealServer;
import io.layerproof.verifier.wire.MalformedRevealException;
import io.layerproof.verifier.wire.RevealCodec;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reveals over libp2p: the verifier sends the encoded request to the provider's peer with
 * request/response under {@value #PROTOCOL} (Noise + yamux underneath) and takes the encoded answer
 * back. A provider's peer id is its registered Ed25519 node key read as a libp2p key, so Noise
 * proves the verifier is talking to the node JobMarket assigned.
 */
public final class P2pReveals implements RevealTransport {

  private static final Logger log = LoggerFactory.getLogger(P2pReveals.class);

  /** The request/response protocol id of reveals. */
  public static final String PROTOCOL = "/layerproof/reveal/1.0.0";

  private final P2pNetwork network;
  private final Function<EthAddress, Optional<Multiaddr>> addresses;
  private final Duration window;

  /**
   * @param network the verifier's host
   * @param addresses where each provider listens, with {@code /p2p/<its node key's peer id>}
   * @param window how long to wait for an answer (the reveal window)
   */
  public P2pReveals(
      P2pNetwork network, Function<EthAddress, Optional<Multiaddr>> addresses, Duration window) {
    this.network = Objects.requireNonNull(network, "network");
    this.addresses = Objects.requireNonNull(addresses, "addresses");
    this.window = Objects.requireNonNull(window, "window");
  }

  /** The libp2p peer id of a registered Ed25519 node key (32 raw bytes). */
  public static PeerId peerIdOf(byte[] nodeKey) {
    return PeerPublicKey.ofRaw(nodeKey).peerId();
  }

  @Override
  public Optional<byte[]> exchange(EthAddress provider, byte[] request) {
    Optional<Multiaddr> where = addresses.apply(provider);
    if (where.isEmpty()) {
      return Optional.empty();
    }
    try {
      PeerId peer = network.connect(where.get()).get(window.toMillis(), TimeUnit.MILLISECONDS);
      return Optional.of(
          network.request(peer, PROTOCOL, request).get(window.toMillis(), TimeUnit.MILLISECONDS));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    } catch (Exception e) {
      // No answer within the window is what the escalation counts as a refusal.
      log.info("no reveal from {}: {}", provider, e.getMessage());
      return Optional.empty();
    }
  }

  /**
   * Serves {@code server}'s reveals on {@code network}: each request is decoded within {@code
   * limits} and answered encoded; a malformed request or one beyond the commitment resets the
   * stream, as an unanswered request would look.
   */
  public static void serve(P2pNetwork network, RevealServer server, RevealLimits limits) {
    network.onRequest(
        PROTOCOL,
        (from, bytes) -> {
          RevealRequest decoded;
          try {
            decoded = RevealCodec.decodeRequest(bytes, limits);
          } catch (MalformedRevealException e) {
            return CompletableFuture.failedFuture(e);
          }
          try {
            return server
                .answer(decoded)
                .map(r -> CompletableFuture.completedFuture(RevealCodec.encode(r)))
                .orElseGet(
                    () -> CompletableFuture.failedFuture(new IllegalStateException("no answer")));
          } catch (IllegalArgumentException e) {
            return CompletableFuture.failedFuture(e);
          }
        });
  }
}
