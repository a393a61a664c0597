package io.layerproof.verifier.escalation;

import io.layerproof.verifier.sampling.Sample;
import java.util.List;

/**
 * Why this verifier believes a shard is fraudulent, and the samples a quorum must re-check.
 *
 * @param ground the kind of failure
 * @param round the challenge round that settled it (1 = initial, 2 = escalated)
 * @param samples the failing samples, in the order they were checked
 */
public record Accusation(Ground ground, int round, List<Sample> samples) {

  /** The kinds of failure, strongest first: a round with several is accused on the strongest. */
  public enum Ground {
    /**
     * A reveal that does not prove itself against the committed roots, or a shard whose input
     * boundary is not the previous stage's output boundary: anyone holding the reveal and the
     * ledger can check it, no tolerance involved.
     */
    PROOF,
    /** No reveal before the window closed: treated as cheating, but a quorum asks again. */
    REFUSAL,
    /** Re-executed outputs outside the tolerance, at least {@code missesToAccuse} of them. */
    MISMATCH
  }

  public Accusation {
    samples = List.copyOf(samples);
    if (samples.isEmpty()) {
      throw new IllegalArgumentException("an accusation names at least one sample");
    }
  }
}
