package io.layerproof.node.sequencing;

import java.util.Optional;

/**
 * Port: what sequencing must remember across a restart besides the log itself: the anchor mark (how
 * far the log is final) and the pinned batch (entries that may be the only copies of a batch whose
 * anchor transaction is still in flight). Forgetting either after a crash could let the node drop
 * entries the chain holds. Each save must be durable when it returns, and only after the entries it
 * names are (keep it next to the {@link OrderedLog}, e.g. in the same RocksDB). Calls come from one
 * thread.
 */
public interface SequencingStore {
  /** The last saved anchor mark, if any. */
  Optional<AnchorMark> loadMark();

  /** Replaces the anchor mark (marks only move forward). */
  void saveMark(AnchorMark mark);

  /** The pinned batch, if one is saved. */
  Optional<ProposedBatch> loadPin();

  /** Replaces the pinned batch. */
  void savePin(ProposedBatch pin);

  /** Forgets the pinned batch (its outcome is known). */
  void clearPin();
}
