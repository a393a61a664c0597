package io.layerproof.node.bus;

import io.layerproof.chain.event.NodeId;
import java.util.Set;

/**
 * Who may take part in election and sequencing (on a real network: active nodes in the provider
 * registry). Messages from anyone else are ignored, and majorities are counted against it.
 */
public interface Membership {
  boolean contains(NodeId node);

  int size();

  /** Smallest number of members that is more than half. */
  default int majority() {
    return size() / 2 + 1;
  }

  static Membership of(Set<NodeId> members) {
    Set<NodeId> copy = Set.copyOf(members);
    return new Membership() {
      @Override
      public boolean contains(NodeId node) {
        return copy.contains(node);
      }

      @Override
      public int size() {
        return copy.size();
      }
    };
  }
}
