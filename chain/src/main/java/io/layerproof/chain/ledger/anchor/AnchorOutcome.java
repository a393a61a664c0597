package io.layerproof.chain.ledger.anchor;

import io.layerproof.chain.event.BatchAnchored;
import io.layerproof.chain.ledger.BatchRecord;

/** What one attempt to anchor a batch came to. */
public sealed interface AnchorOutcome {

  /** Nothing sealed is waiting to be anchored. */
  record NothingToAnchor() implements AnchorOutcome {}

  /**
   * The batch's root is on chain.
   *
   * @param alreadyOnChain true when it was found there (a receipt lost to a timeout or a restart)
   *     rather than mined by this call
   */
  record Anchored(BatchRecord batch, AnchorReceipt receipt, boolean alreadyOnChain)
      implements AnchorOutcome {

    /** The ledger event the sequencer publishes for it. */
    public BatchAnchored toEvent() {
      return new BatchAnchored(
          batch.batchIndex(),
          batch.firstIndex(),
          batch.eventCount(),
          batch.root(),
          batch.prevRoot(),
          receipt.txHash(),
          receipt.blockNumber());
    }
  }

  /**
   * The chain holds a different history: LedgerAnchor answered {@code PrevRootMismatch}, {@code
   * BatchAlreadyAnchored} or {@code BatchNotNext}, or already holds another root for this batch. A
   * sequencer that gets this lost a partition race: it must step down and re-sync its log.
   */
  record HistoryConflict(BatchRecord batch, String errorName, String message)
      implements AnchorOutcome {}

  /** LedgerAnchor refused for another reason (e.g. {@code NotSequencer}); not retried. */
  record Refused(BatchRecord batch, String errorName, String message) implements AnchorOutcome {}

  /** Transient failures used up every attempt; the batch stays pending and a later call resumes. */
  record Failed(BatchRecord batch, int attempts, String lastError) implements AnchorOutcome {}
}
