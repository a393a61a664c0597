package io.layerproof.node.election;

import io.layerproof.chain.event.NodeId;
import java.time.Duration;

/** What the pure {@link ElectionMachine} asks its driver to do, in order. */
public sealed interface ElectionEffect {
  /** Save before anything that reveals the new clock or seniority to peers. */
  record Persist(PersistedElection state) implements ElectionEffect {}

  record Broadcast(ElectionMessage message) implements ElectionEffect {}

  /** Call {@link ElectionMachine#onCampaignTimeout} with {@code clock} after {@code delay}. */
  record StartCampaignTimer(long clock, Duration delay) implements ElectionEffect {}

  /** Call {@link ElectionMachine#onDebounceElapsed} after {@code delay}. */
  record StartDebounceTimer(Duration delay) implements ElectionEffect {}

  record Elected(ElectionResult result) implements ElectionEffect {}

  /** A bad or stale input dropped, with the reason to log. */
  record Ignored(NodeId from, String reason) implements ElectionEffect {}
}
