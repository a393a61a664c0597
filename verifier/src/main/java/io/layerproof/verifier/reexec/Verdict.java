package io.layerproof.verifier.reexec;

import io.layerproof.verifier.sampling.Sample;
import io.layerproof.verifier.tolerance.ActivationError;

/**
 * The outcome of one sampled check.
 *
 * @param error the measured difference, for {@link Status#PASS} and {@link Status#MISMATCH} (and
 *     for a mismatching outgoing frame); null when nothing was re-executed
 * @param reason a sentence a person can read
 */
public record Verdict(Sample sample, Status status, ActivationError error, String reason) {

  /** What the check found. */
  public enum Status {
    /** Proofs hold and the recomputed output is within tolerance. */
    PASS,
    /**
     * Proofs hold but the committed output is not what the layer computes (or not what was sent).
     */
    MISMATCH,
    /**
     * The reveal does not prove itself against the committed roots, or is malformed or oversized.
     */
    BAD_PROOF,
    /**
     * The shard's committed input boundary is not the previous stage's committed output boundary.
     */
    BOUNDARY_MISMATCH,
    /** No reveal for this sample before the challenge window closed: counted as cheating. */
    MISSING_REVEAL
  }

  public boolean passed() {
    return status == Status.PASS;
  }

  static Verdict pass(Sample s, ActivationError e) {
    return new Verdict(s, Status.PASS, e, "recomputed output within tolerance");
  }

  static Verdict mismatch(Sample s, ActivationError e, String reason) {
    return new Verdict(s, Status.MISMATCH, e, reason);
  }

  static Verdict badProof(Sample s, String reason) {
    return new Verdict(s, Status.BAD_PROOF, null, reason);
  }

  static Verdict missing(Sample s, String reason) {
    return new Verdict(s, Status.MISSING_REVEAL, null, reason);
  }

  @Override
  public String toString() {
    String err = error == null ? "" : String.format(" (relative error %.3e)", error.relative());
    return sample + ": " + status + err + " - " + reason;
  }
}
