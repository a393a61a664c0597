package io.layerproof.node.ledger;

import io.layerproof.chain.event.Bytes32;
import io.layerproof.chain.ledger.AnchorStatus;
import io.layerproof.chain.ledger.BatchRecord;
import io.layerproof.chain.ledger.EventLog;
import io.layerproof.node.sequencing.AnchorMark;
import io.layerproof.node.sequencing.Anchoring;
import io.layerproof.node.sequencing.LocalLog;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cuts the ledger's batches where the chain's are: when sequencing learns that batch k is anchored,
 * the ledger seals every batch up to k at the same boundaries (asking the chain for the event count
 * of any batch this node did not see anchored itself) and records it as anchored, so every node can
 * prove inclusion of any anchored event against the root on chain. Runs on the sequencing thread;
 * chain answers come back through {@code hop}.
 */
public final class LedgerBatches implements LocalLog.Listener {
  private static final Logger log = LoggerFactory.getLogger(LedgerBatches.class);

  private final EventLog ledger;
  private final Anchoring anchoring;
  private final Executor hop;
  private AnchorMark target;
  private boolean asking;

  public LedgerBatches(EventLog ledger, Anchoring anchoring, Executor hop) {
    this.ledger = ledger;
    this.anchoring = anchoring;
    this.hop = hop;
  }

  @Override
  public void anchored(AnchorMark mark) {
    if (target == null || mark.batchIndex() > target.batchIndex()) {
      target = mark;
    }
    catchUp();
  }

  /** Whether the ledger's sealed batches reach the last anchor mark seen. */
  public boolean caughtUp() {
    return target == null || ledger.batchCount() > target.batchIndex();
  }

  private void catchUp() {
    while (!asking && target != null && ledger.batchCount() <= target.batchIndex()) {
      long next = ledger.batchCount();
      if (next == target.batchIndex()) {
        seal(next, target.lastIndex(), target.root());
        continue;
      }
      asking = true;
      anchoring
          .anchored(next)
          .whenComplete(
              (found, failure) ->
                  hop.execute(
                      () -> {
                        asking = false;
                        if (found == null || found.isEmpty()) {
                          log.warn("batch {} not found on chain: {}", next, failure);
                          return; // the next mark retries
                        }
                        long first =
                            next == 0 ? 0 : ledger.batch(next - 1).orElseThrow().lastIndex() + 1;
                        seal(next, first + found.get().eventCount() - 1, found.get().root());
                        catchUp();
                      }));
    }
  }

  private void seal(long batchIndex, long lastIndex, Bytes32 root) {
    if (lastIndex > ledger.head()) {
      log.warn(
          "batch {} ends at {}, past the ledger's head {}", batchIndex, lastIndex, ledger.head());
      target = null;
      return;
    }
    BatchRecord sealed = ledger.sealThrough(lastIndex);
    if (!sealed.root().equals(root)) {
      // Sequencing adopts a mark only for entries whose chain hash it checked, so this is a bug.
      throw new IllegalStateException(
          "ledger batch " + batchIndex + " root " + sealed.root() + " but the chain holds " + root);
    }
    ledger.recordAnchorStatus(batchIndex, new AnchorStatus.Anchored(Bytes32.ZERO, 0, 0));
  }
}
