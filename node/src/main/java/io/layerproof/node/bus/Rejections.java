package io.layerproof.node.bus;

import io.layerproof.chain.event.NodeId;

/**
 * Where protocol code reports an input it ignored and why (unknown sender, malformed bytes, stale
 * clock, ...). The default logs; tests capture the reasons to assert on them.
 */
@FunctionalInterface
public interface Rejections {
  void reject(NodeId at, NodeId from, String reason);

  /** Logs each rejection at INFO with the receiving node, the sender and the reason. */
  static Rejections logging() {
    org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(Rejections.class);
    return (at, from, reason) -> log.info("{} ignored input from {}: {}", at, from, reason);
  }

  /** Also reports to {@code next}. */
  default Rejections andThen(Rejections next) {
    return (at, from, reason) -> {
      reject(at, from, reason);
      next.reject(at, from, reason);
    };
  }
}
