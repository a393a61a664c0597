package io.layerproof.node.sequencing;

import java.util.ArrayList;
import java.util.List;

/** The {@link OrderedLog} port in memory; it survives a simulated restart of its node. */
public final class InMemoryOrderedLog implements OrderedLog {
  private final List<LogEntry> entries = new ArrayList<>();

  @Override
  public long head() {
    return entries.size() - 1;
  }

  @Override
  public void append(LogEntry entry) {
    if (entry.index() != entries.size()) {
      throw new IllegalArgumentException("append at " + entry.index() + ", head " + head());
    }
    entries.add(entry);
  }

  @Override
  public List<LogEntry> read(long sinceIdx, int max) {
    if (sinceIdx >= entries.size()) {
      return List.of();
    }
    int from = (int) sinceIdx;
    return new ArrayList<>(entries.subList(from, Math.min(entries.size(), from + max)));
  }

  @Override
  public void truncateAfter(long index) {
    while (entries.size() > index + 1) {
      entries.remove(entries.size() - 1);
    }
  }
}
