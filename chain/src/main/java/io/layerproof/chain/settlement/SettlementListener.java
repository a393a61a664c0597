package io.layerproof.chain.settlement;

import org.web3j.protocol.core.methods.response.TransactionReceipt;

/**
 * Told around every transaction the settler sends, for metrics and logs (and, in tests, to stop a
 * process at an exact point). {@code beforeSend} runs after the pending state is recorded and
 * before the transaction goes out; {@code afterSend} after its receipt arrived and before the
 * outcome is recorded. A listener that throws stops the step there, as a crash would.
 */
public interface SettlementListener {

  /** The transactions a settler sends. */
  enum Action {
    FINALIZE,
    POST_ROOT,
    CLAIM
  }

  /** Does nothing. */
  SettlementListener NONE = new SettlementListener() {};

  /**
   * @param subject the job id (FINALIZE), the epoch number (POST_ROOT) or the account (CLAIM)
   */
  default void beforeSend(Action action, String subject) {}

  default void afterSend(Action action, String subject, TransactionReceipt receipt) {}
}
