package io.layerproof.chain.event;

import java.util.List;

/**
 * The sequencer heard nothing from a node within the timeout. Emitted by the sequencer.
 *
 * @param lastSeenMillis when the node was last heard from (Unix milliseconds)
 */
public record NodeTimedOut(NodeId node, long lastSeenMillis) implements LedgerEvent {
  public NodeTimedOut {
    Checks.present(node, "node");
    Checks.nonNegative(lastSeenMillis, "lastSeenMillis");
  }

  @Override
  public List<NodeId> nodes() {
    return List.of(node);
  }
}
