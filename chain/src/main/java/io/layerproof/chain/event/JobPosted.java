package io.layerproof.chain.event;

import io.layerproof.chain.contracts.JobMarketEip712;
import io.layerproof.contracts.generated.JobMarket;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.Optional;

/**
 * A buyer's signed request was accepted. Emitted by the gateway; its envelope carries the buyer's
 * EIP-712 signature over the JobRequest, and {@code jobId} is that request's digest (the id
 * JobMarket uses on chain).
 */
public record JobPosted(
    Bytes32 jobId,
    EthAddress buyer,
    Bytes32 model,
    Bytes32 messagesHash,
    BigInteger maxTokens,
    BigInteger maxPrice,
    BigInteger nonce,
    BigInteger expiry)
    implements LedgerEvent, BuyerAuthorized {

  public JobPosted {
    Checks.present(jobId, "jobId");
    Checks.present(buyer, "buyer");
    Checks.present(model, "model");
    Checks.present(messagesHash, "messagesHash");
    Checks.uint256(maxTokens, "maxTokens");
    Checks.uint256(maxPrice, "maxPrice");
    Checks.uint256(nonce, "nonce");
    Checks.uint256(expiry, "expiry");
  }

  /** The request as JobMarket's typed wrapper holds it. */
  public JobMarket.JobRequest request() {
    return new JobMarket.JobRequest(
        model.toByteArray(), messagesHash.toByteArray(), maxTokens, maxPrice, nonce, expiry);
  }

  @Override
  public byte[] buyerDigest(LedgerDomain domain) {
    return JobMarketEip712.jobRequestDigest(
        domain.chainId(), domain.contract().toString(), request());
  }

  /** Whether {@code jobId} is the request's digest under {@code domain}. */
  public boolean jobIdMatches(LedgerDomain domain) {
    return Arrays.equals(jobId.raw(), buyerDigest(domain));
  }

  @Override
  public Optional<Bytes32> job() {
    return Optional.of(jobId);
  }
}
