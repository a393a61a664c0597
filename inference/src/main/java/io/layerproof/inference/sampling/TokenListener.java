package io.layerproof.inference.sampling;

/** Told of each generated token as soon as it is chosen, for streaming. */
@FunctionalInterface
public interface TokenListener {

  TokenListener NONE = (index, tokenId, textDelta) -> {};

  /**
   * @param index 0 for the first generated token
   * @param textDelta text that became final with this token; empty while a multi-byte character or
   *     a possible stop sequence is still open
   */
  void onToken(int index, int tokenId, String textDelta);

  /** Generation ended; {@code textDelta} is text held back until now (often empty). */
  default void onFinish(FinishReason reason, String textDelta) {}
}
