package io.layerproof.chain.event;

import java.util.List;
import java.util.Optional;

/**
 * A verifier found at least one sample of a shard that does not match: the accused provider, every
 * verdict of the check, and the hash of the evidence (revealed activations and proofs) that
 * JobMarket's fraud vote will reference. Emitted by the verifier.
 */
public record FraudDetected(
    Bytes32 jobId,
    int shardIndex,
    NodeId accused,
    List<SampleVerdict> verdicts,
    Bytes32 evidenceHash)
    implements LedgerEvent {

  public FraudDetected {
    Checks.present(jobId, "jobId");
    Checks.nonNegative(shardIndex, "shardIndex");
    Checks.present(accused, "accused");
    verdicts = Checks.list(verdicts, "verdicts");
    Checks.present(evidenceHash, "evidenceHash");
    if (verdicts.stream().allMatch(SampleVerdict::matched)) {
      throw new IllegalArgumentException("fraud needs at least one mismatched sample");
    }
  }

  @Override
  public Optional<Bytes32> job() {
    return Optional.of(jobId);
  }

  @Override
  public List<NodeId> nodes() {
    return List.of(accused);
  }
}
