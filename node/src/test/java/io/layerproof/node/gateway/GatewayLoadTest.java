package io.layerproof.node.gateway;

import static io.layerproof.node.gateway.GatewayTest.DOMAIN;
import static io.layerproof.node.gateway.GatewayTest.OTHER;
import static io.layerproof.node.gateway.GatewayTest.POOR;
import static io.layerproof.node.gateway.GatewayTest.RICH;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.layerproof.chain.event.EthAddress;
import io.layerproof.inference.model.LlamaModel;
import io.layerproof.inference.synth.DefaultModel;
import io.layerproof.inference.synth.SynthProgress;
import io.layerproof.wallet.auth.ChatHeaders;
import io.layerproof.wallet.auth.GatewayVerifier;
import io.layerproof.wallet.client.LayerproofClient;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A bounded load test on loopback: a fixed number of requests from a few client threads, mixing
 * valid signed and session requests with invalid ones of every kind. No 5xx; every refusal has its
 * 4xx and OpenAI's error shape; every valid request is a 200; the backend runs once per valid
 * request and never for a refusal.
 */
class GatewayLoadTest {

  static final String MODEL = "layerproof-devnet";
  static final long BODY_LIMIT = 16 * 1024;
  static final int MAX_TOKENS = 2;
  static final int REQUESTS = 300;
  static final int THREADS = 4;
  static final ObjectMapper JSON = new ObjectMapper();

  /** One kind of request: how to send it, and what must come back. */
  enum Kind {
    SIGNED(200, null),
    SESSION(200, null),
    UNSIGNED(401, "missing_credentials"),
    WRONG_SIGNER(401, "wrong_signer"),
    EXPIRED(401, "expired"),
    REPLAYED(409, "nonce_replayed"),
    POOR_ESCROW(402, "insufficient_escrow"),
    MALFORMED_JSON(400, "invalid_json"),
    OVERSIZED(413, "request_too_large"),
    UNKNOWN_MODEL(404, "model_not_found"),
    UNKNOWN_KEY(401, "invalid_api_key");

    final int status;
    final String code;

    Kind(int status, String code) {
      this.status = status;
      this.code = code;
    }
  }

  static String body(String model) {
    return "{\"model\":\""
        + model
        + "\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}],\"max_tokens\":"
        + MAX_TOKENS
        + ",\"temperature\":0}";
  }

