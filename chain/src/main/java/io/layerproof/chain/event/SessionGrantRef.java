package io.layerproof.chain.event;

import io.layerproof.contracts.generated.JobMarket;
import java.math.BigInteger;

/**
 * The spending session a job was opened under: the buyer signed this {@code SessionGrant} once, and
 * JobMarket's {@code openJobWithSession} charged the job's maxPrice against its cap.
 */
public record SessionGrantRef(
    Bytes32 sessionId, BigInteger spendingCap, BigInteger expiry, BigInteger nonce) {

  private static final BigInteger UINT64_MAX = BigInteger.TWO.pow(64).subtract(BigInteger.ONE);

  public SessionGrantRef {
    Checks.present(sessionId, "sessionId");
    Checks.uint256(spendingCap, "spendingCap");
    Checks.uint256(nonce, "nonce");
    Checks.uint256(expiry, "expiry");
    if (expiry.compareTo(UINT64_MAX) > 0) {
      throw new IllegalArgumentException("expiry must fit in uint64");
    }
  }

  /** The grant as JobMarket's typed wrapper holds it. */
  public JobMarket.SessionGrant toWrapper() {
    return new JobMarket.SessionGrant(sessionId.toByteArray(), spendingCap, expiry, nonce);
  }
}
