package io.layerproof.chain.event;

import java.math.BigInteger;
import java.util.List;
import java.util.Objects;

/** Field checks shared by the event records; each failure names the field. */
final class Checks {

  private static final int MAX_UINT256_BITS = 256;

  private Checks() {}

  static <T> T present(T value, String field) {
    return Objects.requireNonNull(value, () -> field + " is missing");
  }

  static int nonNegative(int value, String field) {
    if (value < 0) {
      throw new IllegalArgumentException(field + " must be >= 0, got " + value);
    }
    return value;
  }

  static long nonNegative(long value, String field) {
    if (value < 0) {
      throw new IllegalArgumentException(field + " must be >= 0, got " + value);
    }
    return value;
  }

  static BigInteger uint256(BigInteger value, String field) {
    present(value, field);
    if (value.signum() < 0 || value.bitLength() > MAX_UINT256_BITS) {
      throw new IllegalArgumentException(field + " is not a uint256: " + value);
    }
    return value;
  }

  /** An immutable copy that refuses null elements. */
  static <T> List<T> list(List<T> values, String field) {
    present(values, field);
    for (T v : values) {
      present(v, field + " element");
    }
    return List.copyOf(values);
  }

  static void layerRange(int start, int end, String field) {
    nonNegative(start, field + ".startLayer");
    if (end <= start) {
      throw new IllegalArgumentException(field + ": endLayer " + end + " <= startLayer " + start);
    }
  }
}
