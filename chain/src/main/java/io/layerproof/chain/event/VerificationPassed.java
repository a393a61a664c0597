package io.layerproof.chain.event;

import java.util.List;
import java.util.Optional;

/**
 * A verifier re-executed the sampled layers of one shard and every sample matched. Emitted by the
 * verifier (the author).
 */
public record VerificationPassed(Bytes32 jobId, int shardIndex, List<Sample> samples)
    implements LedgerEvent {

  public VerificationPassed {
    Checks.present(jobId, "jobId");
    Checks.nonNegative(shardIndex, "shardIndex");
    samples = Checks.list(samples, "samples");
    if (samples.isEmpty()) {
      throw new IllegalArgumentException("a passed verification names its samples");
    }
  }

  @Override
  public Optional<Bytes32> job() {
    return Optional.of(jobId);
  }
}
