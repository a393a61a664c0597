package io.layerproof.node.bus;

import io.layerproof.chain.event.NodeId;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which members this node can reach now, kept from the bus's peer events. Sequencing asks it
 * whether this node's side of the network holds a majority of the membership.
 */
public final class PeerView {
  private final NodeId self;
  private final Membership membership;
  private final Set<NodeId> reachable = new TreeSet<>();

  public PeerView(NodeId self, Membership membership) {
    this.self = self;
    this.membership = membership;
  }

  public void apply(PeerEvent event) {
    if (!membership.contains(event.peer()) || event.peer().equals(self)) {
      return;
    }
    if (event.up()) {
      reachable.add(event.peer());
    } else {
      reachable.remove(event.peer());
    }
  }

  /** Reachable members other than self, in id order. */
  public Set<NodeId> peers() {
    return Set.copyOf(reachable);
  }

  /** Whether self plus the reachable members form a majority of the membership. */
  public boolean seesMajority() {
    int count = reachable.size() + (membership.contains(self) ? 1 : 0);
    return count >= membership.majority();
  }
}
