package io.layerproof.chain.ledger.state;

/** A job's life: posted, placed, committed by every shard, checked, paid. */
public enum JobStatus {
  POSTED,
  ASSIGNED,
  COMMITTED,
  VERIFIED,
  FRAUD,
  SETTLED
}
