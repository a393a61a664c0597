package io.layerproof.node.gateway;

import io.layerproof.inference.sampling.FinishReason;
import io.layerproof.inference.sampling.SamplingParams;
import io.layerproof.inference.sampling.TokenListener;
import java.util.List;

/** Runs a chat completion (blocking; the gateway calls it on a worker thread). */
public interface CompletionBackend {

  /** The result: prompt and completion token counts and why generation ended. */
  record Result(int promptTokens, int completionTokens, String text, FinishReason finishReason) {}

  /**
   * Generates a reply to {@code messages}, telling {@code listener} each token's text as it comes.
   * {@code params.maxTokens()} bounds the completion.
   */
  Result complete(List<ChatMessage> messages, SamplingParams params, TokenListener listener);
}
