package io.layerproof.node.election;

import io.layerproof.chain.event.NodeId;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;

/**
 * A running campaign: the clock it is for, this node's own candidacy (fixed when it started, so the
 * re-broadcast repeats it exactly) and the candidates heard so far, one per node.
 */
public record Campaign(long clock, ElectionMessage own, Map<NodeId, ElectionMessage> candidates) {
  public Campaign {
    candidates = Map.copyOf(candidates);
  }

  static Campaign start(ElectionMessage own, Map<NodeId, ElectionMessage> heard) {
    Map<NodeId, ElectionMessage> all = new HashMap<>(heard);
    all.put(own.nodeId(), own);
    return new Campaign(own.clock(), own, all);
  }

  Campaign with(ElectionMessage candidate) {
    Map<NodeId, ElectionMessage> all = new HashMap<>(candidates);
    all.put(candidate.nodeId(), candidate);
    return new Campaign(clock, own, all);
  }

  ElectionMessage winner() {
    return Collections.max(candidates.values());
  }
}
