package io.layerproof.node.gateway;

import static io.layerproof.node.gateway.GatewayTest.MAX_TOKENS;
import static io.layerproof.node.gateway.GatewayTest.MODEL;
import static io.layerproof.node.gateway.GatewayTest.OTHER;
import static io.layerproof.node.gateway.GatewayTest.RICH;
import static io.layerproof.node.gateway.GatewayTest.assertError;
import static io.layerproof.node.gateway.GatewayTest.body;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.layerproof.inference.model.LlamaModel;
import io.layerproof.inference.synth.DefaultModel;
import io.layerproof.inference.synth.SynthProgress;
import io.layerproof.wallet.auth.SignedSessionGrant;
import io.layerproof.wallet.client.LayerproofClient;
import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A gateway on RocksDB stores, stopped and started again on the same folder. */
class GatewayRestartTest {

  static LlamaModel model;
  static PipelineBackend pipeline;

  @TempDir Path dir;

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

  static final GatewayConfig CONFIG =
      new GatewayConfig(
          MODEL, 64 * 1024, BigInteger.valueOf(1000), BigInteger.TEN, 4, 64, 1000, 60);
  static final EscrowCheck ESCROW = EscrowCheck.fixed(new BigInteger("1000000000000000000000"));

  TestGateway start(GatewayStores stores) {
    return new TestGateway(CONFIG, stores, pipeline, ESCROW, null);
  }

  @Test
  void noncesAndSessionsSurviveARestart() throws Exception {
    String chat = body(MODEL, false);
    BigInteger price = CONFIG.quote(MAX_TOKENS);
    Map<String, String> signed;
    SignedSessionGrant grant;
    String key;
    String revokedKey;
    try (GatewayStores stores = GatewayStores.open(dir, Clock.systemUTC());
        TestGateway g = start(stores)) {
      LayerproofClient rich = g.client(RICH);
      signed = rich.signChat(chat, price, Duration.ofMinutes(5)).headers();
      assertEquals(200, g.post("/v1/chat/completions", chat, signed).statusCode());

      LayerproofClient other = g.client(OTHER);
      // A cap for exactly two requests; one is spent before the restart.
      grant = other.grantSession(price.multiply(BigInteger.TWO), Duration.ofMinutes(10));
      key = other.openSession(grant);
      Map<String, String> auth = Map.of("Authorization", "Bearer " + key);
      assertEquals(200, g.post("/v1/chat/completions", chat, auth).statusCode());

      SignedSessionGrant second =
          other.grantSession(price.multiply(BigInteger.TEN), Duration.ofMinutes(10));
      revokedKey = other.openSession(second);
      other.sendRevocation(other.revokeSession(second.grant().sessionId()));
    }

    try (GatewayStores stores = GatewayStores.open(dir, Clock.systemUTC());
        TestGateway g = start(stores)) {
      assertEquals(
          "nonce_replayed", assertError(g.post("/v1/chat/completions", chat, signed), 409));
      assertEquals(
          "nonce_replayed", assertError(g.post("/v1/sessions", grant.toJson(), Map.of()), 409));
      SignedSessionGrant sameId =
          g.client(OTHER)
              .grantSession(
                  grant.grant().sessionId(),
                  BigInteger.TEN.pow(20),
                  grant.grant().expiry(),
                  BigInteger.valueOf(424242));
      assertEquals(
          "session_exists", assertError(g.post("/v1/sessions", sameId.toJson(), Map.of()), 409));
      Map<String, String> auth = Map.of("Authorization", "Bearer " + key);
      assertEquals(
          200, g.post("/v1/chat/completions", chat, auth).statusCode(), "the key still works");
      assertEquals(
          "session_cap_exhausted",
          assertError(g.post("/v1/chat/completions", chat, auth), 402),
          "the charge before the restart counts");
      assertEquals(
          "session_revoked",
          assertError(
              g.post("/v1/chat/completions", chat, Map.of("Authorization", "Bearer " + revokedKey)),
              401));
    }
  }
}
