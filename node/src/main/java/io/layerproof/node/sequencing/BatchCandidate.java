package io.layerproof.node.sequencing;

import io.layerproof.chain.event.Bytes32;
import java.util.List;

/**
 * A batch the sequencer asks to anchor: batch number {@code batchIndex}, chaining from {@code
 * prevRoot} (the root of batch {@code batchIndex - 1}, or {@link Bytes32#ZERO} for batch 0), over
 * consecutive log entries. Both come from the sequencer's own history; that is what lets the chain
 * refuse a history that is not the anchored one.
 */
public record BatchCandidate(long batchIndex, Bytes32 prevRoot, List<LogEntry> entries) {
  public BatchCandidate {
    entries = List.copyOf(entries);
    if (batchIndex < 0) {
      throw new IllegalArgumentException("negative batch index");
    }
    if (entries.isEmpty()) {
      throw new IllegalArgumentException("a batch holds at least one entry");
    }
    for (int i = 1; i < entries.size(); i++) {
      if (entries.get(i).index() != entries.get(i - 1).index() + 1) {
        throw new IllegalArgumentException("batch entries must be consecutive");
      }
    }
  }

  public long firstIndex() {
    return entries.get(0).index();
  }

  public long lastIndex() {
    return entries.get(entries.size() - 1).index();
  }
}
