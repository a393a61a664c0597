package io.layerproof.inference.model;

/**
 * The {@code rope_scaling} block of a Hugging Face config: {@code llama3} (frequency-dependent, as
 * in Llama 3.1+) or {@code linear} (positions divided by {@code factor}).
 */
public record RopeScaling(
    String type,
    double factor,
    double lowFreqFactor,
    double highFreqFactor,
    int originalMaxPositionEmbeddings) {

  public RopeScaling {
    if (!"llama3".equals(type) && !"linear".equals(type)) {
      throw new ModelFormatException(
          "rope_scaling type '" + type + "' is not supported (llama3 or linear)");
    }
    if (!(factor >= 1.0) || Double.isInfinite(factor)) {
      throw new ModelFormatException("rope_scaling factor must be >= 1, got " + factor);
    }
    if ("llama3".equals(type)
        && (!(lowFreqFactor > 0)
            || !(highFreqFactor > lowFreqFactor)
            || originalMaxPositionEmbeddings <= 0)) {
      throw new ModelFormatException(
          "llama3 rope_scaling needs 0 < low_freq_factor < high_freq_factor and a positive"
              + " original_max_position_embeddings");
    }
  }

  /** Llama 3.1's published values. */
  public static RopeScaling llama3(double factor, int originalMaxPositionEmbeddings) {
    return new RopeScaling("llama3", factor, 1.0, 4.0, originalMaxPositionEmbeddings);
  }
}
