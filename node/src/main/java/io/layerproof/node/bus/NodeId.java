package io.layerproof.node.bus;

import java.util.regex.Pattern;

/**
 * A node's identity on the bus. Ordered lexicographically: the election's last tie-break compares
 * node ids, so the order must be the same on every node (plain {@link String#compareTo}).
 */
public record NodeId(String value) implements Comparable<NodeId> {
  /** Longest id accepted; bounds what a peer can make us allocate when it sends one. */
  public static final int MAX_LENGTH = 64;

  private static final Pattern VALID = Pattern.compile("[A-Za-z0-9._:-]{1," + MAX_LENGTH + "}");

  public NodeId {
    if (value == null || !VALID.matcher(value).matches()) {
      throw new IllegalArgumentException(
          "node id must be 1-" + MAX_LENGTH + " of [A-Za-z0-9._:-]: " + value);
    }
  }

  public static NodeId of(String value) {
    return new NodeId(value);
  }

  @Override
  public int compareTo(NodeId other) {
    return value.compareTo(other.value);
  }

  @Override
  public String toString() {
    return value;
  }
}
