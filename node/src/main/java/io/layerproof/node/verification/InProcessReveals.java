package io.layerproof.node.verification;

import io.layerproof.chain.event.EthAddress;
import io.layerproof.verifier.reveal.RevealLimits;
import io.layerproof.verifier.reveal.RevealRequest;
import io.layerproof.verifier.reveal.RevealServer;
import io.layerproof.verifier.wire.MalformedRevealException;
import io.layerproof.verifier.wire.RevealCodec;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Providers' reveal servers in this process, reached through their encoded messages exactly as a
 * network peer would reach them: the request is decoded on the provider's side within its limits,
 * the answer encoded back. Until reveals travel over p2p this is how a devnet or a test connects
 * verifiers and providers.
 */
public final class InProcessReveals implements RevealTransport {

  private final Map<EthAddress, RevealServer> servers = new ConcurrentHashMap<>();
  private final RevealLimits limits;

  /**
   * @param limits what the providers accept
   */
  public InProcessReveals(RevealLimits limits) {
    this.limits = limits;
  }

  /** {@code provider}'s reveals come from {@code server} from now on. */
  public void serve(EthAddress provider, RevealServer server) {
    servers.put(provider, server);
  }

  @Override
  public Optional<byte[]> exchange(EthAddress provider, byte[] request) {
    RevealServer server = servers.get(provider);
    if (server == null) {
      return Optional.empty(); // nobody listens: the window closes without an answer
    }
    RevealRequest decoded;
    try {
      decoded = RevealCodec.decodeRequest(request, limits);
    } catch (MalformedRevealException e) {
      return Optional.empty(); // a provider does not answer bytes that are not a request
    }
    try {
      return server.answer(decoded).map(RevealCodec::encode);
    } catch (IllegalArgumentException e) {
      // RevealServer's contract: a request beyond the limits or for cells never committed.
      return Optional.empty();
    }
  }
}
