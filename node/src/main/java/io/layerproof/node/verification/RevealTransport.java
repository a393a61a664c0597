package io.layerproof.node.verification;

import io.layerproof.chain.event.EthAddress;
import java.util.Optional;

/**
 * Carries a verifier's encoded {@link io.layerproof.verifier.reveal.RevealRequest} to a shard's
 * provider and brings back its encoded {@link io.layerproof.verifier.reveal.RevealResponse}, as p2p
 * request/response will. Only bytes cross it ({@link io.layerproof.verifier.wire.RevealCodec}), so
 * each side decodes what it receives within its own {@link
 * io.layerproof.verifier.reveal.RevealLimits} and trusts nothing the other sent.
 */
public interface RevealTransport {

  /**
   * @param provider the shard's provider, as JobMarket assigned it
   * @return the provider's encoded answer, or empty when none came before the reveal window closed
   */
  Optional<byte[]> exchange(EthAddress provider, byte[] request);
}
