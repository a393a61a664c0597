package io.layerproof.inference.sampling;

/**
 * A finished generation.
 *
 * @param tokens generated ids (an end-of-sequence token that ended it is not included)
 * @param text their text, cut before a stop sequence; empty without a tokenizer
 */
public record Generation(int[] promptTokens, int[] tokens, String text, FinishReason finishReason) {

  public Generation {
    promptTokens = promptTokens.clone();
    tokens = tokens.clone();
  }

  @Override
  public int[] promptTokens() {
    return promptTokens.clone();
  }

  @Override
  public int[] tokens() {
    return tokens.clone();
  }
}
