package io.layerproof.verifier.reveal;

import io.layerproof.verifier.sampling.Sample;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;

/**
 * Bounds on a reveal exchange, checked on both sides before any work: a provider refuses a request
 * beyond them, a verifier refuses a response beyond them. A sample at position {@code t} reveals
 * {@code t + 1} input rows, so the response grows with the positions sampled; {@code maxPositions}
 * and {@code maxResponseBytes} keep a hostile peer from making the other side allocate without
 * bound.
 *
 * @param maxSamples samples in one request
 * @param maxPositions the largest sampled position plus one (rows of re-execution input)
 * @param maxProofDepth siblings in one Merkle proof (2^depth leaves)
 * @param maxResponseBytes activation, frame and proof bytes in one response
 */
public record RevealLimits(
    int maxSamples, int maxPositions, int maxProofDepth, long maxResponseBytes) {

  /** Job ids are hex digests; 256 bytes leaves room and no more. */
  public static final int MAX_JOB_ID_BYTES = 256;

  /** 64 samples, 16384 positions, proofs of 40 levels, 512 MiB per response. */
  public static final RevealLimits DEFAULT = new RevealLimits(64, 16_384, 40, 512L << 20);

  public RevealLimits {
    if (maxSamples < 1 || maxPositions < 1 || maxProofDepth < 1 || maxResponseBytes < 1) {
      throw new IllegalArgumentException("reveal limits must be positive");
    }
  }

  /** Throws {@link IllegalArgumentException} naming the first limit {@code request} breaks. */
  public void check(RevealRequest request) {
    checkJobId(request.jobId());
    if (request.samples().size() > maxSamples) {
      throw new IllegalArgumentException(
          request.samples().size() + " samples exceed the limit of " + maxSamples);
    }
    Set<Sample> seen = new HashSet<>();
    for (Sample s : request.samples()) {
      if (s.position() >= maxPositions) {
        throw new IllegalArgumentException(
            "sample " + s + " is beyond the limit of " + maxPositions + " positions");
      }
      if (!seen.add(s)) {
        throw new IllegalArgumentException("sample " + s + " is requested twice");
      }
    }
  }

  static void checkJobId(String jobId) {
    if (jobId == null || jobId.isEmpty()) {
      throw new IllegalArgumentException("missing job id");
    }
    if (jobId.getBytes(StandardCharsets.UTF_8).length > MAX_JOB_ID_BYTES) {
      throw new IllegalArgumentException("job id longer than " + MAX_JOB_ID_BYTES + " bytes");
    }
  }
}
