package io.layerproof.chain.settlement;

/**
 * Settlement cannot go on safely: the chain holds state this settler did not produce (another root
 * posted for its epoch, a claim against a root that is not ours), what the contracts emitted does
 * not add up, or the store failed. Transient failures (I/O, receipt timeouts) are retried instead
 * and never surface as this exception.
 */
public class SettlementException extends RuntimeException {

  public SettlementException(String message) {
    super(message);
  }

  public SettlementException(String message, Throwable cause) {
    super(message, cause);
  }
}
