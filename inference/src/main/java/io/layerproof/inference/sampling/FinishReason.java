package io.layerproof.inference.sampling;

/** Why generation ended. */
public enum FinishReason {
  /** Hit {@link SamplingParams#maxTokens()}. */
  MAX_TOKENS,
  /** The model produced an end-of-sequence token. */
  EOS,
  /** A stop sequence appeared in the text. */
  STOP_SEQUENCE
}
