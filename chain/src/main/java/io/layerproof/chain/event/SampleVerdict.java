package io.layerproof.chain.event;

/**
 * A verifier's verdict on one sample: whether the re-executed layer output matched the revealed one
 * within tolerance, and the largest relative error seen (parts per million).
 */
public record SampleVerdict(Sample sample, boolean matched, long maxErrorPpm) {
  public SampleVerdict {
    Checks.present(sample, "sample");
    Checks.nonNegative(maxErrorPpm, "maxErrorPpm");
  }
}
