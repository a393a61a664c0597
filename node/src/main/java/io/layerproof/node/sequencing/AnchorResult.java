package io.layerproof.node.sequencing;

import io.layerproof.chain.event.Bytes32;

/**
 * What became of an anchoring attempt.
 *
 * <ul>
 *   <li>{@code ANCHORED}: the chain holds batch {@code batchIndex} with {@code root} over the first
 *       {@code eventCount} entries of the candidate. Usually all of them; fewer when the batch was
 *       already anchored from this same history (an earlier attempt whose receipt was lost, or the
 *       previous sequencer, which may have cut the batch shorter): the adapter reports that as
 *       ANCHORED when the chain's root equals the root of the candidate's first {@code eventCount}
 *       entries.
 *   <li>{@code REJECTED_STALE_HISTORY}: the chain holds another history ({@code LedgerAnchor}
 *       reverted {@code PrevRootMismatch}, or {@code BatchAlreadyAnchored} with a root that is not
 *       ours). Retrying cannot help; the sequencer must step down.
 *   <li>{@code FAILED}: anything else (RPC down, out of gas, nonce trouble), and also a batch
 *       already anchored with more events than the candidate holds (whether it is ours cannot be
 *       told yet); retry later.
 * </ul>
 */
public record AnchorResult(Outcome outcome, Bytes32 root, int eventCount, String detail) {
  public enum Outcome {
    ANCHORED,
    REJECTED_STALE_HISTORY,
    FAILED
  }

  public AnchorResult {
    if (outcome == Outcome.ANCHORED && (root == null || eventCount < 1)) {
      throw new IllegalArgumentException("an anchored batch has a root and at least one event");
    }
  }

  public static AnchorResult anchored(Bytes32 root, int eventCount) {
    return new AnchorResult(Outcome.ANCHORED, root, eventCount, "anchored");
  }

  public static AnchorResult staleHistory(String detail) {
    return new AnchorResult(Outcome.REJECTED_STALE_HISTORY, null, 0, detail);
  }

  public static AnchorResult failed(String detail) {
    return new AnchorResult(Outcome.FAILED, null, 0, detail);
  }
}
