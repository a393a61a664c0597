package io.layerproof.chain.event;

import io.layerproof.chain.contracts.JobMarketEip712;
import java.math.BigInteger;

/**
 * A buyer's wallet-signed request for inference, as the gateway receives it. {@link #toEvent} turns
 * it into the {@link JobPosted} fact whose job id is the request's EIP-712 digest.
 */
public record PostJob(
    EthAddress buyer,
    Bytes32 model,
    Bytes32 messagesHash,
    BigInteger maxTokens,
    BigInteger maxPrice,
    BigInteger nonce,
    BigInteger expiry,
    EcdsaSignature buyerSignature)
    implements Command {

  public PostJob {
    Checks.present(buyer, "buyer");
    Checks.present(model, "model");
    Checks.present(messagesHash, "messagesHash");
    Checks.uint256(maxTokens, "maxTokens");
    Checks.uint256(maxPrice, "maxPrice");
    Checks.uint256(nonce, "nonce");
    Checks.uint256(expiry, "expiry");
    Checks.present(buyerSignature, "buyerSignature");
  }

  /** The fact to log; its envelope must carry {@link #buyerSignature()}. */
  public JobPosted toEvent(LedgerDomain domain) {
    JobPosted unsigned =
        new JobPosted(Bytes32.ZERO, buyer, model, messagesHash, maxTokens, maxPrice, nonce, expiry);
    byte[] id =
        JobMarketEip712.jobRequestDigest(
            domain.chainId(), domain.contract().toString(), unsigned.request());
    return new JobPosted(
        Bytes32.of(id), buyer, model, messagesHash, maxTokens, maxPrice, nonce, expiry);
  }
}
