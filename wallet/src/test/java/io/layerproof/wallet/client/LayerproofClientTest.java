package io.layerproof.wallet.client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.layerproof.chain.contracts.JobMarketEip712;
import io.layerproof.chain.event.Bytes32;
import io.layerproof.chain.event.EthAddress;
import io.layerproof.chain.event.LedgerDomain;
import io.layerproof.contracts.generated.JobMarket;
import io.layerproof.wallet.TestKeys;
import io.layerproof.wallet.auth.ChatHeaders;
import io.layerproof.wallet.auth.GatewayVerifier;
import io.layerproof.wallet.auth.RejectReason;
import io.layerproof.wallet.auth.SignedChatRequest;
import io.layerproof.wallet.auth.SignedRevocation;
import io.layerproof.wallet.auth.SignedSessionGrant;
import io.layerproof.wallet.auth.Verification;
import io.layerproof.wallet.eip712.ChatRequest;
import io.layerproof.wallet.eip712.MessagesHash;
import io.layerproof.wallet.eip712.RevokeSession;
import io.layerproof.wallet.eip712.SessionGrant;
import io.layerproof.wallet.keystore.Keystore;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.Hash;

/**
 * The buyer's client: the headers and JSON it produces verify with {@link GatewayVerifier}, over
 * real HTTP against a stand-in gateway (the JDK's HttpServer) that runs the verifier, and its chat
 * signature is the JobRequest signature JobMarket verifies.
 */
class LayerproofClientTest {

  static final LedgerDomain D = TestKeys.DEPLOYMENT;
  static final Credentials BUYER = TestKeys.credentials("client");
  static final String BODY =
      "{\"model\":\"llama-3.2-1b\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}],"
          + "\"max_tokens\":64}";
  static final BigInteger PRICE = BigInteger.valueOf(1_000_000);

  static LayerproofClient client(URI gateway) {
    return new LayerproofClient(BUYER, D, gateway, TestKeys.clockAt(TestKeys.NOW));
  }

  static GatewayVerifier verifier() {
    return new GatewayVerifier(D, TestKeys.clockAt(TestKeys.NOW + 1));
  }

  @Test
  void producesTheFiveHeadersAndTheyVerify() throws Exception {
    LayerproofClient c = client(URI.create("http://127.0.0.1:1"));
    SignedChatRequest s = c.signChat(BODY, PRICE, Duration.ofMinutes(5));
    Map<String, String> h = s.headers();
    assertEquals(ChatHeaders.ALL, List.copyOf(h.keySet()));
    assertEquals(BUYER.getAddress(), h.get(ChatHeaders.ADDRESS));
    assertEquals("1000000", h.get(ChatHeaders.MAX_PRICE));
    assertEquals(Long.toString(TestKeys.NOW + 300), h.get(ChatHeaders.EXPIRY));
    assertTrue(h.get(ChatHeaders.NONCE).matches("0|[1-9][0-9]*"));
    assertTrue(h.get(ChatHeaders.SIGNATURE).matches("0x[0-9a-f]{130}"));

    Verification.Valid<ChatRequest> v =
        verifier().verifyChatHttp(h::get, BODY.getBytes(StandardCharsets.UTF_8)).orThrow();
    assertEquals(c.address(), v.signer());
    assertEquals(64, v.message().maxTokens());

    // Fresh random nonces: two signings of the same body differ.
    assertNotEquals(
        s.request().nonce(), c.signChat(BODY, PRICE, Duration.ofMinutes(5)).request().nonce());
  }

