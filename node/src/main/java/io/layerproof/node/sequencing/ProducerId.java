package io.layerproof.node.sequencing;

import io.layerproof.chain.event.NodeId;

/**
 * One stream of events: a node in one incarnation (the election clock it started with, which is
 * unique per start). A restart opens a new stream at sequence 1, so a producer whose sequence
 * counter died with its process can never be mistaken for a duplicate of its older self.
 */
public record ProducerId(NodeId node, long incarnation) implements Comparable<ProducerId> {
  public ProducerId {
    if (incarnation < 0) {
      throw new IllegalArgumentException("incarnation must not be negative");
    }
  }

  @Override
  public int compareTo(ProducerId o) {
    int c = node.compareTo(o.node);
    return c != 0 ? c : Long.compare(incarnation, o.incarnation);
  }

  @Override
  public String toString() {
    return node + "#" + incarnation;
  }
}
