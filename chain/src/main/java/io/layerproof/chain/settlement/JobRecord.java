package io.layerproof.chain.settlement;

import java.math.BigInteger;

/**
 * One job as the settler tracks it.
 *
 * @param jobId 0x job id (the buyer's EIP-712 request digest)
 * @param buyer lowercase 0x address
 * @param maxPrice the price the buyer locked
 * @param openedBlock the block of its {@code JobOpened} event (log searches start there)
 * @param phase OPEN until this settler sends finalize, FINALIZING from just before that until the
 *     outcome is accounted, SETTLED once its payouts are in the balances
 * @param attempts finalize attempts that failed transiently (or were cut short)
 * @param lastError the last failure, null if none
 * @param settledSeq the order in which settled jobs entered the balances (1, 2, ...), null before
 * @param settlement how it ended, null before SETTLED
 */
public record JobRecord(
    String jobId,
    String buyer,
    BigInteger maxPrice,
    long openedBlock,
    Phase phase,
    int attempts,
    String lastError,
    Long settledSeq,
    Settlement settlement) {

  public enum Phase {
    OPEN,
    FINALIZING,
    SETTLED
  }

  JobRecord finalizing(int newAttempts, String error) {
    return new JobRecord(
        jobId, buyer, maxPrice, openedBlock, Phase.FINALIZING, newAttempts, error, null, null);
  }

  JobRecord failed(String error) {
    return new JobRecord(
        jobId, buyer, maxPrice, openedBlock, phase, attempts, error, settledSeq, settlement);
  }

  JobRecord settled(long seq, Settlement s) {
    return new JobRecord(
        jobId, buyer, maxPrice, openedBlock, Phase.SETTLED, attempts, lastError, seq, s);
  }
}
