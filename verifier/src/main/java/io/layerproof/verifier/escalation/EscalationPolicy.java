package io.layerproof.verifier.escalation;

import io.layerproof.verifier.sampling.ProofOfSampling;

/**
 * The numbers that drive {@link Escalation}.
 *
 * @param initialSamples samples of the first check of a shard ({@code m})
 * @param escalatedSamples samples of the escalated draw ({@code M >= m}); the first {@code m} are
 *     the initial ones (draws are prefix-stable), so escalation checks only the {@code M - m} new
 *     ones
 * @param missesToAccuse tolerance misses over the samples checked so far that make this verifier
 *     accuse; fewer than this after the escalated draw is an isolated miss and the shard passes
 * @param quorumSize other verifiers asked to re-check an accusation ({@code n})
 * @param quorumThreshold how many of them must confirm it before anyone is slashed ({@code k})
 */
public record EscalationPolicy(
    int initialSamples,
    int escalatedSamples,
    int missesToAccuse,
    int quorumSize,
    int quorumThreshold) {

  /**
   * JobMarket takes at most 32 verdict signatures: the accuser's plus the quorum's must fit.
   * (contracts/src/JobMarket.sol, MAX_VERDICT_SIGNERS)
   */
  public static final int MAX_QUORUM_SIZE = 31;

  /**
   * 44 samples (a 10% cheat is caught with 99%), 176 after escalation, accuse on the second miss, 2
   * of 3 other verifiers must confirm.
   */
  public static final EscalationPolicy DEFAULT =
      new EscalationPolicy(
          ProofOfSampling.DEFAULT_SAMPLES, 4 * ProofOfSampling.DEFAULT_SAMPLES, 2, 3, 2);

  public EscalationPolicy {
    if (initialSamples < 1) {
      throw new IllegalArgumentException("at least one initial sample, got " + initialSamples);
    }
    if (escalatedSamples < initialSamples) {
      throw new IllegalArgumentException(
          "the escalated draw ("
              + escalatedSamples
              + ") is smaller than the initial one ("
              + initialSamples
              + ")");
    }
    if (missesToAccuse < 1) {
      throw new IllegalArgumentException("missesToAccuse must be >= 1, got " + missesToAccuse);
    }
    if (quorumSize < 1 || quorumSize > MAX_QUORUM_SIZE) {
      throw new IllegalArgumentException(
          "quorum size must be 1.." + MAX_QUORUM_SIZE + ", got " + quorumSize);
    }
    if (quorumThreshold < 1 || quorumThreshold > quorumSize) {
      throw new IllegalArgumentException(
          "quorum threshold must be 1.." + quorumSize + ", got " + quorumThreshold);
    }
  }
}
