package io.layerproof.chain.event;

import java.util.List;

/**
 * Re-execute these samples of a shard; becomes {@link VerificationPassed} or {@link FraudDetected}.
 */
public record VerifyShard(Bytes32 jobId, int shardIndex, List<Sample> samples) implements Command {
  public VerifyShard {
    Checks.present(jobId, "jobId");
    Checks.nonNegative(shardIndex, "shardIndex");
    samples = Checks.list(samples, "samples");
  }
}
