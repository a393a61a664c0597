package io.layerproof.node.election;

import io.layerproof.chain.event.NodeId;

/**
 * Who sequences, since which election clock. A sequencer re-elected while in office keeps its
 * session, so its followers need not re-sync; any other outcome is a new session and every follower
 * re-syncs from the new sequencer's log. Clocks never repeat on a node (they are persisted and
 * bumped on every start), so a session id is never reused for another history.
 */
public record Session(NodeId sequencer, long clock) {
  @Override
  public String toString() {
    return sequencer + "@" + clock;
  }
}
