package io.layerproof.node.gateway;

import io.layerproof.inference.sampling.FinishReason;
import io.layerproof.inference.sampling.SamplingParams;
import io.layerproof.inference.sampling.TokenListener;
import java.util.List;

/**
 * A backend that reports its tokens and time to first token to {@link GatewayMetrics}; a decorator,
 * so the gateway's handlers carry no metering code.
 */
final class MeteredBackend implements JobBackend {

  private final JobBackend inner;
  private final GatewayMetrics metrics;

  MeteredBackend(JobBackend inner, GatewayMetrics metrics) {
    this.inner = inner;
    this.metrics = metrics;
  }

  @Override
  public boolean revokeSession(
      io.layerproof.chain.event.EthAddress buyer,
      io.layerproof.chain.event.Bytes32 sessionId,
      java.math.BigInteger nonce,
      byte[] signature) {
    return inner.revokeSession(buyer, sessionId, nonce, signature);
  }

  @Override
  public OpenedJob open(Authorisation auth, List<ChatMessage> messages, SamplingParams params) {
    return inner.open(auth, messages, params);
  }

  @Override
  public CompletionBackend.Result run(OpenedJob job, TokenListener listener) {
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
    CompletionBackend.Result r = inner.run(job, timed);
    metrics.completionTokens(r.completionTokens());
    return r;
  }
}
