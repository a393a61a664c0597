package io.layerproof.node.gateway;

import static io.layerproof.node.gateway.GatewayTest.MAX_TOKENS;
import static io.layerproof.node.gateway.GatewayTest.MODEL;
import static io.layerproof.node.gateway.GatewayTest.OTHER;
import static io.layerproof.node.gateway.GatewayTest.RICH;
import static io.layerproof.node.gateway.GatewayTest.assertError;
import static io.layerproof.node.gateway.GatewayTest.body;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.layerproof.chain.event.Bytes32;
import io.layerproof.inference.model.LlamaModel;
import io.layerproof.inference.synth.DefaultModel;
import io.layerproof.inference.synth.SynthProgress;
import io.layerproof.wallet.auth.ChatHeaders;
import io.layerproof.wallet.auth.SignedSessionGrant;
import io.layerproof.wallet.client.LayerproofClient;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Maximum validity of signed messages, and the per-IP limit on failed authentications. */
class GatewayLimitsTest {

  static LlamaModel model;
  static PipelineBackend pipeline;
  static final EscrowCheck ESCROW = EscrowCheck.fixed(new BigInteger("1000000000000000000000"));
  static final ObjectMapper JSON = new ObjectMapper();

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

  static GatewayConfig config() {
    return new GatewayConfig(
        MODEL, 64 * 1024, BigInteger.valueOf(1000), BigInteger.TEN, 4, 64, 1000, 3600);
  }

  static long now() {
    return Clock.systemUTC().instant().getEpochSecond();
  }

  @Test
  void chatExpiryBeyondMaxRequestValidityIsRefusedWithoutUsingTheNonce() throws Exception {
    GatewayTest.CountingBackend backend = new GatewayTest.CountingBackend(pipeline);
    GatewayConfig config = config();
    assertEquals(Duration.ofHours(1), config.maxRequestValidity(), "the default");
    try (GatewayStores stores = GatewayStores.inMemory(Clock.systemUTC());
        TestGateway g = new TestGateway(config, stores, backend, ESCROW, null)) {
      LayerproofClient c = g.client(RICH);
      String chat = body(MODEL, false);
      BigInteger price = config.quote(MAX_TOKENS);
      BigInteger nonce = BigInteger.valueOf(777_001);
      Map<String, String> far = c.signChat(chat, price, nonce, now() + 2 * 3600).headers();
      var r = g.post("/v1/chat/completions", chat, far);
      assertEquals("expiry_too_far", assertError(r, 400));
      assertTrue(r.body().contains("maxRequestValidity"), r.body());
      assertTrue(r.body().contains("3600"), r.body());
      assertEquals(0, backend.calls.get());
      assertEquals(0, stores.nonces().size(), "no nonce recorded");
      // The same nonce with an acceptable expiry: it was not used up by the refusal.
      Map<String, String> near = c.signChat(chat, price, nonce, now() + 300).headers();
      assertEquals(200, g.post("/v1/chat/completions", chat, near).statusCode());
      assertEquals(1, backend.calls.get());
    }
  }

  @Test
  void aShorterConfiguredLimitApplies() throws Exception {
    GatewayConfig config = config().withValidity(Duration.ofMinutes(1), Duration.ofMinutes(2));
    try (GatewayStores stores = GatewayStores.inMemory(Clock.systemUTC());
        TestGateway g = new TestGateway(config, stores, pipeline, ESCROW, null)) {
      String chat = body(MODEL, false);
      Map<String, String> h =
          g.client(RICH).signChat(chat, config.quote(MAX_TOKENS), Duration.ofMinutes(5)).headers();
      var r = g.post("/v1/chat/completions", chat, h);
      assertEquals("expiry_too_far", assertError(r, 400));
      assertTrue(r.body().contains("60 seconds"), r.body());
      SignedSessionGrant grant =
          g.client(OTHER).grantSession(BigInteger.TEN.pow(18), Duration.ofMinutes(5));
      var s = g.post("/v1/sessions", grant.toJson(), Map.of());
      assertEquals("expiry_too_far", assertError(s, 400));
      assertTrue(s.body().contains("maxSessionValidity"), s.body());
    }
  }

