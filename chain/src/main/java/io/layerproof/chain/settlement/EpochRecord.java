package io.layerproof.chain.settlement;

import java.math.BigInteger;
import java.util.Map;
import java.util.TreeMap;

/**
 * One epoch root: the cumulative balances frozen when the epoch was cut (so the same tree, root and
 * proofs can be rebuilt after a restart), and whether RewardDistributor holds it yet.
 *
 * @param epoch the epoch number posted with postRoot (1, 2, ...)
 * @param root 0x root of {@link io.layerproof.chain.contracts.RewardTree} over balances
 * @param total sum of the balances (postRoot's totalCumulative)
 * @param balances lowercase account to cumulative earnings
 * @param throughSeq the balances include every job with settledSeq up to this
 * @param searchFromBlock the chain head when the epoch was cut (its postRoot lands after it)
 * @param phase POSTING from just before postRoot is sent until it is seen on chain, then POSTED
 * @param attempts postRoot attempts that failed transiently (or were cut short)
 * @param lastError the last failure, null if none
 * @param txHash the postRoot transaction, null before POSTED
 * @param blockNumber its block, null before POSTED
 * @param gasUsed its gas, null before POSTED
 */
public record EpochRecord(
    long epoch,
    String root,
    BigInteger total,
    Map<String, BigInteger> balances,
    long throughSeq,
    long searchFromBlock,
    Phase phase,
    int attempts,
    String lastError,
    String txHash,
    Long blockNumber,
    Long gasUsed) {

  public EpochRecord {
    balances = java.util.Collections.unmodifiableMap(new TreeMap<>(balances));
  }

  public enum Phase {
    POSTING,
    POSTED
  }

  EpochRecord attempt(int newAttempts, String error) {
    return new EpochRecord(
        epoch,
        root,
        total,
        balances,
        throughSeq,
        searchFromBlock,
        Phase.POSTING,
        newAttempts,
        error,
        null,
        null,
        null);
  }

  EpochRecord posted(String tx, long block, long gas) {
    return new EpochRecord(
        epoch,
        root,
        total,
        balances,
        throughSeq,
        searchFromBlock,
        Phase.POSTED,
        attempts,
        lastError,
        tx,
        block,
        gas);
  }
}
