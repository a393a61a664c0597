package io.layerproof.chain.ledger.state;

/** A verifier's conclusion on one shard. */
public enum Verdict {
  PASSED,
  FRAUD
}
