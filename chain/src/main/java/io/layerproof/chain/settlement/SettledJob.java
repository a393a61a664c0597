package io.layerproof.chain.settlement;

import io.layerproof.chain.event.Bytes32;
import io.layerproof.chain.event.EthAddress;
import io.layerproof.chain.event.JobSettled;
import io.layerproof.chain.event.Payout;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

/**
 * A settled job whose ledger event the caller still owes the log (an outbox entry, kept until
 * {@link SettlementService#acknowledgeLedgerEvent} says it was signed and appended).
 *
 * @param seq the job's settledSeq (outbox order)
 * @param jobId 0x job id
 * @param settlement how it ended on chain
 */
public record SettledJob(long seq, String jobId, Settlement settlement) {

  /**
   * The ledger event to sign: {@code JobSettled(jobId, payouts, refund)} where payouts and refund
   * are the buyer's money. After finalize: the verifier fee and provider shares, and maxPrice -
   * cost. After fraud: no payouts and the whole maxPrice refunded; the challengers' rewards came
   * from the slashed stake, not from the buyer, so they are not in this event (the ledger's
   * JobSettled rule caps payouts + refund at maxPrice) but in {@link #settlement()}.
   */
  public JobSettled ledgerEvent() {
    List<Payout> payouts = new ArrayList<>();
    if (settlement.outcome() == Settlement.Outcome.FINALIZED) {
      for (PayoutEntry p : settlement.payouts()) {
        payouts.add(new Payout(EthAddress.fromHex(p.account()), p.amount()));
      }
    }
    BigInteger refund = settlement.refund();
    return new JobSettled(Bytes32.fromHex(jobId), payouts, refund);
  }
}
