package io.layerproof.node.gateway;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.math.BigInteger;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The gateway's meters, on a Prometheus registry the node may add its own meters to. Names as
 * scraped:
 *
 * <pre>
 * layerproof_gateway_requests_seconds{route,status}        timer: every HTTP request
 * layerproof_gateway_auth_rejections_total{reason}          refused before any work, by error code
 * layerproof_gateway_completion_tokens_total                tokens generated
 * layerproof_gateway_time_to_first_token_seconds            timer: backend handoff to first token
 * layerproof_gateway_streams_active                         gauge: SSE responses under way
 * layerproof_gateway_session_charges_total                  token base units charged to sessions
 * </pre>
 */
public final class GatewayMetrics {

  static final String REQUESTS = "layerproof.gateway.requests";
  static final String AUTH_REJECTIONS = "layerproof.gateway.auth.rejections";
  static final String COMPLETION_TOKENS = "layerproof.gateway.completion.tokens";
  static final String TIME_TO_FIRST_TOKEN = "layerproof.gateway.time.to.first.token";
  static final String ACTIVE_STREAMS = "layerproof.gateway.streams.active";
  static final String SESSION_CHARGES = "layerproof.gateway.session.charges";

  /** Routes tagged by name; anything else is "other", so unknown paths cannot grow the series. */
  private static final Set<String> ROUTES =
      Set.of(
          "/v1/models", "/v1/chat/completions", "/v1/sessions", "/v1/sessions/revoke", "/metrics");

  /** Job views by their pattern, not their id. */
  private static String routeOf(String path) {
    if (ROUTES.contains(path)) {
      return path;
    }
    if (path.startsWith("/v1/jobs/")) {
      return path.endsWith("/audit") ? "/v1/jobs/{id}/audit" : "/v1/jobs/{id}";
    }
    return "other";
  }

  private final PrometheusMeterRegistry registry;
  private final Counter completionTokens;
  private final Timer timeToFirstToken;
  private final Counter sessionCharges;
  private final AtomicInteger activeStreams = new AtomicInteger();

  /** Meters on {@code registry}, or on a new one when it is null. */
  GatewayMetrics(PrometheusMeterRegistry registry) {
    this.registry =
        registry != null ? registry : new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    completionTokens =
        Counter.builder(COMPLETION_TOKENS)
            .description("Completion tokens generated")
            .register(this.registry);
    timeToFirstToken =
        Timer.builder(TIME_TO_FIRST_TOKEN)
            .description("From handing a request to the backend to its first token")
            .register(this.registry);
    sessionCharges =
        Counter.builder(SESSION_CHARGES)
            .description("Token base units charged to sessions")
            .register(this.registry);
    Gauge.builder(ACTIVE_STREAMS, activeStreams, AtomicInteger::get)
        .description("Streamed (SSE) responses under way")
        .register(this.registry);
  }

  public PrometheusMeterRegistry registry() {
    return registry;
  }

  /** The text a scrape answers (Prometheus text format 0.0.4). */
  String scrape() {
    return registry.scrape();
  }

  void request(String path, int status, long nanos) {
    Timer.builder(REQUESTS)
        .description("HTTP requests by route and status")
        .tag("route", routeOf(path))
        .tag("status", Integer.toString(status))
        .register(registry)
        .record(Duration.ofNanos(nanos));
  }

  void rejection(String reason) {
    Counter.builder(AUTH_REJECTIONS)
        .description("Requests refused before any work, by error code")
        .tag("reason", reason == null ? "unknown" : reason)
        .register(registry)
        .increment();
  }

  void completionTokens(int tokens) {
    completionTokens.increment(tokens);
  }

  void firstToken(long nanos) {
    timeToFirstToken.record(Duration.ofNanos(nanos));
  }

  void streamStarted() {
    activeStreams.incrementAndGet();
  }

  void streamEnded() {
    activeStreams.decrementAndGet();
  }

  /** A counter holds a double: exact up to 2^53 base units in all. */
  void sessionCharge(BigInteger amount) {
    sessionCharges.increment(amount.doubleValue());
  }

  /** {@code backend} with its tokens and time to first token metered. */
  JobBackend meter(JobBackend backend) {
    return new MeteredBackend(Objects.requireNonNull(backend, "backend"), this);
  }
}
