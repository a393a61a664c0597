package io.layerproof.node.sequencing;

import java.util.List;

/**
 * Port: the node's durable copy of the ordered log (the ledger's RocksDB log in a real node).
 * Sequencing decides what goes in and in which order; this only stores. Calls come from one thread.
 */
public interface OrderedLog {
  /** Index of the last entry, -1 when empty. */
  long head();

  /**
   * Appends {@code entry}, whose index is {@code head() + 1}; returns once it is durable. Store the
   * chain hash as given (or recompute it with {@link LogEntry#chain}; it must be equal).
   */
  void append(LogEntry entry);

  /** Up to {@code max} entries with index {@code >= sinceIdx}, in index order. */
  List<LogEntry> read(long sinceIdx, int max);

  /**
   * Drops every entry with index {@code > index}. Sequencing only ever drops entries after the last
   * anchored batch: a provisional tail that lost to the anchored history.
   */
  void truncateAfter(long index);
}
