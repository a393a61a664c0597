package io.layerproof.node.bus;

/** A named stream of messages; gossip topics map one to one onto these. */
public record Topic(String name) {
  public Topic {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("topic name must not be blank");
    }
  }

  public static Topic of(String name) {
    return new Topic(name);
  }
}
