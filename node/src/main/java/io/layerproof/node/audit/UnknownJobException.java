package io.layerproof.node.audit;

import io.layerproof.chain.event.Bytes32;

/** Neither the ledger nor JobMarket knows the job: there is nothing to audit. */
public final class UnknownJobException extends RuntimeException {

  private final Bytes32 jobId;

  public UnknownJobException(Bytes32 jobId) {
    super(
        "unknown job " + jobId + ": the ledger holds no event of it and JobMarket has no such job",
        null,
        false,
        false);
    this.jobId = jobId;
  }

  public Bytes32 jobId() {
    return jobId;
  }
}
