package io.layerproof.verifier.tolerance;

/**
 * The largest relative L2 error ({@link ActivationError#relative}) a re-executed layer output may
 * differ from the revealed one by and still pass.
 *
 * <p>Honest results are not bit-identical between provider and verifier: the provider computes a
 * decode step against its KV cache while the verifier re-runs the layer prefill-style over every
 * position, which changes matrix shapes and summation order; activations may be committed as FP16
 * (the verifier re-executes on rounded inputs and compares with a rounded output); thread counts
 * and CPU instruction sets change reductions again. {@link #DEFAULT} is calibrated by {@code
 * ToleranceCalibrationTest} over these sources (1,152 sampled checks of the devnet model, 8 layers,
 * hidden 512; each line is the relative L2 error of honest re-execution):
 *
 * <pre>
 * committed FP32 (any thread count, FP32 or FP16 frames):  max 2.7e-7   (prefill vs decode order)
 * committed FP16 (any thread count, FP32 or FP16 frames):  max 3.4e-4   (FP16 rounding)
 * </pre>
 *
 * <p>Thread count (1 vs 2, provider and verifier on opposite settings) does not move the maximum.
 * FP16 frames between shards change nothing either, because the verifier re-executes on the exact
 * frame the provider received. FP16 commitments dominate: the output is rounded to 11 significant
 * bits (relative L2 error up to {@code 2^-11 = 4.9e-4} from the output, about as much again from
 * the rounded inputs, so about 1e-3 is a bound for honest FP16 work, not only an observation).
 * Other CPUs' instruction sets reorder FP32 sums, which moves FP32 results by around 1e-6 relative:
 * far below this.
 *
 * <p>The default is the observed maximum times {@value #SAFETY_FACTOR}: {@code 1.7e-3}. It sits
 * above the FP16 rounding bound and well below what a cheat changes (smallest errors observed in
 * {@code CheatDetectionTest}): int8 outputs 6.3e-3, 1% noise 9.6e-3, a skipped layer 2.5e-1,
 * another model's weights 3.6e-1.
 */
public record Tolerance(double maxRelativeError) {

  /** Observed honest maximum, see the class comment. */
  public static final double CALIBRATED_MAX_HONEST_ERROR = 3.4e-4;

  /** Margin over the observed maximum. */
  public static final double SAFETY_FACTOR = 5;

  /** The default: the calibrated maximum times the safety factor. */
  public static final Tolerance DEFAULT = calibrated(CALIBRATED_MAX_HONEST_ERROR, SAFETY_FACTOR);

  public Tolerance {
    if (!(maxRelativeError > 0) || Double.isInfinite(maxRelativeError)) {
      throw new IllegalArgumentException("tolerance must be positive, got " + maxRelativeError);
    }
  }

  /** {@code observedMax * safetyFactor}. */
  public static Tolerance calibrated(double observedMax, double safetyFactor) {
    if (safetyFactor < 1) {
      throw new IllegalArgumentException("safety factor below 1: " + safetyFactor);
    }
    return new Tolerance(observedMax * safetyFactor);
  }

  /** True when {@code e} is within the tolerance (NaN never is). */
  public boolean accepts(ActivationError e) {
    return e.relative() <= maxRelativeError;
  }
}
