package io.layerproof.node.gateway;

import java.math.BigInteger;
import java.time.Duration;
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
 * @param maxRequestValidity a signed chat request expiring later than now plus this is refused (400
 *     {@code expiry_too_far}); it bounds how long the nonce store must remember a nonce
 * @param maxSessionValidity the same for a session grant
 * @param authFailureLimit failed authentications (unknown API key, bad signature) per remote IP per
 *     {@code rateWindowSeconds}; once reached, that IP's authenticated requests get 429 until the
 *     window ends, which bounds key guessing
 */
public record GatewayConfig(
    String modelId,
    long maxBodyBytes,
    BigInteger pricePerRequest,
    BigInteger pricePerToken,
    int defaultMaxTokens,
    int maxTokensLimit,
    int rateLimit,
    long rateWindowSeconds,
    Duration maxRequestValidity,
    Duration maxSessionValidity,
    int authFailureLimit) {

  public static final Duration DEFAULT_MAX_REQUEST_VALIDITY = Duration.ofHours(1);
  public static final Duration DEFAULT_MAX_SESSION_VALIDITY = Duration.ofDays(30);
  public static final int DEFAULT_AUTH_FAILURE_LIMIT = 10;

  public GatewayConfig {
    Objects.requireNonNull(modelId, "modelId");
    Objects.requireNonNull(pricePerRequest, "pricePerRequest");
    Objects.requireNonNull(pricePerToken, "pricePerToken");
    Objects.requireNonNull(maxRequestValidity, "maxRequestValidity");
    Objects.requireNonNull(maxSessionValidity, "maxSessionValidity");
    if (maxRequestValidity.getSeconds() < 1 || maxSessionValidity.getSeconds() < 1) {
      throw new IllegalArgumentException("validity limits must be at least one second");
    }
  }

  /** The settings with the default validity and auth-failure limits. */
  public GatewayConfig(
      String modelId,
      long maxBodyBytes,
      BigInteger pricePerRequest,
      BigInteger pricePerToken,
      int defaultMaxTokens,
      int maxTokensLimit,
      int rateLimit,
      long rateWindowSeconds) {
    this(
        modelId,
        maxBodyBytes,
        pricePerRequest,
        pricePerToken,
        defaultMaxTokens,
        maxTokensLimit,
        rateLimit,
        rateWindowSeconds,
        DEFAULT_MAX_REQUEST_VALIDITY,
        DEFAULT_MAX_SESSION_VALIDITY,
        DEFAULT_AUTH_FAILURE_LIMIT);
  }

  /** These settings quoting {@code perRequest + perToken * maxTokens}. */
  public GatewayConfig withPrices(BigInteger perRequest, BigInteger perToken) {
    return new GatewayConfig(
        modelId,
        maxBodyBytes,
        perRequest,
        perToken,
        defaultMaxTokens,
        maxTokensLimit,
        rateLimit,
        rateWindowSeconds,
        maxRequestValidity,
        maxSessionValidity,
        authFailureLimit);
  }

  public static GatewayConfig defaults(String modelId) {
    return new GatewayConfig(
        modelId, 1 << 20, BigInteger.valueOf(1000), BigInteger.TEN, 64, 4096, 60, 60);
  }

  /** The same settings with other validity limits. */
  public GatewayConfig withValidity(Duration request, Duration session) {
    return new GatewayConfig(
        modelId,
        maxBodyBytes,
        pricePerRequest,
        pricePerToken,
        defaultMaxTokens,
        maxTokensLimit,
        rateLimit,
        rateWindowSeconds,
        request,
        session,
        authFailureLimit);
  }

  /** The same settings with another limit on failed authentications per IP. */
  public GatewayConfig withAuthFailureLimit(int limit) {
    return new GatewayConfig(
        modelId,
        maxBodyBytes,
        pricePerRequest,
        pricePerToken,
        defaultMaxTokens,
        maxTokensLimit,
        rateLimit,
        rateWindowSeconds,
        maxRequestValidity,
        maxSessionValidity,
        limit);
  }

  /** The price quoted for a request of {@code maxTokens}. */
  public BigInteger quote(long maxTokens) {
    return pricePerRequest.add(pricePerToken.multiply(BigInteger.valueOf(maxTokens)));
  }
}
