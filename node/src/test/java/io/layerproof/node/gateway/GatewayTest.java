package io.layerproof.node.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.layerproof.chain.event.EthAddress;
import io.layerproof.chain.event.LedgerDomain;
import io.layerproof.inference.model.LlamaModel;
import io.layerproof.inference.sampling.SamplingParams;
import io.layerproof.inference.sampling.TokenListener;
import io.layerproof.inference.synth.DefaultModel;
import io.layerproof.inference.synth.SynthProgress;
import io.layerproof.wallet.auth.ChatHeaders;
import io.layerproof.wallet.auth.SignedChatRequest;
import io.layerproof.wallet.auth.SignedSessionGrant;
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
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.web3j.crypto.Credentials;

/** The gateway over real HTTP on loopback, with the real pipeline backend on the default model. */
class GatewayTest {

  static final String MODEL = "layerproof-devnet";
  static final LedgerDomain DOMAIN =
      new LedgerDomain(1337, EthAddress.fromHex("0x72e136710bac73e9e18b09dca780c303804e71b6"));
  static final Credentials RICH =
      Credentials.create("0x4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318");
  static final Credentials OTHER =
      Credentials.create("0x8da4ef21b864d2cc526dbdb2a120bd2874c36c9d0a1fb7f8c63d7f7a8b41de8f");
  static final Credentials POOR =
      Credentials.create("0x0123456789012345678901234567890123456789012345678901234567890123");
  static final long BODY_LIMIT = 64 * 1024;
  static final int MAX_TOKENS = 6;

  static final ObjectMapper JSON = new ObjectMapper();
  static final HttpClient HTTP = HttpClient.newHttpClient();

  static LlamaModel model;
  static PipelineBackend pipeline;
  static CountingBackend backend;
  static Gateway gateway;
  static GatewayConfig config;
  static URI base;

  /** Counts calls, so refusals can be shown to do no work. */
  static final class CountingBackend implements CompletionBackend {
    final CompletionBackend inner;
    final AtomicInteger calls = new AtomicInteger();

    CountingBackend(CompletionBackend inner) {
      this.inner = inner;
    }

    @Override
    public Result complete(
        List<ChatMessage> messages, SamplingParams params, TokenListener listener) {
      calls.incrementAndGet();
      return inner.complete(messages, params, listener);
    }
  }

  @BeforeAll
  static void start() {
    Path dir = Path.of("target", "test-models", "gateway-default").toAbsolutePath();
    model = LlamaModel.open(DefaultModel.ensure(dir, SynthProgress.NONE));
    pipeline = new PipelineBackend(model);
    backend = new CountingBackend(pipeline);
    EthAddress poor = EthAddress.fromHex(POOR.getAddress());
    EscrowCheck escrow =
        buyer -> buyer.equals(poor) ? BigInteger.ONE : new BigInteger("1000000000000000000000");
    config =
        new GatewayConfig(
                MODEL, BODY_LIMIT, BigInteger.valueOf(1000), BigInteger.TEN, 4, 64, 1000, 60)
            .withAuthFailureLimit(1_000_000);
    Clock clock = Clock.systemUTC();
    gateway =
        new Gateway(
            null,
            config,
            new io.layerproof.wallet.auth.GatewayVerifier(DOMAIN, clock),
            escrow,
            NonceStore.inMemory(clock),
            backend,
            clock);
    int port = gateway.start("127.0.0.1", 0);
    base = URI.create("http://127.0.0.1:" + port);
  }

  @AfterAll
  static void stop() {
    if (gateway != null) {
      gateway.close();
    }
    if (pipeline != null) {
      pipeline.close();
    }
    if (model != null) {
      model.close();
    }
  }

  static LayerproofClient client(Credentials c) {
    return new LayerproofClient(c, DOMAIN, base, Clock.systemUTC());
  }

  static String body(String model, boolean stream) {
    return "{\"model\":\""
        + model
        + "\",\"messages\":[{\"role\":\"system\",\"content\":\"Be brief.\"},"
        + "{\"role\":\"user\",\"content\":\"Hello\"}],\"max_tokens\":"
        + MAX_TOKENS
        + ",\"temperature\":0"
        + (stream ? ",\"stream\":true" : "")
        + "}";
  }

