package io.layerproof.p2p.pubsub;

/** An application validator's verdict, as in go/js pubsub. */
public enum ValidationResult {
  /** Deliver and forward. */
  ACCEPT,
  /** Invalid: drop, and penalise the peer that forwarded it (P4). */
  REJECT,
  /** Drop without penalty (e.g. stale but honest). */
  IGNORE
}