  @Test
  void sessionExpiryBeyondMaxSessionValidityIsRefusedWithoutState() throws Exception {
    GatewayConfig config = config();
    assertEquals(Duration.ofDays(30), config.maxSessionValidity(), "the default");
    try (GatewayStores stores = GatewayStores.inMemory(Clock.systemUTC());
        TestGateway g = new TestGateway(config, stores, pipeline, ESCROW, null)) {
      LayerproofClient c = g.client(OTHER);
      byte[] raw = new byte[32];
      raw[0] = 9;
      Bytes32 id = Bytes32.of(raw);
      BigInteger nonce = BigInteger.valueOf(888_001);
      BigInteger cap = config.quote(MAX_TOKENS).multiply(BigInteger.TEN);
      SignedSessionGrant far = c.grantSession(id, cap, now() + 31L * 86_400, nonce);
      var r = g.post("/v1/sessions", far.toJson(), Map.of());
      assertEquals("expiry_too_far", assertError(r, 400));
      assertTrue(r.body().contains("maxSessionValidity"), r.body());
      assertTrue(stores.sessions().find(id).isEmpty(), "no session");
      assertEquals(0, stores.nonces().size(), "no nonce recorded");
      // Same id and nonce, acceptable expiry: both still free.
      SignedSessionGrant near = c.grantSession(id, cap, now() + 29L * 86_400, nonce);
      String key = c.openSession(near);
      assertEquals(
          200,
          g.post(
                  "/v1/chat/completions",
                  body(MODEL, false),
                  Map.of("Authorization", "Bearer " + key))
              .statusCode());
    }
  }

  @Test
  void unknownKeysAreLimitedPerIp() throws Exception {
    GatewayConfig config = config().withAuthFailureLimit(3);
    GatewayTest.CountingBackend backend = new GatewayTest.CountingBackend(pipeline);
    try (GatewayStores stores = GatewayStores.inMemory(Clock.systemUTC());
        TestGateway g = new TestGateway(config, stores, backend, ESCROW, null)) {
      LayerproofClient c = g.client(OTHER);
      String key = c.openSession(c.grantSession(BigInteger.TEN.pow(18), Duration.ofMinutes(5)));
      String chat = body(MODEL, false);
      assertEquals(
          200,
          g.post("/v1/chat/completions", chat, Map.of("Authorization", "Bearer " + key))
              .statusCode());
      for (int i = 0; i < 3; i++) {
        var r =
            g.post("/v1/chat/completions", chat, Map.of("Authorization", "Bearer lp-guess-" + i));
        assertEquals("invalid_api_key", assertError(r, 401));
      }
      var limited =
          g.post("/v1/chat/completions", chat, Map.of("Authorization", "Bearer lp-guess-x"));
      assertEquals("too_many_auth_failures", assertError(limited, 429));
      // Even a right key from this IP waits out the window: a guess cannot be confirmed.
      var right = g.post("/v1/chat/completions", chat, Map.of("Authorization", "Bearer " + key));
      assertEquals("too_many_auth_failures", assertError(right, 429));
      assertEquals(1, backend.calls.get());

      // Another remote IP is not limited.
      int port = g.base.getPort();
      assertEquals(401, rawStatus("127.0.0.2", port, chat, "Bearer lp-guess-y"));
      assertEquals(200, rawStatus("127.0.0.2", port, chat, "Bearer " + key));
      assertEquals(2, backend.calls.get());
    }
  }

  @Test
  void failedSignaturesAreLimitedPerIpButOtherRefusalsAreNot() throws Exception {
    GatewayConfig config = config().withAuthFailureLimit(2);
    try (GatewayStores stores = GatewayStores.inMemory(Clock.systemUTC());
        TestGateway g = new TestGateway(config, stores, pipeline, ESCROW, null)) {
      String chat = body(MODEL, false);
      BigInteger price = config.quote(MAX_TOKENS);
      // Refusals that are not failed authentications do not count.
      for (int i = 0; i < 4; i++) {
        Map<String, String> cheap =
            g.client(RICH).signChat(chat, BigInteger.ONE, Duration.ofMinutes(5)).headers();
        assertEquals(
            "max_price_below_quote", assertError(g.post("/v1/chat/completions", chat, cheap), 402));
        assertEquals(
            "missing_credentials",
            assertError(g.post("/v1/chat/completions", chat, Map.of()), 401));
      }
      for (int i = 0; i < 2; i++) {
        Map<String, String> h =
            new HashMap<>(g.client(OTHER).signChat(chat, price, Duration.ofMinutes(5)).headers());
        h.put(ChatHeaders.ADDRESS, RICH.getAddress());
        assertEquals("wrong_signer", assertError(g.post("/v1/chat/completions", chat, h), 401));
      }
      Map<String, String> good =
          g.client(RICH).signChat(chat, price, Duration.ofMinutes(5)).headers();
      assertEquals(
          "too_many_auth_failures", assertError(g.post("/v1/chat/completions", chat, good), 429));
      // Session grants from this IP are held back too.
      SignedSessionGrant grant =
          g.client(OTHER).grantSession(BigInteger.TEN.pow(18), Duration.ofMinutes(5));
      assertEquals(
          "too_many_auth_failures",
          assertError(g.post("/v1/sessions", grant.toJson(), Map.of()), 429));
      assertEquals(0, stores.nonces().size(), "nothing accepted while limited");
    }
  }

