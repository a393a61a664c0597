package io.layerproof.chain.ledger.anchor;

import io.layerproof.chain.contracts.ContractRevertException;
import io.layerproof.chain.event.Bytes32;
import io.layerproof.chain.ledger.AnchorStatus;
import io.layerproof.chain.ledger.BatchRecord;
import io.layerproof.chain.ledger.EventLog;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.LongConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Posts sealed batch roots to LedgerAnchor, strictly in order, and records each batch's status in
 * the ledger (pending, anchored with its transaction, rejected with the contract's error), so a
 * restarted sequencer resumes where it stopped.
 *
 * <p>Before sending, the anchorer reads the batch's root on chain: the same root means an earlier
 * transaction landed (its receipt was lost to a timeout or a crash) and is recorded without paying
 * again; another root means someone else's history won. Transient failures (I/O, receipt timeouts,
 * "nonce too low", which the client resyncs by reading the pending nonce again) are retried with
 * exponential backoff. A {@code PrevRootMismatch}, {@code BatchAlreadyAnchored} or {@code
 * BatchNotNext} revert is a {@link AnchorOutcome.HistoryConflict}: the caller (the sequencer) must
 * step down.
 *
 * <p>Not thread-safe: one anchorer per sequencer, called from one thread.
 */
public final class BatchAnchorer {

  private static final Logger log = LoggerFactory.getLogger(BatchAnchorer.class);

  /** LedgerAnchor's answers that mean "the chain holds another history". */
  public static final Set<String> CONFLICTS =
      Set.of("PrevRootMismatch", "BatchAlreadyAnchored", "BatchNotNext");

  private final EventLog ledger;
  private final AnchorChain chain;
  private final RetryPolicy retry;
  private final LongConsumer sleeper;

  public BatchAnchorer(EventLog ledger, AnchorChain chain, RetryPolicy retry) {
    this(ledger, chain, retry, BatchAnchorer::sleep);
  }

  /** With a custom pause, so tests of the retry schedule need not wait. */
  BatchAnchorer(EventLog ledger, AnchorChain chain, RetryPolicy retry, LongConsumer sleeper) {
    this.ledger = ledger;
    this.chain = chain;
    this.retry = retry;
    this.sleeper = sleeper;
  }

