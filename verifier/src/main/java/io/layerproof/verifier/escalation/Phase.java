package io.layerproof.verifier.escalation;

/** Where a shard's check stands. The last three are final: every later input is ignored. */
public enum Phase {
  /** The initial {@code m} samples are challenged; waiting for their verdicts. */
  CHECKING,
  /** An isolated miss led to the rest of the escalated draw; waiting for its verdicts. */
  EXTRA_CHECKING,
  /** This verifier accuses; waiting for the quorum to be formed and to vote. */
  QUORUM,
  /** The shard passed (cleanly, with isolated misses, or because the quorum dismissed). */
  PASSED,
  /** The quorum confirmed the accusation: the shard is fraudulent. */
  FRAUD;

  public boolean isFinal() {
    return this == PASSED || this == FRAUD;
  }
}