  static BigInteger price() {
    return config.quote(MAX_TOKENS);
  }

  static HttpResponse<String> post(String path, String body, Map<String, String> headers)
      throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(base.resolve(path))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
    headers.forEach(b::header);
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
  }

  static HttpResponse<String> signed(Credentials c, String body) throws Exception {
    return post(
        "/v1/chat/completions",
        body,
        client(c).signChat(body, price(), Duration.ofMinutes(5)).headers());
  }

  /** Asserts the status and OpenAI's error shape; returns the error's code. */
  static String assertError(HttpResponse<String> r, int status) throws Exception {
    assertEquals(status, r.statusCode(), r.body());
    JsonNode error = JSON.readTree(r.body()).get("error");
    assertNotNull(error, r.body());
    assertTrue(error.get("message").isTextual(), r.body());
    assertTrue(error.get("type").isTextual(), r.body());
    assertTrue(error.has("param"), r.body());
    assertTrue(error.has("code"), r.body());
    assertFalse(r.body().contains("Exception"), r.body());
    return error.get("code").asText();
  }

  @Test
  void modelsListsTheServedModel() throws Exception {
    HttpResponse<String> r =
        HTTP.send(
            HttpRequest.newBuilder(base.resolve("/v1/models")).build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(200, r.statusCode());
    JsonNode j = JSON.readTree(r.body());
    assertEquals("list", j.get("object").asText());
    assertEquals(MODEL, j.get("data").get(0).get("id").asText());
  }

  @Test
  void signedCompletion() throws Exception {
    int before = backend.calls.get();
    HttpResponse<String> r = client(RICH).chat(body(MODEL, false), price(), Duration.ofMinutes(5));
    assertEquals(200, r.statusCode(), r.body());
    JsonNode j = JSON.readTree(r.body());
    assertEquals("chat.completion", j.get("object").asText());
    assertEquals(MODEL, j.get("model").asText());
    JsonNode choice = j.get("choices").get(0);
    assertEquals("assistant", choice.get("message").get("role").asText());
    assertTrue(choice.get("message").get("content").isTextual());
    assertTrue(choice.get("finish_reason").isTextual());
    int completion = j.get("usage").get("completion_tokens").asInt();
    assertTrue(completion >= 1 && completion <= MAX_TOKENS, r.body());
    assertTrue(j.get("usage").get("prompt_tokens").asInt() > 0);
    assertEquals(before + 1, backend.calls.get());
  }

  @Test
  void signedStreamedCompletion() throws Exception {
    String body = body(MODEL, true);
    SignedChatRequest s = client(RICH).signChat(body, price(), Duration.ofMinutes(5));
    HttpRequest.Builder b =
        HttpRequest.newBuilder(base.resolve("/v1/chat/completions"))
            .POST(HttpRequest.BodyPublishers.ofString(body));
    s.headers().forEach(b::header);
    HttpResponse<java.util.stream.Stream<String>> r =
        HTTP.send(b.build(), HttpResponse.BodyHandlers.ofLines());
    assertEquals(200, r.statusCode());
    assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("text/event-stream"));
    List<JsonNode> chunks = new ArrayList<>();
    boolean done = false;
    for (String line : (Iterable<String>) r.body()::iterator) {
      if (line.isEmpty()) {
        continue;
      }
      assertTrue(line.startsWith("data: "), line);
      String data = line.substring(6);
      assertFalse(done, "nothing after [DONE]");
      if (data.equals("[DONE]")) {
        done = true;
      } else {
        chunks.add(JSON.readTree(data));
      }
    }
    assertTrue(done, "[DONE] seen");
    assertTrue(chunks.size() >= 2, chunks.toString());
    for (JsonNode c : chunks) {
      assertEquals("chat.completion.chunk", c.get("object").asText());
    }
    assertEquals(
        "assistant", chunks.get(0).get("choices").get(0).get("delta").get("role").asText());
    JsonNode last = chunks.get(chunks.size() - 1).get("choices").get(0);
    assertTrue(last.get("finish_reason").isTextual(), last.toString());
  }

  @Test
  void sessionOpenSpendExhaustRevoke() throws Exception {
    LayerproofClient c = client(OTHER);
    // A cap for exactly two requests at the quoted price.
    SignedSessionGrant grant =
        c.grantSession(price().multiply(BigInteger.TWO), Duration.ofMinutes(10));
    String key = c.openSession(grant);
    assertTrue(key.length() > 40);
    Map<String, String> auth = Map.of("Authorization", "Bearer " + key);
    for (int i = 0; i < 2; i++) {
      HttpResponse<String> ok = post("/v1/chat/completions", body(MODEL, false), auth);
      assertEquals(200, ok.statusCode(), ok.body());
      assertEquals("chat.completion", JSON.readTree(ok.body()).get("object").asText());
    }
    int before = backend.calls.get();
    HttpResponse<String> exhausted = post("/v1/chat/completions", body(MODEL, false), auth);
    assertEquals("session_cap_exhausted", assertError(exhausted, 402));
    assertEquals(before, backend.calls.get());

    // A second session, revoked while it still has cap left.
    SignedSessionGrant second =
        c.grantSession(price().multiply(BigInteger.TEN), Duration.ofMinutes(10));
    String key2 = c.openSession(second);
    Map<String, String> auth2 = Map.of("Authorization", "Bearer " + key2);
    assertEquals(200, post("/v1/chat/completions", body(MODEL, false), auth2).statusCode());
    // Another wallet may not revoke it.
    HttpResponse<String> foreign =
        post(
            "/v1/sessions/revoke",
            client(RICH).revokeSession(second.grant().sessionId()).toJson(),
            Map.of());
    assertError(foreign, 403);
    c.sendRevocation(c.revokeSession(second.grant().sessionId()));
    before = backend.calls.get();
    HttpResponse<String> revoked = post("/v1/chat/completions", body(MODEL, false), auth2);
    assertEquals("session_revoked", assertError(revoked, 401));
    assertEquals(before, backend.calls.get());

    // Replaying the grant is refused.
    assertError(post("/v1/sessions", grant.toJson(), Map.of()), 409);
  }

  @Test
  void refusalsDoNoWork() throws Exception {
    int before = backend.calls.get();
    String good = body(MODEL, false);

    // unsigned
    assertEquals(
        "missing_credentials", assertError(post("/v1/chat/completions", good, Map.of()), 401));

    // unknown API key
    assertEquals(
        "invalid_api_key",
        assertError(
            post("/v1/chat/completions", good, Map.of("Authorization", "Bearer lp-nope")), 401));

    // wrong signer: signed by OTHER, claimed as RICH
    Map<String, String> h =
        new java.util.HashMap<>(
            client(OTHER).signChat(good, price(), Duration.ofMinutes(5)).headers());
    h.put(ChatHeaders.ADDRESS, RICH.getAddress());
    assertEquals("wrong_signer", assertError(post("/v1/chat/completions", good, h), 401));

    // expired
    LayerproofClient past =
        new LayerproofClient(
            RICH,
            DOMAIN,
            base,
            Clock.fixed(Instant.now().minus(Duration.ofHours(1)), ZoneOffset.UTC));
    Map<String, String> expired = past.signChat(good, price(), Duration.ofMinutes(5)).headers();
    assertEquals("expired", assertError(post("/v1/chat/completions", good, expired), 401));

    // insufficient escrow
    assertEquals("insufficient_escrow", assertError(signed(POOR, good), 402));

    // maxPrice below the quote
    Map<String, String> cheap =
        client(RICH).signChat(good, BigInteger.ONE, Duration.ofMinutes(5)).headers();
    assertEquals(
        "max_price_below_quote", assertError(post("/v1/chat/completions", good, cheap), 402));

    // unknown model
    assertEquals("model_not_found", assertError(signed(RICH, body("no-such-model", false)), 404));

    // malformed JSON under signed headers (signed over another body)
    Map<String, String> other =
        client(RICH).signChat(good, price(), Duration.ofMinutes(5)).headers();
    assertError(post("/v1/chat/completions", "{\"model\": oops", other), 400);

    // malformed JSON and missing fields under a session key
    LayerproofClient c = client(OTHER);
    String key =
        c.openSession(c.grantSession(price().multiply(BigInteger.TEN), Duration.ofMinutes(5)));
    Map<String, String> auth = Map.of("Authorization", "Bearer " + key);
    assertEquals("invalid_json", assertError(post("/v1/chat/completions", "{not json", auth), 400));
    assertEquals(
        "missing_field",
        assertError(post("/v1/chat/completions", "{\"model\":\"" + MODEL + "\"}", auth), 400));

    // oversized body
    String big =
        "{\"model\":\""
            + MODEL
            + "\",\"messages\":[{\"role\":\"user\",\"content\":\""
            + "x".repeat((int) BODY_LIMIT + 10)
            + "\"}],\"max_tokens\":4}";
    assertEquals("request_too_large", assertError(post("/v1/chat/completions", big, auth), 413));

    // malformed session grant
    assertError(post("/v1/sessions", "{\"address\":1}", Map.of()), 400);

    assertEquals(before, backend.calls.get(), "no refusal reached the backend");
  }

  @Test
  void replayedNonceIsRefused() throws Exception {
    String good = body(MODEL, false);
    Map<String, String> h = client(RICH).signChat(good, price(), Duration.ofMinutes(5)).headers();
    assertEquals(200, post("/v1/chat/completions", good, h).statusCode());
    int before = backend.calls.get();
    assertEquals("nonce_replayed", assertError(post("/v1/chat/completions", good, h), 409));
    assertEquals(before, backend.calls.get());
  }

  @Test
  void rateLimitPerAddress() throws Exception {
    Clock clock = Clock.systemUTC();
    CountingBackend counting = new CountingBackend(pipeline);
    GatewayConfig tight =
        new GatewayConfig(
            MODEL, BODY_LIMIT, BigInteger.valueOf(1000), BigInteger.TEN, 4, 64, 1, 3600);
    try (Gateway g =
        new Gateway(
            null,
            tight,
            new io.layerproof.wallet.auth.GatewayVerifier(DOMAIN, clock),
            EscrowCheck.fixed(new BigInteger("1000000000000000000000")),
            NonceStore.inMemory(clock),
            counting,
            clock)) {
      URI u = URI.create("http://127.0.0.1:" + g.start("127.0.0.1", 0));
      LayerproofClient c = new LayerproofClient(RICH, DOMAIN, u, clock);
      String good = body(MODEL, false);
      assertEquals(200, c.chat(good, price(), Duration.ofMinutes(5)).statusCode());
      HttpResponse<String> second = c.chat(good, price(), Duration.ofMinutes(5));
      assertEquals("rate_limit_exceeded", assertError(second, 429));
      assertEquals(1, counting.calls.get());
    }
  }

  @Test
  void backendFailureIsAGeneric500() throws Exception {
    Clock clock = Clock.systemUTC();
    CompletionBackend broken =
        (messages, params, listener) -> {
          throw new IllegalStateException("secret internal detail");
        };
    try (Gateway g =
        new Gateway(
            null,
            config,
            new io.layerproof.wallet.auth.GatewayVerifier(DOMAIN, clock),
            EscrowCheck.fixed(new BigInteger("1000000000000000000000")),
            NonceStore.inMemory(clock),
            broken,
            clock)) {
      URI u = URI.create("http://127.0.0.1:" + g.start("127.0.0.1", 0));
      HttpResponse<String> r =
          new LayerproofClient(RICH, DOMAIN, u, clock)
              .chat(body(MODEL, false), price(), Duration.ofMinutes(5));
      assertEquals("internal_error", assertError(r, 500));
      assertFalse(r.body().contains("secret"), r.body());
      assertFalse(r.body().contains("at io."), r.body());
    }
  }

  @Test
  void unknownPathIsOpenAiShaped() throws Exception {
    assertError(post("/v1/nothing", "{}", Map.of()), 404);
  }
}
