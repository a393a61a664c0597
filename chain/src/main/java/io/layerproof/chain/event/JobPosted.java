package io.layerproof.chain.event;

import io.layerproof.chain.contracts.JobMarketEip712;
import io.layerproof.contracts.generated.JobMarket;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.Optional;

/**
 * A buyer's request was accepted and opened on chain. Emitted by the gateway; {@code jobId} is the
 * request's EIP-712 JobRequest digest (the id JobMarket uses on chain). Its envelope carries the
 * buyer's signature: over the JobRequest itself, or, for a job opened under a spending session
 * ({@code session} present), over that session's grant.
 */
public record JobPosted(
    Bytes32 jobId,
    EthAddress buyer,
    Bytes32 model,
    Bytes32 messagesHash,
    BigInteger maxTokens,
    BigInteger maxPrice,
    BigInteger nonce,
    BigInteger expiry,
    SessionGrantRef session)
    implements LedgerEvent, BuyerAuthorized {

  /** A request the buyer signed itself. */
  public JobPosted(
      Bytes32 jobId,
      EthAddress buyer,
      Bytes32 model,
      Bytes32 messagesHash,
      BigInteger maxTokens,
      BigInteger maxPrice,
      BigInteger nonce,
      BigInteger expiry) {
    this(jobId, buyer, model, messagesHash, maxTokens, maxPrice, nonce, expiry, null);
  }

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

  /** The request's EIP-712 digest under {@code domain}: what {@code jobId} must be. */
  public byte[] requestDigest(LedgerDomain domain) {
    return JobMarketEip712.jobRequestDigest(
        domain.chainId(), domain.contract().toString(), request());
  }

  /** What the buyer signed: the request, or the session grant it was opened under. */
  @Override
  public byte[] buyerDigest(LedgerDomain domain) {
    if (session == null) {
      return requestDigest(domain);
    }
    return JobMarketEip712.sessionGrantDigest(
        domain.chainId(), domain.contract().toString(), session.toWrapper());
  }

  /** Whether {@code jobId} is the request's digest under {@code domain}. */
  public boolean jobIdMatches(LedgerDomain domain) {
    return Arrays.equals(jobId.raw(), requestDigest(domain));
  }

  @Override
  public Optional<Bytes32> job() {
    return Optional.of(jobId);
  }
}
