package io.layerproof.node.sequencing;

import io.layerproof.chain.event.Bytes32;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * Port: the chain side of the ledger, {@code LedgerAnchor}. Calls may complete on any thread;
 * sequencing hops back onto its own.
 */
public interface Anchoring {
  /**
   * Posts {@code anchor(batchIndex, root(entries), entries.size(), prevRoot)} with the batch number
   * and prevRoot exactly as given, and maps the outcome (see {@link AnchorResult}).
   */
  CompletionStage<AnchorResult> anchor(BatchCandidate batch);

  /**
   * Read-only: the chain's record of batch {@code batchIndex} ({@code rootOf} and the event count
   * of its {@code BatchAnchored} event), empty if it is not anchored. A node checks it before it
   * drops entries it cannot otherwise know to be unanchored.
   */
  CompletionStage<Optional<AnchoredBatch>> anchored(long batchIndex);

  /** The root the chain stores for a batch of exactly these entries (the ledger's Merkle root). */
  Bytes32 root(List<LogEntry> entries);

  /** What the chain holds for one batch. */
  record AnchoredBatch(Bytes32 root, long eventCount) {}
}
