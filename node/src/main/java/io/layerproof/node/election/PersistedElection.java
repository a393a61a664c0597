package io.layerproof.node.election;

/** What survives a restart: the election clock and the seniority this node has earned. */
public record PersistedElection(long clock, long seniority) {
  public static final PersistedElection INITIAL = new PersistedElection(0, 0);

  public PersistedElection {
    if (clock < 0 || seniority < 0) {
      throw new IllegalArgumentException("clock and seniority must not be negative");
    }
  }
}
