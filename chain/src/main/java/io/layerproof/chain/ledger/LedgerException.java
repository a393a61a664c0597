package io.layerproof.chain.ledger;

/**
 * The ledger's storage failed (I/O, a corrupt database); nothing in the failed call was
 * acknowledged.
 */
public class LedgerException extends RuntimeException {
  public LedgerException(String message) {
    super(message);
  }

  public LedgerException(String message, Throwable cause) {
    super(message, cause);
  }
}
