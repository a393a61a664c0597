package io.layerproof.node.gateway;

import io.layerproof.chain.event.Bytes32;
import io.layerproof.chain.event.EthAddress;
import io.layerproof.wallet.eip712.ChatRequest;
import io.layerproof.wallet.eip712.SessionGrant;
import java.math.BigInteger;
import java.util.Objects;

/**
 * Why the gateway may spend a buyer's escrow on one chat request: what the sequencer needs to open
 * the job on chain in the buyer's name.
 */
public sealed interface Authorisation {

  /** Whose escrow pays. */
  EthAddress buyer();

  /** The most the job may cost (token base units): locked on chain when it opens. */
  BigInteger maxPrice();

  /**
   * The buyer signed this very request: {@code signature} is the JobMarket {@code JobRequest}
   * signature that {@code openJob} checks and the ledger's {@code JobPosted} carries.
   */
  record Signed(EthAddress buyer, ChatRequest request, byte[] signature) implements Authorisation {
    public Signed {
      Objects.requireNonNull(buyer, "buyer");
      Objects.requireNonNull(request, "request");
      signature = signature.clone();
    }

    @Override
    public byte[] signature() {
      return signature.clone();
    }

    @Override
    public BigInteger maxPrice() {
      return request.maxPrice();
    }
  }

  /**
   * A request under a spending session: the buyer signed {@code grant} once; the gateway chose the
   * request's terms ({@code maxPrice}, a fresh nonce, an expiry) within it.
   *
   * @param messagesHash keccak256 of the canonical messages (as a signed request would carry)
   * @param maxTokens the completion bound the request was quoted for
   */
  record Session(
      EthAddress buyer,
      SessionGrant grant,
      byte[] grantSignature,
      Bytes32 messagesHash,
      long maxTokens,
      BigInteger maxPrice)
      implements Authorisation {
    public Session {
      Objects.requireNonNull(buyer, "buyer");
      Objects.requireNonNull(grant, "grant");
      Objects.requireNonNull(messagesHash, "messagesHash");
      Objects.requireNonNull(maxPrice, "maxPrice");
      grantSignature = grantSignature.clone();
    }

    @Override
    public byte[] grantSignature() {
      return grantSignature.clone();
    }
  }
}
