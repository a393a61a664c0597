package io.layerproof.chain.settlement;

import java.math.BigInteger;
import java.util.List;

/**
 * How a job ended on chain, as the contract emitted it: its {@code Payout} events (in log order)
 * and the transaction that settled it, whoever sent it.
 *
 * @param outcome FINALIZED (finalize) or FRAUD (resolveFraud)
 * @param payouts the job's Payout events: verifier fee and provider shares after finalize,
 *     challenger rewards after fraud (the slashed provider and the job's other providers get none)
 * @param refund the buyer's escrow released unspent: maxPrice - cost after finalize, the whole
 *     maxPrice after fraud
 * @param cost what the buyer paid (finalize), zero after fraud
 * @param verifierFee the verifier's part of cost (finalize), zero after fraud
 * @param fraudShard the shard proven fraudulent, null unless FRAUD
 * @param accused the slashed provider, null unless FRAUD
 * @param slashed stake taken from the accused, null unless FRAUD
 * @param challengerRewards sum of the challengers' payouts, null unless FRAUD
 * @param toTreasury the slash's remainder sent to the treasury, null unless FRAUD
 * @param txHash the transaction that emitted these events
 * @param blockNumber its block
 * @param gasUsed its gas (receipt gasUsed)
 * @param sentByUs whether this settler sent it
 */
public record Settlement(
    Outcome outcome,
    List<PayoutEntry> payouts,
    BigInteger refund,
    BigInteger cost,
    BigInteger verifierFee,
    Long fraudShard,
    String accused,
    BigInteger slashed,
    BigInteger challengerRewards,
    BigInteger toTreasury,
    String txHash,
    long blockNumber,
    long gasUsed,
    boolean sentByUs) {

  public Settlement {
    payouts = List.copyOf(payouts);
  }

  /** JobMarket's final job states. */
  public enum Outcome {
    FINALIZED,
    FRAUD
  }

  /** Sum of the payouts. */
  public BigInteger paid() {
    return payouts.stream().map(PayoutEntry::amount).reduce(BigInteger.ZERO, BigInteger::add);
  }
}
