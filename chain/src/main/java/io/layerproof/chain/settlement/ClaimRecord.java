package io.layerproof.chain.settlement;

import java.math.BigInteger;

/**
 * A claim for one local account against one epoch's root.
 *
 * @param account lowercase 0x address (the tokens always go to it, whoever sends the claim)
 * @param epoch the epoch whose root the proof is for
 * @param cumulative the account's cumulative balance in that epoch
 * @param amount what the claim pays: cumulative minus what was claimed before
 * @param searchFromBlock the chain head before the claim was sent (its Claimed event lands after)
 * @param phase CLAIMING from just before the transaction until it is seen on chain, then CLAIMED;
 *     SUPERSEDED when it was cut short, never landed, and a newer root replaced its proof (the
 *     newer epoch's claim pays the balance instead)
 * @param attempts claim attempts that failed transiently (or were cut short)
 * @param lastError the last failure, null if none
 * @param txHash the claim transaction, null before CLAIMED
 * @param gasUsed its gas, null before CLAIMED
 * @param sentByUs whether this settler sent it (false if someone else claimed first)
 */
public record ClaimRecord(
    String account,
    long epoch,
    BigInteger cumulative,
    BigInteger amount,
    long searchFromBlock,
    Phase phase,
    int attempts,
    String lastError,
    String txHash,
    Long gasUsed,
    boolean sentByUs) {

  public enum Phase {
    CLAIMING,
    CLAIMED,
    SUPERSEDED
  }

  ClaimRecord attempt(int newAttempts, String error) {
    return new ClaimRecord(
        account,
        epoch,
        cumulative,
        amount,
        searchFromBlock,
        Phase.CLAIMING,
        newAttempts,
        error,
        null,
        null,
        false);
  }

  ClaimRecord claimed(String tx, Long gas, boolean bySelf) {
    return new ClaimRecord(
        account,
        epoch,
        cumulative,
        amount,
        searchFromBlock,
        Phase.CLAIMED,
        attempts,
        lastError,
        tx,
        gas,
        bySelf);
  }

  ClaimRecord superseded() {
    return new ClaimRecord(
        account,
        epoch,
        cumulative,
        amount,
        searchFromBlock,
        Phase.SUPERSEDED,
        attempts,
        lastError,
        null,
        null,
        false);
  }
}
