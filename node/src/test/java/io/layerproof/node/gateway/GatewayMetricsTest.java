package io.layerproof.node.gateway;

import static io.layerproof.node.gateway.GatewayTest.MAX_TOKENS;
import static io.layerproof.node.gateway.GatewayTest.MODEL;
import static io.layerproof.node.gateway.GatewayTest.OTHER;
import static io.layerproof.node.gateway.GatewayTest.RICH;
import static io.layerproof.node.gateway.GatewayTest.assertError;
import static io.layerproof.node.gateway.GatewayTest.body;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.layerproof.inference.model.LlamaModel;
import io.layerproof.inference.sampling.SamplingParams;
import io.layerproof.inference.sampling.TokenListener;
import io.layerproof.inference.synth.DefaultModel;
import io.layerproof.inference.synth.SynthProgress;
import io.layerproof.wallet.auth.ChatHeaders;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.math.BigInteger;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code GET /metrics}: scraped, parsed, and checked against the requests actually made. */
class GatewayMetricsTest {

  static LlamaModel model;
  static PipelineBackend pipeline;
  static final ObjectMapper JSON = new ObjectMapper();
  static final String CHAT = "/v1/chat/completions";

  @BeforeAll
  static void load() {
    Path folder = Path.of("target", "test-models", "gateway-default").toAbsolutePath();
    model = LlamaModel.open(DefaultModel.ensure(folder, SynthProgress.NONE));
    pipeline = new PipelineBackend(model);
  }

  @AfterAll
  static void unload() {
    pipeline.close();
    model.close();
  }

  /** Sums the completion tokens the real backend made, to compare with the counter. */
  static final class TokenTally implements CompletionBackend {
    final AtomicInteger tokens = new AtomicInteger();
    final AtomicInteger withTokens = new AtomicInteger();
    volatile CountDownLatch gate = new CountDownLatch(0);
    final CountDownLatch entered = new CountDownLatch(1);

    @Override
    public Result complete(
        List<ChatMessage> messages, SamplingParams params, TokenListener listener) {
      entered.countDown();
      try {
        gate.await(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      Result r = pipeline.complete(messages, params, listener);
      tokens.addAndGet(r.completionTokens());
      if (r.completionTokens() > 0) {
        withTokens.incrementAndGet();
      }
      return r;
    }
  }

  /** One parsed sample line of the text format. */
  record Sample(String name, Map<String, String> labels, double value) {}

  static List<Sample> parse(String text) {
    List<Sample> out = new java.util.ArrayList<>();
    for (String line : text.split("\n")) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      int space = line.lastIndexOf(' ');
      String series = line.substring(0, space);
      double value = Double.parseDouble(line.substring(space + 1));
      Map<String, String> labels = new HashMap<>();
      String name = series;
      int brace = series.indexOf('{');
      if (brace >= 0) {
        name = series.substring(0, brace);
        String inner = series.substring(brace + 1, series.length() - 1);
        for (String pair : inner.split(",")) {
          if (pair.isEmpty()) {
            continue;
          }
          int eq = pair.indexOf('=');
          labels.put(pair.substring(0, eq), pair.substring(eq + 2, pair.length() - 1));
        }
      }
      out.add(new Sample(name, labels, value));
    }
    return out;
  }

  /** The value of {@code name} whose labels include {@code labels}; 0 when absent. */
  static double value(List<Sample> samples, String name, Map<String, String> labels) {
    return samples.stream()
        .filter(s -> s.name().equals(name))
        .filter(s -> s.labels().entrySet().containsAll(labels.entrySet()))
        .mapToDouble(Sample::value)
        .sum();
  }

  static List<Sample> scrape(TestGateway g) throws Exception {
    HttpResponse<String> r = g.get("/metrics");
    assertEquals(200, r.statusCode());
    assertEquals(
        "text/plain; version=0.0.4; charset=utf-8",
        r.headers().firstValue("Content-Type").orElse(""));
    return parse(r.body());
  }

  static Map<String, String> route(String route, int status) {
    return Map.of("route", route, "status", Integer.toString(status));
  }

