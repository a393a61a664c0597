package io.layerproof.chain.devnet;

import java.util.List;

/** One EVM log as the chain stores it; its position comes from the receipt that holds it. */
record LogEntry(String address, List<String> topics, byte[] data) {

  LogEntry {
    topics = List.copyOf(topics);
  }
}
