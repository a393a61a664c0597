package io.layerproof.wallet.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.layerproof.chain.event.Bytes32;
import io.layerproof.chain.event.EthAddress;
import io.layerproof.chain.event.LedgerDomain;
import io.layerproof.wallet.auth.ChatBody;
import io.layerproof.wallet.auth.RejectedException;
import io.layerproof.wallet.auth.SignedChatRequest;
import io.layerproof.wallet.auth.SignedRevocation;
import io.layerproof.wallet.auth.SignedSessionGrant;
import io.layerproof.wallet.eip712.ChatRequest;
import io.layerproof.wallet.eip712.GatewayEip712;
import io.layerproof.wallet.eip712.RevokeSession;
import io.layerproof.wallet.eip712.SessionGrant;
import io.layerproof.wallet.keystore.Keystore;
import java.io.IOException;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import org.web3j.crypto.Credentials;

/**
 * A buyer's client for a Layerproof gateway: holds the wallet's credentials and the deployment
 * (chain id, JobMarket address: JobMarket's EIP-712 domain), signs chat requests into headers, and
 * creates session grants and revocations. A chat request's signature is JobMarket's {@code
 * JobRequest} signature, the one {@code openJob} takes ({@link ChatRequest#toJobRequest()}). The
 * HTTP helpers use {@link HttpClient}; everything else is offline.
 *
 * <p>Nonces are 128 random bits by default (the gateway refuses a nonce it has seen from the same
 * wallet; random nonces need no local state). {@link #toString()} never shows the key.
 */
public final class LayerproofClient {

  public static final String CHAT_PATH = "/v1/chat/completions";
  public static final String SESSIONS_PATH = "/v1/sessions";
  public static final String REVOKE_PATH = "/v1/sessions/revoke";

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Credentials credentials;
  private final EthAddress address;
  private final LedgerDomain deployment;
  private final URI gateway;
  private final Clock clock;
  private final SecureRandom random = new SecureRandom();
  private volatile HttpClient http;

