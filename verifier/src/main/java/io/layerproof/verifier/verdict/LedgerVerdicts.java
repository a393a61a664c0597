package io.layerproof.verifier.verdict;

import io.layerproof.chain.event.Bytes32;
import io.layerproof.chain.event.FraudDetected;
import io.layerproof.chain.event.SampleVerdict;
import io.layerproof.chain.event.VerificationPassed;
import io.layerproof.verifier.escalation.Effect;
import io.layerproof.verifier.reexec.Verdict;
import io.layerproof.verifier.sampling.Sample;
import java.util.List;

/**
 * Turns the outcome of a shard's check ({@link Effect.Pass}, {@link Effect.Convict}) into the
 * ledger's events. The ledger's job id and shard index come from the caller: the verifier's own
 * types know a shard by its first layer.
 */
public final class LedgerVerdicts {

  /**
   * Errors on the ledger saturate here (a relative error of 10^6, far past any tolerance): a NaN or
   * an overflow would otherwise take 19 digits per verdict, and the widest {@code FraudDetected} of
   * the default policy (176 verdicts) must fit the ledger's 16 KiB envelope.
   */
  public static final long MAX_ERROR_PPM = 1_000_000_000_000L;

  private LedgerVerdicts() {}

  public static io.layerproof.chain.event.Sample sample(Sample s) {
    return new io.layerproof.chain.event.Sample(s.position(), s.layer());
  }

  /**
   * The relative L2 error in parts per million, saturating at {@link #MAX_ERROR_PPM} (NaN
   * included); 0 when nothing was re-executed (a bad proof, a boundary mismatch, a missing reveal:
   * the evidence carries which).
   */
  public static long maxErrorPpm(Verdict v) {
    return v.error() == null ? 0 : Math.min(MAX_ERROR_PPM, v.error().relativePpm());
  }

  /** The largest {@link #maxErrorPpm} of {@code verdicts} (0 if none was measured). */
  public static long maxErrorPpm(List<Verdict> verdicts) {
    return verdicts.stream().mapToLong(LedgerVerdicts::maxErrorPpm).max().orElse(0);
  }

  public static SampleVerdict sampleVerdict(Verdict v) {
    return new SampleVerdict(sample(v.sample()), v.passed(), maxErrorPpm(v));
  }

  /**
   * {@code VerificationPassed} naming every sample checked, in order. A pass after a dismissed
   * accusation is still a pass: the quorum re-checked the failing samples and did not confirm.
   */
  public static VerificationPassed passed(Bytes32 jobId, int shardIndex, Effect.Pass pass) {
    return new VerificationPassed(
        jobId, shardIndex, pass.verdicts().stream().map(v -> sample(v.sample())).toList());
  }

  /**
   * {@code FraudDetected} with every verdict and the hash of {@code evidence}, which must be the
   * evidence of this conviction (same job, shard and verdicts).
   */
  public static FraudDetected fraud(
      Bytes32 jobId, int shardIndex, Effect.Convict convict, FraudEvidence evidence) {
    if (!evidence.jobId().equals(jobId) || evidence.shardIndex() != shardIndex) {
      throw new IllegalArgumentException("the evidence is for another job or shard");
    }
    if (!evidence.verdicts().equals(convict.verdicts())) {
      throw new IllegalArgumentException("the evidence does not commit to the convicting verdicts");
    }
    return new FraudDetected(
        jobId,
        shardIndex,
        evidence.accused(),
        convict.verdicts().stream().map(LedgerVerdicts::sampleVerdict).toList(),
        evidence.hash());
  }
}
