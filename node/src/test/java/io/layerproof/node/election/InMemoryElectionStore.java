package io.layerproof.node.election;

import java.util.ArrayList;
import java.util.List;

/** An {@link ElectionStore} in memory that also remembers every save, for tests. */
public final class InMemoryElectionStore implements ElectionStore {
  private final List<PersistedElection> saves = new ArrayList<>();

  @Override
  public PersistedElection load() {
    return saves.isEmpty() ? PersistedElection.INITIAL : saves.get(saves.size() - 1);
  }

  @Override
  public void save(PersistedElection state) {
    saves.add(state);
  }

  public List<PersistedElection> saves() {
    return List.copyOf(saves);
  }
}