  @Test
  void itsChatSignatureIsTheJobRequestSignatureJobMarketVerifies() throws Exception {
    LayerproofClient c = client(URI.create("http://127.0.0.1:1"));
    SignedChatRequest s = c.signChat(BODY, PRICE, Duration.ofMinutes(5));
    JobMarket.JobRequest job = s.request().toJobRequest();
    assertArrayEquals(
        Hash.sha3("llama-3.2-1b".getBytes(StandardCharsets.UTF_8)), job.model, "model hash");
    assertArrayEquals(
        MessagesHash.ofJson("[{\"role\":\"user\",\"content\":\"Hi\"}]").toByteArray(),
        job.messagesHash);
    assertEquals(BigInteger.valueOf(64), job.maxTokens);
    assertEquals(PRICE, job.maxPrice);
    assertEquals(s.request().nonce(), job.nonce);
    assertEquals(BigInteger.valueOf(TestKeys.NOW + 300), job.expiry);

    // JobMarket's own encoding (the chain module's) recovers the client's address.
    byte[] jobId = JobMarketEip712.jobRequestDigest(D.chainId(), D.contract().toString(), job);
    assertEquals(
        c.address(),
        EthAddress.fromHex(JobMarketEip712.recover(jobId, s.signature().toByteArray())));
    // The gateway's verified digest is that jobId.
    Verification.Valid<ChatRequest> v =
        verifier()
            .verifyChatHttp(s.headers()::get, BODY.getBytes(StandardCharsets.UTF_8))
            .orThrow();
    assertArrayEquals(jobId, v.digest().toByteArray());
  }

  @Test
  void refusesBodiesThatCannotBeSignedAndNonPositiveValidity() {
    LayerproofClient c = client(URI.create("http://127.0.0.1:1"));
    String noLimit = BODY.replace(",\"max_tokens\":64", "");
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> c.signChat(noLimit, PRICE, Duration.ofMinutes(1)));
    assertTrue(e.getMessage().contains("max_tokens"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> c.signChat(BODY, PRICE, Duration.ZERO));
    assertThrows(
        IllegalArgumentException.class,
        () -> c.signChat(BODY, BigInteger.ZERO, Duration.ofMinutes(1)));
  }

  @Test
  void grantsAndRevocationsVerifyAndRoundTripThroughJson() throws Exception {
    LayerproofClient c = client(URI.create("http://127.0.0.1:1"));
    SignedSessionGrant g = c.grantSession(BigInteger.TEN.pow(19), Duration.ofHours(1));
    assertEquals(TestKeys.NOW + 3600, g.grant().expiry());
    assertEquals(D, g.domain());
    Verification.Valid<SessionGrant> v =
        verifier().verifyGrantJson(g.toJson().getBytes(StandardCharsets.UTF_8)).orThrow();
    assertEquals(c.address(), v.signer());
    assertNotEquals(
        g.grant().sessionId(),
        c.grantSession(BigInteger.ONE, Duration.ofHours(1)).grant().sessionId(),
        "random session ids");

    SignedRevocation r = c.revokeSession(g.grant().sessionId());
    Verification.Valid<RevokeSession> rv =
        verifier().verifyRevocationJson(r.toJson().getBytes(StandardCharsets.UTF_8)).orThrow();
    assertEquals(g.grant().sessionId(), rv.message().sessionId());
    assertEquals(v.signer(), rv.signer(), "revoked by the wallet that granted it");

    // A client configured for another deployment is refused by this gateway.
    LayerproofClient elsewhere =
        new LayerproofClient(
            BUYER, new LedgerDomain(1, D.contract()), c.gateway(), TestKeys.clockAt(TestKeys.NOW));
    SignedSessionGrant wrong = elsewhere.grantSession(BigInteger.ONE, Duration.ofHours(1));
    assertEquals(
        RejectReason.WRONG_DOMAIN,
        verifier().verifyGrantJson(wrong.toJson().getBytes(StandardCharsets.UTF_8)).reasonOrNull());
  }

