package io.layerproof.node.election;

/**
 * The outcome of a campaign on one node. {@code newSession} is false when the sitting sequencer was
 * re-elected in office: nothing to re-sync.
 */
public record ElectionResult(Session session, long clock, boolean newSession) {}
