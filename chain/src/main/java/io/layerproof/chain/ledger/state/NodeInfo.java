package io.layerproof.chain.ledger.state;

import io.layerproof.chain.event.EthAddress;
import io.layerproof.chain.event.NodeId;
import java.util.Objects;

/**
 * A node as the ledger knows it.
 *
 * @param active false after a NodeTimedOut, true again when it re-joins
 * @param joinedAt index of its (last) NodeJoined
 * @param lastSeenAt index of the last event it authored
 */
public record NodeInfo(
    NodeId id,
    EthAddress operator,
    int roles,
    long memoryMib,
    boolean active,
    long joinedAt,
    long lastSeenAt) {

  public NodeInfo {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(operator, "operator");
  }

  NodeInfo seenAt(long index) {
    return new NodeInfo(id, operator, roles, memoryMib, active, joinedAt, index);
  }

  NodeInfo timedOut() {
    return new NodeInfo(id, operator, roles, memoryMib, false, joinedAt, lastSeenAt);
  }
}