  /** The lowest sealed batch not anchored yet (anchored batches are always a prefix). */
  public Optional<BatchRecord> nextToAnchor() {
    long lo = 0;
    long hi = ledger.batchCount(); // first non-anchored is in [lo, hi]
    while (lo < hi) {
      long mid = (lo + hi) >>> 1;
      if (ledger.anchorStatus(mid) instanceof AnchorStatus.Anchored) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return ledger.batch(lo);
  }

  /** Anchors the next batch (see {@link #nextToAnchor}). */
  public AnchorOutcome anchorNext() {
    Optional<BatchRecord> next = nextToAnchor();
    if (next.isEmpty()) {
      return new AnchorOutcome.NothingToAnchor();
    }
    BatchRecord batch = next.get();
    if (ledger.anchorStatus(batch.batchIndex()) instanceof AnchorStatus.Rejected r) {
      return refusal(batch, r.errorName(), r.message()); // final until resetRejected
    }
    return anchor(batch);
  }

  /** Anchors batches in order until none is left or one does not get anchored. */
  public List<AnchorOutcome> anchorAll() {
    List<AnchorOutcome> outcomes = new ArrayList<>();
    while (true) {
      AnchorOutcome o = anchorNext();
      if (o instanceof AnchorOutcome.NothingToAnchor) {
        return outcomes;
      }
      outcomes.add(o);
      if (!(o instanceof AnchorOutcome.Anchored)) {
        return outcomes;
      }
    }
  }

  /** Makes a rejected batch pending again (e.g. after the node was re-registered as sequencer). */
  public void resetRejected(long batchIndex) {
    if (ledger.anchorStatus(batchIndex) instanceof AnchorStatus.Rejected) {
      ledger.recordAnchorStatus(batchIndex, AnchorStatus.Pending.fresh());
    }
  }

  private AnchorOutcome anchor(BatchRecord batch) {
    int attempts =
        ledger.anchorStatus(batch.batchIndex()) instanceof AnchorStatus.Pending p
            ? p.attempts()
            : 0;
    String lastError = "";
    for (int tried = 0; tried < retry.maxAttempts(); tried++) {
      if (tried > 0) {
        sleeper.accept(retry.backoffMillis(tried));
      }
      try {
        AnchorOutcome settled = alreadySettled(batch);
        if (settled != null) {
          return record(settled);
        }
        AnchorReceipt receipt =
            chain.anchor(batch.batchIndex(), batch.root(), batch.eventCount(), batch.prevRoot());
        log.info(
            "anchored batch {} ({} events) in block {}, tx {}",
            batch.batchIndex(),
            batch.eventCount(),
            receipt.blockNumber(),
            receipt.txHash());
        return record(new AnchorOutcome.Anchored(batch, receipt, false));
      } catch (ContractRevertException revert) {
        return record(afterRevert(batch, revert));
      } catch (RuntimeException transientFailure) {
        attempts++;
        lastError =
            transientFailure.getClass().getSimpleName() + ": " + transientFailure.getMessage();
        log.warn(
            "anchoring batch {} failed (attempt {}): {}", batch.batchIndex(), attempts, lastError);
        ledger.recordAnchorStatus(
            batch.batchIndex(), new AnchorStatus.Pending(attempts, lastError));
      }
    }
    return new AnchorOutcome.Failed(batch, attempts, lastError);
  }

  /** Anchored already (same root on chain), a conflict (another root), or null: send it. */
  private AnchorOutcome alreadySettled(BatchRecord batch) {
    Bytes32 onChain = chain.rootOf(batch.batchIndex());
    if (onChain.isZero()) {
      return null;
    }
    if (onChain.equals(batch.root())) {
      AnchorReceipt found =
          chain
              .findAnchorTransaction(batch.batchIndex())
              .orElse(new AnchorReceipt(Bytes32.ZERO, 0, 0));
      return new AnchorOutcome.Anchored(batch, found, true);
    }
    return new AnchorOutcome.HistoryConflict(
        batch,
        "BatchAlreadyAnchored",
        "batch "
            + batch.batchIndex()
            + " is anchored with root "
            + onChain
            + ", ours is "
            + batch.root());
  }

  private AnchorOutcome afterRevert(BatchRecord batch, ContractRevertException revert) {
    if (CONFLICTS.contains(revert.errorName())) {
      // Our own earlier transaction may be what beat us (a retry after a lost receipt).
      AnchorOutcome settled = alreadySettled(batch);
      if (settled instanceof AnchorOutcome.Anchored) {
        return settled;
      }
    }
    return refusal(batch, revert.errorName(), revert.getMessage());
  }

  private static AnchorOutcome refusal(BatchRecord batch, String errorName, String message) {
    return CONFLICTS.contains(errorName)
        ? new AnchorOutcome.HistoryConflict(batch, errorName, message)
        : new AnchorOutcome.Refused(batch, errorName, message);
  }

  private AnchorOutcome record(AnchorOutcome outcome) {
    if (outcome instanceof AnchorOutcome.Anchored a) {
      ledger.recordAnchorStatus(
          a.batch().batchIndex(),
          new AnchorStatus.Anchored(
              a.receipt().txHash(), a.receipt().blockNumber(), a.receipt().gasUsed()));
    } else if (outcome instanceof AnchorOutcome.HistoryConflict c) {
      log.warn(
          "batch {}: the chain holds another history ({})", c.batch().batchIndex(), c.message());
      ledger.recordAnchorStatus(
          c.batch().batchIndex(), new AnchorStatus.Rejected(c.errorName(), c.message()));
    } else if (outcome instanceof AnchorOutcome.Refused r) {
      log.warn("batch {}: LedgerAnchor refused it ({})", r.batch().batchIndex(), r.message());
      ledger.recordAnchorStatus(
          r.batch().batchIndex(), new AnchorStatus.Rejected(r.errorName(), r.message()));
    }
    return outcome;
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while backing off", e);
    }
  }
}
