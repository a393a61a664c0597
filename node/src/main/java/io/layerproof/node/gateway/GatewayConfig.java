package io.layerproof.node.gateway;

import java.math.BigInteger;
import java.util.Objects;

/**
 * Gateway settings.
 *
 * @param modelId the one model served (what {@code GET /v1/models} lists and requests must name)
 * @param maxBodyBytes request bodies above this are refused with 413
 * @param pricePerRequest with {@code pricePerToken}, the quote: {@code pricePerRequest +
 *     pricePerToken * maxTokens} (token base units)
 * @param defaultMaxTokens for session requests that name no {@code max_tokens}
 * @param maxTokensLimit larger {@code max_tokens} are refused with 400
 * @param rateLimit requests per address per {@code rateWindowSeconds}; more get 429
 */
public record GatewayConfig(
    String modelId,
    long maxBodyBytes,
    BigInteger pricePerRequest,
    BigInteger pricePerToken,
    int defaultMaxTokens,
    int maxTokensLimit,
    int rateLimit,
    long rateWindowSeconds) {

  public GatewayConfig {
    Objects.requireNonNull(modelId, "modelId");
    Objects.requireNonNull(pricePerRequest, "pricePerRequest");
    Objects.requireNonNull(pricePerToken, "pricePerToken");
  }

  public static GatewayConfig defaults(String modelId) {
    return new GatewayConfig(
        modelId, 1 << 20, BigInteger.valueOf(1000), BigInteger.TEN, 64, 4096, 60, 60);
  }

  /** The price quoted for a request of {@code maxTokens}. */
  public BigInteger quote(long maxTokens) {
    return pricePerRequest.add(pricePerToken.multiply(BigInteger.valueOf(maxTokens)));
  }
}