  @Test
  void worksFromAKeystoreAndNeverPrintsTheKey(@TempDir Path dir) throws Exception {
    Keystore ks =
        Keystore.importPrivateKey(
            dir.resolve("buyer.json"), "pw for test", TestKeys.privateKeyHex("client"));
    LayerproofClient c = LayerproofClient.create(ks, D, URI.create("http://127.0.0.1:8080"));
    assertEquals(EthAddress.fromHex(BUYER.getAddress()), c.address());
    String text = c.toString();
    assertTrue(text.contains(BUYER.getAddress()), text);
    assertFalse(text.contains(TestKeys.privateKeyHex("client").substring(2)), "no key in toString");
  }

  @Test
  void roundTripsOverHttpWithAStandInGatewayThatVerifies() throws Exception {
    List<String> seen = new CopyOnWriteArrayList<>();
    GatewayVerifier verifier = verifier();
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        LayerproofClient.CHAT_PATH,
        ex -> {
          byte[] body = ex.getRequestBody().readAllBytes();
          Verification<ChatRequest> v =
              verifier.verifyChatHttp(ex.getRequestHeaders()::getFirst, body);
          seen.add("chat " + (v.isValid() ? "valid" : v.reasonOrNull()));
          seen.add(new String(body, StandardCharsets.UTF_8));
          reply(ex, v.isValid() ? 200 : 401, "{\"object\":\"chat.completion\"}");
        });
    server.createContext(
        LayerproofClient.REVOKE_PATH,
        ex -> {
          Verification<RevokeSession> v =
              verifier.verifyRevocationJson(ex.getRequestBody().readAllBytes());
          seen.add("revoke " + (v.isValid() ? "valid" : v.reasonOrNull()));
          reply(ex, v.isValid() ? 200 : 401, "{}");
        });
    server.createContext(
        LayerproofClient.SESSIONS_PATH,
        ex -> {
          Verification<SessionGrant> v =
              verifier.verifyGrantJson(ex.getRequestBody().readAllBytes());
          seen.add("grant " + (v.isValid() ? "valid" : v.reasonOrNull()));
          reply(ex, v.isValid() ? 200 : 401, "{\"apiKey\":\"lp-test-key\"}");
        });
    server.start();
    try {
      URI base = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
      LayerproofClient c = client(base);

      HttpRequest req = c.chatRequest(BODY, PRICE, Duration.ofMinutes(5));
      assertEquals(base.resolve("/v1/chat/completions"), req.uri());
      assertEquals("POST", req.method());
      for (String name : ChatHeaders.ALL) {
        assertTrue(req.headers().firstValue(name).isPresent(), name);
      }

      HttpResponse<String> r = c.chat(BODY, PRICE, Duration.ofMinutes(5));
      assertEquals(200, r.statusCode(), seen.toString());
      assertEquals("chat valid", seen.get(0));
      assertArrayEquals(
          BODY.getBytes(StandardCharsets.UTF_8),
          seen.get(1).getBytes(StandardCharsets.UTF_8),
          "the body reaches the gateway unmodified");

      SignedSessionGrant g = c.grantSession(PRICE, Duration.ofHours(1));
      assertEquals("lp-test-key", c.openSession(g));
      assertEquals("grant valid", seen.get(2));
      c.sendRevocation(c.revokeSession(g.grant().sessionId()));
      assertEquals("revoke valid", seen.get(3));

      // The stand-in's refusal comes back as an error.
      Bytes32 id = g.grant().sessionId();
      SignedRevocation forged =
          new SignedRevocation(
              new RevokeSession(id, BigInteger.valueOf(12345)),
              c.address(),
              D,
              c.revokeSession(id, BigInteger.ONE).signature());
      assertThrows(java.io.IOException.class, () -> c.sendRevocation(forged));
      assertEquals("revoke " + RejectReason.WRONG_SIGNER, seen.get(4));
    } finally {
      server.stop(0);
    }
  }

  private static void reply(HttpExchange ex, int status, String json) throws java.io.IOException {
    byte[] b = json.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().add("Content-Type", "application/json");
    ex.sendResponseHeaders(status, b.length);
    ex.getResponseBody().write(b);
    ex.close();
  }
}