  /**
   * @param gateway the gateway's base URL, e.g. {@code http://127.0.0.1:8080}
   */
  public LayerproofClient(
      Credentials credentials, LedgerDomain deployment, URI gateway, Clock clock) {
    this.credentials = Objects.requireNonNull(credentials, "credentials");
    this.address = EthAddress.fromHex(credentials.getAddress());
    this.deployment = Objects.requireNonNull(deployment, "deployment");
    this.gateway = Objects.requireNonNull(gateway, "gateway");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  public static LayerproofClient create(Keystore keystore, LedgerDomain deployment, URI gateway) {
    return new LayerproofClient(keystore.credentials(), deployment, gateway, Clock.systemUTC());
  }

  public EthAddress address() {
    return address;
  }

  public LedgerDomain deployment() {
    return deployment;
  }

  public URI gateway() {
    return gateway;
  }

  // ---- chat ----

  /**
   * Signs {@code openAiBody} (an unmodified OpenAI chat completion body with {@code model}, {@code
   * messages} and {@code max_tokens}) with a random nonce, valid for {@code validFor}.
   *
   * @throws IllegalArgumentException when the body lacks what a signed request needs or a value is
   *     out of bounds
   */
  public SignedChatRequest signChat(String openAiBody, BigInteger maxPrice, Duration validFor) {
    return signChat(openAiBody, maxPrice, randomNonce(), expiryAfter(validFor));
  }

  /** Signs {@code openAiBody} with the given nonce and expiry (Unix seconds). */
  public SignedChatRequest signChat(
      String openAiBody, BigInteger maxPrice, BigInteger nonce, long expiry) {
    ChatRequest request;
    try {
      request =
          ChatBody.parse(openAiBody.getBytes(StandardCharsets.UTF_8))
              .toRequest(maxPrice, nonce, expiry);
    } catch (RejectedException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
    return new SignedChatRequest(
        request, address, GatewayEip712.sign(deployment, request, credentials));
  }

  /** A ready POST to {@value #CHAT_PATH}: the body as given, the signature headers added. */
  public HttpRequest chatRequest(String openAiBody, BigInteger maxPrice, Duration validFor) {
    SignedChatRequest signed = signChat(openAiBody, maxPrice, validFor);
    HttpRequest.Builder b =
        HttpRequest.newBuilder(gateway.resolve(CHAT_PATH))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(openAiBody, StandardCharsets.UTF_8));
    for (Map.Entry<String, String> h : signed.headers().entrySet()) {
      b.header(h.getKey(), h.getValue());
    }
    return b.build();
  }

  /** Sends {@link #chatRequest} and returns the gateway's response as it came. */
  public HttpResponse<String> chat(String openAiBody, BigInteger maxPrice, Duration validFor)
      throws IOException, InterruptedException {
    return http()
        .send(
            chatRequest(openAiBody, maxPrice, validFor),
            HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
  }

  // ---- sessions ----

  /** Grants a new session (random id and nonce) with a spending cap, valid for {@code validFor}. */
  public SignedSessionGrant grantSession(BigInteger spendingCap, Duration validFor) {
    byte[] id = new byte[32];
    random.nextBytes(id);
    return grantSession(Bytes32.of(id), spendingCap, expiryAfter(validFor), randomNonce());
  }

  public SignedSessionGrant grantSession(
      Bytes32 sessionId, BigInteger spendingCap, long expiry, BigInteger nonce) {
    SessionGrant grant = new SessionGrant(sessionId, spendingCap, expiry, nonce);
    return new SignedSessionGrant(
        grant, address, deployment, GatewayEip712.sign(deployment, grant, credentials));
  }

  public SignedRevocation revokeSession(Bytes32 sessionId) {
    return revokeSession(sessionId, randomNonce());
  }

  public SignedRevocation revokeSession(Bytes32 sessionId, BigInteger nonce) {
    RevokeSession revoke = new RevokeSession(sessionId, nonce);
    return new SignedRevocation(
        revoke, address, deployment, GatewayEip712.sign(deployment, revoke, credentials));
  }

  /**
   * Registers {@code grant} with {@code POST} {@value #SESSIONS_PATH} and returns the API key the
   * gateway binds to it (its JSON response's {@code apiKey}), for {@code Authorization: Bearer}.
   */
  public String openSession(SignedSessionGrant grant) throws IOException, InterruptedException {
    HttpResponse<String> r = postJson(SESSIONS_PATH, grant.toJson());
    JsonNode key = JSON.readTree(r.body()).get("apiKey");
    if (key == null || !key.isTextual()) {
      throw new IOException("the gateway's session response has no apiKey");
    }
    return key.textValue();
  }

  /** Sends {@code revocation} with {@code POST} {@value #REVOKE_PATH}. */
  public void sendRevocation(SignedRevocation revocation) throws IOException, InterruptedException {
    postJson(REVOKE_PATH, revocation.toJson());
  }

  private HttpResponse<String> postJson(String path, String json)
      throws IOException, InterruptedException {
    HttpRequest req =
        HttpRequest.newBuilder(gateway.resolve(path))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8))
            .build();
    HttpResponse<String> r =
        http().send(req, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    if (r.statusCode() / 100 != 2) {
      throw new IOException("POST " + path + " answered " + r.statusCode() + ": " + r.body());
    }
    return r;
  }

  private HttpClient http() {
    HttpClient h = http;
    if (h == null) {
      synchronized (this) {
        h = http;
        if (h == null) {
          h = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
          http = h;
        }
      }
    }
    return h;
  }

  // ---- helpers ----

  private BigInteger randomNonce() {
    return new BigInteger(128, random);
  }

  private long expiryAfter(Duration validFor) {
    if (validFor.isNegative() || validFor.isZero()) {
      throw new IllegalArgumentException("validFor must be positive: " + validFor);
    }
    return Math.addExact(clock.instant().getEpochSecond(), validFor.toSeconds());
  }

  /** The address, deployment and gateway; never the key. */
  @Override
  public String toString() {
    return "LayerproofClient[address="
        + address
        + ", chainId="
        + deployment.chainId()
        + ", jobMarket="
        + deployment.contract()
        + ", gateway="
        + gateway
        + "]";
  }
}
