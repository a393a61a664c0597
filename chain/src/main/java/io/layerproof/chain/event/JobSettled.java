package io.layerproof.chain.event;

import java.math.BigInteger;
import java.util.List;
import java.util.Optional;

/**
 * A job was settled after its challenge window: who was paid what (providers pro rata to layers x
 * tokens, the verifier's fee) and the unused escrow refunded to the buyer. Emitted by the
 * sequencer.
 */
public record JobSettled(Bytes32 jobId, List<Payout> payouts, BigInteger refund)
    implements LedgerEvent {

  public JobSettled {
    Checks.present(jobId, "jobId");
    payouts = Checks.list(payouts, "payouts");
    Checks.uint256(refund, "refund");
  }

  /** Sum of the payouts. */
  public BigInteger paid() {
    return payouts.stream().map(Payout::amount).reduce(BigInteger.ZERO, BigInteger::add);
  }

  @Override
  public Optional<Bytes32> job() {
    return Optional.of(jobId);
  }
}