  /** Sends a chat request from {@code localIp} (a loopback alias) and returns the status. */
  static int rawStatus(String localIp, int port, String body, String authorization)
      throws Exception {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    try (Socket s = new Socket()) {
      s.bind(new InetSocketAddress(localIp, 0));
      s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
      s.setSoTimeout(30_000);
      OutputStream out = s.getOutputStream();
      String head =
          "POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\n"
              + "Content-Type: application/json\r\nConnection: close\r\n"
              + "Authorization: "
              + authorization
              + "\r\nContent-Length: "
              + bytes.length
              + "\r\n\r\n";
      out.write(head.getBytes(StandardCharsets.US_ASCII));
      out.write(bytes);
      out.flush();
      InputStream in = s.getInputStream();
      String response = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      return Integer.parseInt(response.split(" ", 3)[1]);
    }
  }

  @Test
  void jobViewsAreLimitedPerRemoteAddressBeforeAnyLookup() throws Exception {
    java.util.concurrent.atomic.AtomicInteger lookups =
        new java.util.concurrent.atomic.AtomicInteger();
    JobQueries queries =
        new JobQueries() {
          @Override
          public java.util.Optional<io.vertx.core.json.JsonObject> job(
              io.layerproof.chain.event.Bytes32 id) {
            lookups.incrementAndGet();
            return java.util.Optional.of(
                new io.vertx.core.json.JsonObject().put("id", id.toString()));
          }

          @Override
          public java.util.Optional<io.vertx.core.json.JsonObject> audit(
              io.layerproof.chain.event.Bytes32 id) {
            lookups.incrementAndGet();
            return java.util.Optional.empty();
          }
        };
    GatewayConfig limited =
        new GatewayConfig(
            MODEL, 64 * 1024, BigInteger.valueOf(1000), BigInteger.TEN, 4, 64, 3, 3600);
    Clock clock = Clock.systemUTC();
    try (GatewayStores stores = GatewayStores.inMemory(clock);
        Gateway gateway =
            new Gateway(
                null,
                limited,
                new io.layerproof.wallet.auth.GatewayVerifier(GatewayTest.DOMAIN, clock),
                ESCROW,
                stores,
                JobBackend.local(pipeline),
                clock,
                null,
                queries)) {
      java.net.URI base = java.net.URI.create("http://127.0.0.1:" + gateway.start("127.0.0.1", 0));
      String id = "0x" + "ab".repeat(32);
      java.util.function.Function<String, java.net.http.HttpResponse<String>> get =
          path -> {
            try {
              return TestGateway.HTTP.send(
                  java.net.http.HttpRequest.newBuilder(base.resolve(path)).build(),
                  java.net.http.HttpResponse.BodyHandlers.ofString());
            } catch (Exception e) {
              throw new IllegalStateException(e);
            }
          };
      assertEquals(400, get.apply("/v1/jobs/0x12").statusCode(), "a bad id is refused first");
      assertEquals(200, get.apply("/v1/jobs/" + id).statusCode());
      assertEquals(404, get.apply("/v1/jobs/" + id + "/audit").statusCode());
      assertEquals(200, get.apply("/v1/jobs/" + id).statusCode());
      var refused = get.apply("/v1/jobs/" + id + "/audit");
      assertEquals(429, refused.statusCode(), refused.body());
      assertEquals(
          "rate_limit_exceeded", JSON.readTree(refused.body()).get("error").get("code").asText());
      assertEquals(3, lookups.get(), "the refused view never reached the ledger or the chain");
    }
  }
}
