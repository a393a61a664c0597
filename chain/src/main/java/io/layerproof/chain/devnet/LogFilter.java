package io.layerproof.chain.devnet;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * An eth_getLogs query over a resolved block range.
 *
 * @param addresses lowercase addresses, any of which may match; empty matches all
 * @param topics per position, the set of accepted topics; a null position matches anything
 */
record LogFilter(long fromBlock, long toBlock, Set<String> addresses, List<Set<String>> topics) {

  LogFilter {
    addresses = Set.copyOf(addresses);
    topics = java.util.Collections.unmodifiableList(new ArrayList<>(topics));
  }

  boolean matches(LogEntry log) {
    if (!addresses.isEmpty() && !addresses.contains(log.address())) {
      return false;
    }
    if (topics.size() > log.topics().size()) {
      return false;
    }
    for (int i = 0; i < topics.size(); i++) {
      Set<String> accepted = topics.get(i);
      if (accepted != null && !accepted.contains(log.topics().get(i))) {
        return false;
      }
    }
    return true;
  }

  /** False when the block's bloom proves no log in it can match. */
  boolean mayMatch(byte[] bloom) {
    if (!addresses.isEmpty()
        && addresses.stream().noneMatch(a -> LogsBloom.mayContain(bloom, Hex.parseData(a)))) {
      return false;
    }
    for (Set<String> accepted : topics) {
      if (accepted != null
          && accepted.stream().noneMatch(t -> LogsBloom.mayContain(bloom, Hex.parseData(t)))) {
        return false;
      }
    }
    return true;
  }
}