  @Test
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  void mixedLoadHasNo5xxAndNoWorkForRefusals() throws Exception {
    Path dir = Path.of("target", "test-models", "gateway-default").toAbsolutePath();
    Clock clock = Clock.systemUTC();
    EthAddress poor = EthAddress.fromHex(POOR.getAddress());
    EscrowCheck escrow =
        buyer -> buyer.equals(poor) ? BigInteger.ONE : new BigInteger("1000000000000000000000");
    GatewayConfig config =
        new GatewayConfig(
                MODEL, BODY_LIMIT, BigInteger.valueOf(1000), BigInteger.TEN, 4, 64, 1_000_000, 60)
            .withAuthFailureLimit(1_000_000);
    BigInteger price = config.quote(MAX_TOKENS);
    try (LlamaModel model = LlamaModel.open(DefaultModel.ensure(dir, SynthProgress.NONE));
        PipelineBackend pipeline = new PipelineBackend(model)) {
      GatewayTest.CountingBackend backend = new GatewayTest.CountingBackend(pipeline);
      try (Gateway gateway =
          new Gateway(
              null,
              config,
              new GatewayVerifier(DOMAIN, clock),
              escrow,
              NonceStore.inMemory(clock),
              backend,
              clock)) {
        URI base = URI.create("http://127.0.0.1:" + gateway.start("127.0.0.1", 0));
        HttpClient http = HttpClient.newHttpClient();
        LayerproofClient rich = new LayerproofClient(RICH, DOMAIN, base, clock);
        LayerproofClient other = new LayerproofClient(OTHER, DOMAIN, base, clock);
        LayerproofClient poorClient = new LayerproofClient(POOR, DOMAIN, base, clock);
        LayerproofClient past =
            new LayerproofClient(
                RICH,
                DOMAIN,
                base,
                Clock.fixed(Instant.now().minus(Duration.ofHours(1)), ZoneOffset.UTC));
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < THREADS; i++) {
          keys.add(
              other.openSession(
                  other.grantSession(
                      price.multiply(BigInteger.valueOf(REQUESTS)), Duration.ofMinutes(10))));
        }
        String good = body(MODEL);
        String big =
            "{\"model\":\""
                + MODEL
                + "\",\"messages\":[{\"role\":\"user\",\"content\":\""
                + "x".repeat((int) BODY_LIMIT + 10)
                + "\"}],\"max_tokens\":2}";

        Kind[] kinds = Kind.values();
        Map<Kind, AtomicInteger> sent = new ConcurrentHashMap<>();
        AtomicInteger valid = new AtomicInteger();
        AtomicInteger fiveHundreds = new AtomicInteger();
        List<String> failures = java.util.Collections.synchronizedList(new ArrayList<>());
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        int before = backend.calls.get();
        long start = System.nanoTime();
        List<Future<?>> futures = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
          int thread = t;
          futures.add(
              pool.submit(
                  () -> {
                    String key = keys.get(thread);
                    for (int i = thread; i < REQUESTS; i += THREADS) {
                      Kind kind = kinds[i % kinds.length];
                      try {
                        String sentBody = good;
                        Map<String, String> h = new HashMap<>();
                        switch (kind) {
                          case SIGNED ->
                              h.putAll(rich.signChat(good, price, Duration.ofMinutes(5)).headers());
                          case SESSION -> h.put("Authorization", "Bearer " + key);
                          case UNSIGNED -> {}
                          case WRONG_SIGNER -> {
                            h.putAll(other.signChat(good, price, Duration.ofMinutes(5)).headers());
                            h.put(ChatHeaders.ADDRESS, RICH.getAddress());
                          }
                          case EXPIRED ->
                              h.putAll(past.signChat(good, price, Duration.ofMinutes(5)).headers());
                          case REPLAYED -> {
                            h.putAll(rich.signChat(good, price, Duration.ofMinutes(5)).headers());
                            // The first use is valid; the replay below must be refused.
                            HttpResponse<String> first = post(http, base, good, h);
                            valid.incrementAndGet();
                            if (first.statusCode() >= 500) {
                              fiveHundreds.incrementAndGet();
                            }
                            if (first.statusCode() != 200) {
                              failures.add("replay's first use: " + first.statusCode());
                            }
                          }
                          case POOR_ESCROW ->
                              h.putAll(
                                  poorClient
                                      .signChat(good, price, Duration.ofMinutes(5))
                                      .headers());
                          case MALFORMED_JSON -> {
                            h.put("Authorization", "Bearer " + key);
                            sentBody = "{\"model\": oops";
                          }
                          case OVERSIZED -> {
                            h.put("Authorization", "Bearer " + key);
                            sentBody = big;
                          }
                          case UNKNOWN_MODEL -> {
                            sentBody = body("no-such-model");
                            h.putAll(
                                rich.signChat(sentBody, price, Duration.ofMinutes(5)).headers());
                          }
                          case UNKNOWN_KEY -> h.put("Authorization", "Bearer lp-nope-" + i);
                        }
                        HttpResponse<String> r = post(http, base, sentBody, h);
                        sent.computeIfAbsent(kind, k -> new AtomicInteger()).incrementAndGet();
                        if (r.statusCode() >= 500) {
                          fiveHundreds.incrementAndGet();
                        }
                        String problem = check(kind, r);
                        if (problem != null) {
                          failures.add(kind + " #" + i + ": " + problem);
                        }
                        if (kind.status == 200) {
                          valid.incrementAndGet();
                        }
                      } catch (Exception e) {
                        failures.add(kind + " #" + i + ": " + e);
                      }
                    }
                    return null;
                  }));
        }
        for (Future<?> f : futures) {
          f.get(100, TimeUnit.SECONDS);
        }
        pool.shutdown();
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf(
            "GatewayLoadTest: %d requests (+%d replay first uses) in %.1f s, %d valid%n",
            REQUESTS,
            sent.getOrDefault(Kind.REPLAYED, new AtomicInteger()).get(),
            seconds,
            valid.get());

        assertEquals(List.of(), failures);
        assertEquals(0, fiveHundreds.get(), "no 5xx");
        int total = sent.values().stream().mapToInt(AtomicInteger::get).sum();
        assertEquals(REQUESTS, total);
        for (Kind k : kinds) {
          assertTrue(sent.get(k).get() > 0, "sent some " + k);
        }
        assertEquals(
            valid.get(), backend.calls.get() - before, "one backend call per valid request");
      }
    }
  }

  static HttpResponse<String> post(
      HttpClient http, URI base, String body, Map<String, String> headers) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(base.resolve("/v1/chat/completions"))
            .header("Content-Type", "application/json")
            .timeout(Duration.ofSeconds(60))
            .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
    headers.forEach(b::header);
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
  }

  /** Null when {@code r} is what {@code kind} must get, else what is wrong. */
  static String check(Kind kind, HttpResponse<String> r) throws Exception {
    if (r.statusCode() != kind.status) {
      return "status " + r.statusCode() + " != " + kind.status + ": " + r.body();
    }
    JsonNode j = JSON.readTree(r.body());
    if (kind.status == 200) {
      return "chat.completion".equals(j.path("object").asText()) ? null : "not a completion";
    }
    JsonNode e = j.get("error");
    if (e == null
        || !e.path("message").isTextual()
        || !e.path("type").isTextual()
        || !e.has("param")
        || !e.has("code")
        || r.body().contains("Exception")) {
      return "not OpenAI's error shape: " + r.body();
    }
    return kind.code.equals(e.get("code").asText())
        ? null
        : "code " + e.get("code").asText() + " != " + kind.code;
  }
}
