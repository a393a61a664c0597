package io.layerproof.chain.ledger;

/**
 * The result of {@code EventLog.verify()}.
 *
 * @param entriesChecked entries whose hashes were recomputed
 * @param batchesChecked batches whose roots and chaining were recomputed
 * @param brokenAt the first index where the chain breaks, or -1 if it verifies
 * @param problem what is wrong there, or empty
 */
public record ChainVerification(
    long entriesChecked, long batchesChecked, long brokenAt, String problem) {

  public boolean ok() {
    return brokenAt < 0;
  }

  static ChainVerification ok(long entries, long batches) {
    return new ChainVerification(entries, batches, -1, "");
  }
}
