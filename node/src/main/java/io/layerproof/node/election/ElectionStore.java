package io.layerproof.node.election;

/**
 * Durable home of {@link PersistedElection}. {@code save} returns only once the state is durable: a
 * node must never broadcast a clock it could forget on a crash.
 */
public interface ElectionStore {
  /** The last saved state, or {@link PersistedElection#INITIAL} if none was ever saved. */
  PersistedElection load();

  void save(PersistedElection state);
}
