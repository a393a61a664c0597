package io.layerproof.chain.ledger;

/** The stored hash chain does not verify at {@link #brokenAt()}: not a torn write, real damage. */
public final class LedgerCorruptedException extends LedgerException {

  private final long brokenAt;

  public LedgerCorruptedException(long brokenAt, String problem) {
    super("the ledger's hash chain breaks at index " + brokenAt + ": " + problem);
    this.brokenAt = brokenAt;
  }

  public long brokenAt() {
    return brokenAt;
  }
}
