package io.layerproof.verifier.sampling;

/**
 * One sampled check: the output of decoder layer {@code layer} (absolute index in the model) at
 * token position {@code position}. Ordered by position, then layer.
 */
public record Sample(int position, int layer) implements Comparable<Sample> {

  public Sample {
    if (position < 0 || layer < 0) {
      throw new IllegalArgumentException(
          "sample position and layer must be >= 0, got " + position + "/" + layer);
    }
  }

  @Override
  public int compareTo(Sample o) {
    return position != o.position
        ? Integer.compare(position, o.position)
        : Integer.compare(layer, o.layer);
  }

  @Override
  public String toString() {
    return "(token " + position + ", layer " + layer + ")";
  }
}
