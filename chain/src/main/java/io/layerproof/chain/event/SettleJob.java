package io.layerproof.chain.event;

/** Pay out a job whose challenge window closed; becomes {@link JobSettled}. */
public record SettleJob(Bytes32 jobId) implements Command {
  public SettleJob {
    Checks.present(jobId, "jobId");
  }
}
