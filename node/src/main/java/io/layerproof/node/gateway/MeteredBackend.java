package io.layerproof.node.gateway;

import io.layerproof.inference.sampling.FinishReason;
import io.layerproof.inference.sampling.SamplingParams;
import io.layerproof.inference.sampling.TokenListener;
import java.util.List;

/**
 * A backend that reports its tokens and time to first token to {@link GatewayMetrics}; a decorator,
 * so the gateway's handlers carry no metering code.
 */
final class MeteredBackend implements CompletionBackend {

  private final CompletionBackend inner;
  private final GatewayMetrics metrics;

  MeteredBackend(CompletionBackend inner, GatewayMetrics metrics) {
    this.inner = inner;
    this.metrics = metrics;
  }

  @Override
  public Result complete(
      List<ChatMessage> messages, SamplingParams params, TokenListener listener) {
    long start = System.nanoTime();
    TokenListener timed =
        new TokenListener() {
          private boolean first = true;

          @Override
          public void onToken(int index, int tokenId, String textDelta) {
            if (first) {
              first = false;
              metrics.firstToken(System.nanoTime() - start);
            }
            listener.onToken(index, tokenId, textDelta);
          }

          @Override
          public void onFinish(FinishReason reason, String textDelta) {
            listener.onFinish(reason, textDelta);
          }
        };
    Result r = inner.complete(messages, params, timed);
    metrics.completionTokens(r.completionTokens());
    return r;
  }
}