  @Test
  void countersMoveByExactlyWhatWasDone() throws Exception {
    GatewayConfig config =
        new GatewayConfig(
            MODEL, 64 * 1024, BigInteger.valueOf(1000), BigInteger.TEN, 4, 64, 1000, 60);
    TokenTally backend = new TokenTally();
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    try (GatewayStores stores = GatewayStores.inMemory(Clock.systemUTC());
        TestGateway g =
            new TestGateway(
                config,
                stores,
                backend,
                EscrowCheck.fixed(new BigInteger("1000000000000000000000")),
                registry)) {
      assertSame(registry, g.gateway.metrics(), "the node's registry is used");
      List<Sample> before = scrape(g);
      String chat = body(MODEL, false);
      BigInteger price = config.quote(MAX_TOKENS);

      // Two valid signed requests, one session request, one unknown key, two wrong signers.
      for (int i = 0; i < 2; i++) {
        assertEquals(200, g.client(RICH).chat(chat, price, Duration.ofMinutes(5)).statusCode());
      }
      String key =
          g.client(OTHER)
              .openSession(
                  g.client(OTHER)
                      .grantSession(price.multiply(BigInteger.TEN), Duration.ofMinutes(5)));
      assertEquals(200, g.post(CHAT, chat, Map.of("Authorization", "Bearer " + key)).statusCode());
      assertError(g.post(CHAT, chat, Map.of("Authorization", "Bearer lp-nope")), 401);
      for (int i = 0; i < 2; i++) {
        Map<String, String> h =
            new HashMap<>(g.client(OTHER).signChat(chat, price, Duration.ofMinutes(5)).headers());
        h.put(ChatHeaders.ADDRESS, RICH.getAddress());
        assertError(g.post(CHAT, chat, h), 401);
      }
      assertError(g.post("/v1/no-such-path", "{}", Map.of()), 404);

      List<Sample> after = scrape(g);
      String requests = "layerproof_gateway_requests_seconds_count";
      assertEquals(
          3.0,
          value(after, requests, route(CHAT, 200)) - value(before, requests, route(CHAT, 200)));
      assertEquals(
          3.0,
          value(after, requests, route(CHAT, 401)) - value(before, requests, route(CHAT, 401)));
      assertEquals(1.0, value(after, requests, route("/v1/sessions", 200)));
      assertEquals(1.0, value(after, requests, route("other", 404)));
      assertEquals(
          1.0, value(after, requests, route("/metrics", 200)), "the first scrape is counted");

      String rejections = "layerproof_gateway_auth_rejections_total";
      assertEquals(1.0, value(after, rejections, Map.of("reason", "invalid_api_key")));
      assertEquals(2.0, value(after, rejections, Map.of("reason", "wrong_signer")));

      assertTrue(backend.tokens.get() > 0);
      assertEquals(
          backend.tokens.get(),
          value(after, "layerproof_gateway_completion_tokens_total", Map.of()));
      assertEquals(
          backend.withTokens.get(),
          value(after, "layerproof_gateway_time_to_first_token_seconds_count", Map.of()));
      assertEquals(
          price.doubleValue(),
          value(after, "layerproof_gateway_session_charges_total", Map.of()),
          "one session request at the quote");
      assertEquals(0.0, value(after, "layerproof_gateway_streams_active", Map.of()));
    }
  }

  @Test
  void activeStreamsCountsAStreamWhileItRuns() throws Exception {
    GatewayConfig config =
        new GatewayConfig(
            MODEL, 64 * 1024, BigInteger.valueOf(1000), BigInteger.TEN, 4, 64, 1000, 60);
    TokenTally backend = new TokenTally();
    backend.gate = new CountDownLatch(1);
    try (GatewayStores stores = GatewayStores.inMemory(Clock.systemUTC());
        TestGateway g =
            new TestGateway(
                config,
                stores,
                backend,
                EscrowCheck.fixed(new BigInteger("1000000000000000000000")),
                null)) {
      String stream = body(MODEL, true);
      HttpRequest.Builder b =
          HttpRequest.newBuilder(g.base.resolve(CHAT))
              .POST(HttpRequest.BodyPublishers.ofString(stream));
      g.client(RICH)
          .signChat(stream, config.quote(MAX_TOKENS), Duration.ofMinutes(5))
          .headers()
          .forEach(b::header);
      CompletableFuture<HttpResponse<String>> pending =
          TestGateway.HTTP.sendAsync(b.build(), HttpResponse.BodyHandlers.ofString());
      assertTrue(backend.entered.await(30, TimeUnit.SECONDS));
      String gauge = "layerproof_gateway_streams_active";
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      double during = 0;
      while (during != 1.0 && System.nanoTime() < deadline) {
        during = value(scrape(g), gauge, Map.of());
      }
      assertEquals(1.0, during, "one stream under way");
      backend.gate.countDown();
      HttpResponse<String> done = pending.get(30, TimeUnit.SECONDS);
      assertEquals(200, done.statusCode());
      assertTrue(done.body().contains("data: [DONE]"));
      deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      double after = 1;
      while (after != 0.0 && System.nanoTime() < deadline) {
        after = value(scrape(g), gauge, Map.of());
      }
      assertEquals(0.0, after, "none once it ended");
      assertEquals(
          1.0,
          value(
              scrape(g),
              "layerproof_gateway_requests_seconds_count",
              Map.of("route", CHAT, "status", "200")));
    }
  }
}
