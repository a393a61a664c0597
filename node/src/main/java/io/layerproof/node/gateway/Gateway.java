package io.layerproof.node.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.layerproof.chain.event.Bytes32;
import io.layerproof.chain.event.EthAddress;
import io.layerproof.inference.sampling.FinishReason;
import io.layerproof.inference.sampling.SamplingParams;
import io.layerproof.inference.sampling.TokenListener;
import io.layerproof.wallet.auth.ChatHeaders;
import io.layerproof.wallet.auth.GatewayVerifier;
import io.layerproof.wallet.auth.RejectReason;
import io.layerproof.wallet.auth.RejectedException;
import io.layerproof.wallet.auth.SignedRevocation;
import io.layerproof.wallet.auth.SignedSessionGrant;
import io.layerproof.wallet.auth.Verification;
import io.layerproof.wallet.eip712.ChatRequest;
import io.layerproof.wallet.eip712.GatewayMessage;
import io.layerproof.wallet.eip712.MessagesHash;
import io.layerproof.wallet.eip712.RevokeSession;
import io.layerproof.wallet.eip712.SessionGrant;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.math.BigInteger;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The OpenAI-compatible gateway (Vert.x 5, vertx-web):
 *
 * <ul>
 *   <li>{@code GET /v1/models}: the one model served (no authentication).
 *   <li>{@code POST /v1/chat/completions}: OpenAI chat completions, JSON or {@code "stream": true}
 *       as server-sent events ending {@code data: [DONE]}. Authorised either by the five {@code
 *       X-Layerproof-*} headers (docs/api.md) or by {@code Authorization: Bearer <apiKey>} of a
 *       session.
 *   <li>{@code POST /v1/sessions}: a signed SessionGrant; answers {@code {"apiKey", ...}}.
 *   <li>{@code POST /v1/sessions/revoke}: a signed RevokeSession by the granting wallet.
 *   <li>{@code GET /metrics}: Prometheus text format ({@link GatewayMetrics}; no authentication).
 * </ul>
 *
 * <p>All checks run before any work. Errors use OpenAI's shape {@code
 * {"error":{"message","type","param","code"}}}: 400 malformed JSON, missing or out-of-range fields,
 * {@code max_tokens} over the limit, a signed expiry further ahead than {@link
 * GatewayConfig#maxRequestValidity()} or {@link GatewayConfig#maxSessionValidity()} ({@code
 * expiry_too_far}); 401 no credentials, bad or high-s signature, wrong signer, wrong domain,
 * expired message, unknown/expired/revoked API key; 402 ({@code insufficient_quota}) when the
 * escrow does not cover {@code maxPrice} (signed) or the quote (session), when {@code maxPrice} is
 * below the quote, or when a session's cap is exhausted; 403 revoking another wallet's session; 404
 * unknown model, unknown session, unknown path; 409 replayed nonce or reused session id; 413 body
 * over {@link GatewayConfig#maxBodyBytes()}; 429 over the per-address rate limit, or from a remote
 * IP that has failed authentication {@link GatewayConfig#authFailureLimit()} times in the window
 * ({@code too_many_auth_failures}); 500 anything unexpected (logged, never a stack trace to the
 * client).
 *
 * <p>Pricing: each request is quoted {@link GatewayConfig#quote} of its max tokens. A signed
 * request must offer {@code maxPrice >= quote} and its escrow must cover {@code maxPrice}; a
 * session request is charged the quote against the session's cap once every other check has passed
 * (the charge stands even if generation then fails).
 */
public final class Gateway implements AutoCloseable {

  private static final System.Logger LOG = System.getLogger(Gateway.class.getName());
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Vertx vertx;
  private final boolean ownsVertx;
  private final GatewayConfig config;
  private final GatewayVerifier verifier;
  private final EscrowCheck escrow;
  private final NonceStore nonces;
  private final JobBackend backend;
  private final JobQueries queries;
  private final Clock clock;
  private final SessionStore sessions;
  private final RateLimiter<EthAddress> limiter;
  private final RateLimiter<String> authFailures;

  /** Job views per remote IP: an audit reads the job's whole chain history, so it is bounded. */
  private final RateLimiter<String> jobViews;

  private final GatewayMetrics metrics;
  private HttpServer server;

  /** Error codes that count as a failed authentication against the remote IP. */
  private static final Set<String> AUTH_FAILURES =
      Set.of("invalid_api_key", "malformed_signature", "bad_v", "high_s", "wrong_signer");

  /** The response header naming the job a chat request became (its on-chain id). */
  public static final String JOB_HEADER = "X-Layerproof-Job-Id";

  /** A gateway on in-memory stores (forgotten on restart) and a registry of its own. */
  public Gateway(
      Vertx vertx,
      GatewayConfig config,
      GatewayVerifier verifier,
      EscrowCheck escrow,
      NonceStore nonces,
      CompletionBackend backend,
      Clock clock) {
    this(
        vertx,
        config,
        verifier,
        escrow,
        new GatewayStores(nonces, SessionStore.inMemory(clock)),
        backend,
        clock,
        null);
  }

  /** A gateway in front of a plain model: no jobs on chain, no job views. */
  public Gateway(
      Vertx vertx,
      GatewayConfig config,
      GatewayVerifier verifier,
      EscrowCheck escrow,
      GatewayStores stores,
      CompletionBackend backend,
      Clock clock,
      PrometheusMeterRegistry registry) {
    this(vertx, config, verifier, escrow, stores, JobBackend.local(backend), clock, registry, null);
  }

  /**
   * A gateway on {@code stores} (which the caller closes) whose requests become jobs of {@code
   * backend}, metering into {@code registry} (a new one when null; see {@link #metrics()}).
   *
   * @param queries answers {@code GET /v1/jobs/{id}} and {@code /v1/jobs/{id}/audit}; null: 404
   */
  public Gateway(
      Vertx vertx,
      GatewayConfig config,
      GatewayVerifier verifier,
      EscrowCheck escrow,
      GatewayStores stores,
      JobBackend backend,
      Clock clock,
      PrometheusMeterRegistry registry,
      JobQueries queries) {
    this.ownsVertx = vertx == null;
    this.vertx = vertx == null ? Vertx.vertx() : vertx;
    this.config = Objects.requireNonNull(config, "config");
    this.verifier = Objects.requireNonNull(verifier, "verifier");
    this.escrow = Objects.requireNonNull(escrow, "escrow");
    Objects.requireNonNull(stores, "stores");
    this.nonces = stores.nonces();
    this.sessions = stores.sessions();
    this.clock = Objects.requireNonNull(clock, "clock");
    this.metrics = new GatewayMetrics(registry);
    this.backend = metrics.meter(Objects.requireNonNull(backend, "backend"));
    this.queries = queries;
    this.limiter = new RateLimiter<>(clock, config.rateLimit(), config.rateWindowSeconds());
    this.authFailures =
        new RateLimiter<>(clock, config.authFailureLimit(), config.rateWindowSeconds());
    this.jobViews = new RateLimiter<>(clock, config.rateLimit(), config.rateWindowSeconds());
  }

  /** The registry the gateway meters into; the node may add its own meters to it. */
  public PrometheusMeterRegistry metrics() {
    return metrics.registry();
  }

  /** The routes, for mounting elsewhere or testing. */
  public Router router() {
    Router router = Router.router(vertx);
    router.route().handler(this::meterRequest);
    router.route().handler(BodyHandler.create(false).setBodyLimit(config.maxBodyBytes()));
    router.get("/metrics").handler(this::scrape);
    router.post("/v1/*").handler(this::authFailureGate);
    router.get("/v1/models").handler(this::models);
    router.get("/v1/jobs/:id").handler(ctx -> jobView(ctx, false));
    router.get("/v1/jobs/:id/audit").handler(ctx -> jobView(ctx, true));
    router.post("/v1/chat/completions").handler(this::chat);
    router.post("/v1/sessions").handler(this::openSession);
    router.post("/v1/sessions/revoke").handler(this::revokeSession);
    router.route().failureHandler(this::failure);
    router.errorHandler(
        404,
        ctx ->
            sendError(
                ctx.response(),
                GatewayException.notFound(
                    "not_found", "No such endpoint: " + ctx.request().path())));
    router.errorHandler(
        405,
        ctx ->
            sendError(
                ctx.response(),
                new GatewayException(
                    405, "invalid_request_error", "method_not_allowed", "Method not allowed.")));
    return router;
  }

  /** Starts listening and returns the bound port ({@code port} 0 picks a free one). */
  public synchronized int start(String host, int port) {
    try {
      server =
          vertx
              .createHttpServer()
              .requestHandler(router())
              .listen(port, host)
              .toCompletionStage()
              .toCompletableFuture()
              .get(30, TimeUnit.SECONDS);
      return server.actualPort();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while starting the gateway", e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("cannot start the gateway on " + host + ":" + port, e);
    }
  }

  @Override
  public synchronized void close() {
    try {
      if (server != null) {
        server.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        server = null;
      }
      if (ownsVertx) {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      LOG.log(System.Logger.Level.WARNING, "gateway did not close cleanly", e);
    }
  }

  // ---- handlers ----

  /** Times every request by route and status, and counts SSE responses while they run. */
  private void meterRequest(RoutingContext ctx) {
    long start = System.nanoTime();
    String path = ctx.request().path();
    HttpServerResponse response = ctx.response();
    boolean[] streaming = {false};
    response.headersEndHandler(
        v -> {
          String type = response.headers().get("Content-Type");
          if (type != null && type.startsWith("text/event-stream")) {
            streaming[0] = true;
            metrics.streamStarted();
          }
        });
    ctx.addEndHandler(
        done -> {
          if (streaming[0]) {
            metrics.streamEnded();
          }
          metrics.request(path, response.getStatusCode(), System.nanoTime() - start);
        });
    ctx.next();
  }

  private void scrape(RoutingContext ctx) {
    ctx.response()
        .setStatusCode(200)
        .putHeader("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
        .end(metrics.scrape());
  }

  private void models(RoutingContext ctx) {
    JsonObject model =
        new JsonObject()
            .put("id", config.modelId())
            .put("object", "model")
            .put("created", 0)
            .put("owned_by", "layerproof");
    sendJson(
        ctx.response(),
        200,
        new JsonObject().put("object", "list").put("data", new JsonArray().add(model)));
  }

  /** What a chat request becomes once authorised: ready to run. */
  private record Job(
      List<ChatMessage> messages, SamplingParams params, boolean stream, String model) {}

  /** An authorised request: what to run and who pays. */
  private record Authorised(Job job, Authorisation auth) {}

  /** An authorised request the backend has opened as a job. */
  private record Ready(Job job, JobBackend.OpenedJob opened) {}

  private void chat(RoutingContext ctx) {
    byte[] body = bodyBytes(ctx);
    String authorization = ctx.request().getHeader("Authorization");
    java.util.function.Function<String, String> header = ctx.request()::getHeader;
    Context context = vertx.getOrCreateContext();
    HttpServerResponse response = ctx.response();
    vertx
        .executeBlocking(
            () -> {
              Authorised a = authorise(authorization, header, body);
              return new Ready(
                  a.job(), backend.open(a.auth(), a.job().messages(), a.job().params()));
            },
            false)
        .onComplete(
            ar -> {
              if (ar.failed()) {
                ctx.fail(ar.cause());
                return;
              }
              Job job = ar.result().job();
              JobBackend.OpenedJob opened = ar.result().opened();
              response.putHeader(JOB_HEADER, opened.id());
              if (job.stream()) {
                response.setStatusCode(200);
                response.setChunked(true);
                response.putHeader("Content-Type", "text/event-stream");
                response.putHeader("Cache-Control", "no-cache");
              }
              vertx
                  .executeBlocking(() -> run(job, opened, response, context), false)
                  .onComplete(
                      done -> {
                        if (done.failed()) {
                          LOG.log(System.Logger.Level.ERROR, "completion failed", done.cause());
                          if (job.stream()) {
                            JsonObject err = errorJson(serverError());
                            response.end("data: " + err.encode() + "\n\n");
                          } else {
                            sendError(response, serverError());
                          }
                        }
                      });
            });
  }

  private Authorised authorise(
      String authorization, java.util.function.Function<String, String> header, byte[] body) {
    if (authorization != null && !authorization.isBlank()) {
      return authoriseSession(authorization, body);
    }
    boolean signed = false;
    for (String h : ChatHeaders.ALL) {
      signed |= header.apply(h) != null;
    }
    if (!signed) {
      throw GatewayException.unauthorized(
          "missing_credentials",
          "Sign the request with the X-Layerproof-* headers or send Authorization: Bearer <apiKey>.");
    }
    Verification.Valid<ChatRequest> ok = valid(verifier.verifyChatHttp(header, body));
    ChatRequest request = ok.message();
    checkExpiry(request.expiry(), config.maxRequestValidity(), "maxRequestValidity");
    EthAddress buyer = ok.signer();
    JsonNode root = parse(body);
    Job job = jobOf(root, request.maxTokens());
    checkModel(job.model());
    rateLimit(buyer);
    BigInteger quote = config.quote(request.maxTokens());
    if (request.maxPrice().compareTo(quote) < 0) {
      throw GatewayException.paymentRequired(
          "max_price_below_quote",
          "maxPrice " + request.maxPrice() + " is below this gateway's quote " + quote + ".");
    }
    BigInteger free = escrow.freeBalance(buyer);
    if (free.compareTo(request.maxPrice()) < 0) {
      throw GatewayException.paymentRequired(
          "insufficient_escrow",
          "The escrow's free balance "
              + free
              + " does not cover maxPrice "
              + request.maxPrice()
              + ".");
    }
    if (!nonces.tryUse(buyer, request.nonce(), request.expiry())) {
      throw GatewayException.conflict(
          "nonce_replayed", "Nonce " + request.nonce() + " was already used by " + buyer + ".");
    }
    byte[] signature =
        org.web3j.utils.Numeric.hexStringToByteArray(header.apply(ChatHeaders.SIGNATURE));
    return new Authorised(job, new Authorisation.Signed(buyer, request, signature));
  }

  private Authorised authoriseSession(String authorization, byte[] body) {
    String prefix = "Bearer ";
    if (!authorization.regionMatches(true, 0, prefix, 0, prefix.length())) {
      throw GatewayException.unauthorized(
          "invalid_api_key", "Authorization must be 'Bearer <apiKey>'.");
    }
    String key = authorization.substring(prefix.length()).trim();
    Session session = sessions.lookup(key);
    JsonNode root = parse(body);
    long maxTokens = maxTokensOf(root);
    Job job = jobOf(root, maxTokens);
    checkModel(job.model());
    rateLimit(session.owner());
    BigInteger quote = config.quote(maxTokens);
    BigInteger free = escrow.freeBalance(session.owner());
    if (free.compareTo(quote) < 0) {
      throw GatewayException.paymentRequired(
          "insufficient_escrow",
          "The escrow's free balance " + free + " does not cover the quote " + quote + ".");
    }
    sessions.charge(session, quote);
    metrics.sessionCharge(quote);
    JsonNode messages = root.get("messages");
    Bytes32 messagesHash;
    try {
      messagesHash = MessagesHash.of(messages);
    } catch (IllegalArgumentException e) {
      throw GatewayException.badRequest("invalid_value", "messages: " + e.getMessage());
    }
    return new Authorised(
        job,
        new Authorisation.Session(
            session.owner(), session.grant(), session.signature(), messagesHash, maxTokens, quote));
  }

  private CompletionBackend.Result run(
      Job job, JobBackend.OpenedJob opened, HttpServerResponse response, Context context) {
    String id = "chatcmpl-" + opened.id();
    long created = clock.instant().getEpochSecond();
    if (!job.stream()) {
      CompletionBackend.Result r = backend.run(opened, TokenListener.NONE);
      JsonObject choice =
          new JsonObject()
              .put("index", 0)
              .put(
                  "message",
                  new JsonObject()
                      .put("role", "assistant")
                      .put("content", r.text())
                      .putNull("refusal"))
              .putNull("logprobs")
              .put("finish_reason", finishReason(r.finishReason()));
      JsonObject out =
          new JsonObject()
              .put("id", id)
              .put("object", "chat.completion")
              .put("created", created)
              .put("model", job.model())
              .put("choices", new JsonArray().add(choice))
              .put(
                  "usage",
                  new JsonObject()
                      .put("prompt_tokens", r.promptTokens())
                      .put("completion_tokens", r.completionTokens())
                      .put("total_tokens", r.promptTokens() + r.completionTokens()));
      context.runOnContext(v -> sendJson(response, 200, out));
      return r;
    }
    java.util.function.BiFunction<JsonObject, String, JsonObject> chunk =
        (delta, finish) -> {
          JsonObject choice = new JsonObject().put("index", 0).put("delta", delta);
          if (finish == null) {
            choice.putNull("finish_reason");
          } else {
            choice.put("finish_reason", finish);
          }
          return new JsonObject()
              .put("id", id)
              .put("object", "chat.completion.chunk")
              .put("created", created)
              .put("model", job.model())
              .put("choices", new JsonArray().add(choice));
        };
    sendEvent(
        response,
        context,
        chunk.apply(new JsonObject().put("role", "assistant").put("content", ""), null));
    CompletionBackend.Result r =
        backend.run(
            opened,
            new TokenListener() {
              @Override
              public void onToken(int index, int tokenId, String textDelta) {
                if (!textDelta.isEmpty()) {
                  sendEvent(
                      response,
                      context,
                      chunk.apply(new JsonObject().put("content", textDelta), null));
                }
              }

              @Override
              public void onFinish(FinishReason reason, String textDelta) {
                if (!textDelta.isEmpty()) {
                  sendEvent(
                      response,
                      context,
                      chunk.apply(new JsonObject().put("content", textDelta), null));
                }
              }
            });
    sendEvent(response, context, chunk.apply(new JsonObject(), finishReason(r.finishReason())));
    context.runOnContext(v -> response.end("data: [DONE]\n\n"));
    return r;
  }

  private void openSession(RoutingContext ctx) {
    byte[] body = bodyBytes(ctx);
    respondBlocking(
        ctx,
        () -> {
          SignedSessionGrant signed = parsed(() -> SignedSessionGrant.fromJson(body));
          Verification.Valid<SessionGrant> ok = valid(verifier.verifyGrant(signed));
          SessionGrant g = ok.message();
          checkExpiry(g.expiry(), config.maxSessionValidity(), "maxSessionValidity");
          rateLimit(ok.signer());
          if (!nonces.tryUse(ok.signer(), g.nonce(), g.expiry())) {
            throw GatewayException.conflict(
                "nonce_replayed", "Nonce " + g.nonce() + " was already used.");
          }
          byte[] grantSignature = signed.signature().toByteArray();
          String key =
              sessions.openSession(
                  g.sessionId(),
                  ok.signer(),
                  g.spendingCap(),
                  g.expiry(),
                  g.nonce(),
                  grantSignature);
          if (key == null) {
            throw GatewayException.conflict(
                "session_exists", "Session " + g.sessionId() + " is already open.");
          }
          return new JsonObject()
              .put("object", "session")
              .put("apiKey", key)
              .put("sessionId", g.sessionId().toString())
              .put("address", ok.signer().toString())
              .put("spendingCap", g.spendingCap().toString())
              .put("expiry", g.expiry());
        });
  }

  private void revokeSession(RoutingContext ctx) {
    byte[] body = bodyBytes(ctx);
    respondBlocking(
        ctx,
        () -> {
          SignedRevocation signed = parsed(() -> SignedRevocation.fromJson(body));
          Verification.Valid<RevokeSession> ok = valid(verifier.verifyRevocation(signed));
          RevokeSession r = ok.message();
          Session s = sessions.revocable(r.sessionId(), ok.signer());
          if (!nonces.tryUse(ok.signer(), r.nonce(), s.expiry())) {
            throw GatewayException.conflict(
                "nonce_replayed", "Nonce " + r.nonce() + " was already used.");
          }
          sessions.revoke(s);
          boolean onChain;
          try {
            onChain =
                backend.revokeSession(
                    ok.signer(), r.sessionId(), r.nonce(), signed.signature().toByteArray());
          } catch (RuntimeException e) {
            // Revoked here already; the chain can be told again with the same signature.
            LOG.log(System.Logger.Level.WARNING, "could not revoke the session on chain", e);
            onChain = false;
          }
          return new JsonObject()
              .put("object", "session.revoked")
              .put("sessionId", r.sessionId().toString())
              .put("revoked", true)
              .put("revokedOnChain", onChain);
        });
  }

  private void jobView(RoutingContext ctx, boolean audit) {
    Bytes32 id;
    try {
      id = Bytes32.fromHex(ctx.pathParam("id").toLowerCase(java.util.Locale.ROOT));
    } catch (IllegalArgumentException e) {
      ctx.fail(
          GatewayException.badRequest(
              "invalid_job_id", "A job id is 0x followed by 64 hex digits."));
      return;
    }
    if (queries == null) {
      ctx.fail(GatewayException.notFound("job_not_found", "This gateway keeps no jobs."));
      return;
    }
    if (!jobViews.allow(remoteIp(ctx))) {
      ctx.fail(
          new GatewayException(
              429,
              "requests",
              "rate_limit_exceeded",
              "Too many job views from this address; retry after "
                  + config.rateWindowSeconds()
                  + " seconds."));
      return;
    }
    respondBlocking(
        ctx,
        () ->
            (audit ? queries.audit(id) : queries.job(id))
                .orElseThrow(
                    () -> GatewayException.notFound("job_not_found", "No job " + id + ".")));
  }

  /** Runs {@code work} off the event loop and answers 200 with its JSON, or fails the route. */
  private void respondBlocking(RoutingContext ctx, java.util.concurrent.Callable<JsonObject> work) {
    vertx
        .executeBlocking(work, false)
        .onComplete(
            ar -> {
              if (ar.failed()) {
                ctx.fail(ar.cause());
              } else {
                sendJson(ctx.response(), 200, ar.result());
              }
            });
  }

  private void failure(RoutingContext ctx) {
    HttpServerResponse response = ctx.response();
    if (response.headWritten()) {
      LOG.log(System.Logger.Level.ERROR, "failure after the response began", ctx.failure());
      response.reset();
      return;
    }
    Throwable t = ctx.failure();
    if (t instanceof GatewayException g) {
      countRefusal(ctx, g);
      sendError(response, g);
      return;
    }
    int status = ctx.statusCode();
    if (status == 413) {
      sendError(
          response,
          new GatewayException(
              413,
              "invalid_request_error",
              "request_too_large",
              "The request body exceeds " + config.maxBodyBytes() + " bytes."));
      return;
    }
    if (status >= 400 && status < 500 && t == null) {
      sendError(
          response,
          new GatewayException(status, "invalid_request_error", null, "Request refused."));
      return;
    }
    LOG.log(System.Logger.Level.ERROR, "unexpected gateway failure", t);
    sendError(response, serverError());
  }

  // ---- request parsing ----

  private static JsonNode parse(byte[] body) {
    JsonNode root;
    try {
      root = JSON.readTree(body);
    } catch (Exception e) {
      throw GatewayException.badRequest("invalid_json", "The request body is not valid JSON.");
    }
    if (root == null || !root.isObject()) {
      throw GatewayException.badRequest("invalid_json", "The request body must be a JSON object.");
    }
    return root;
  }

  private long maxTokensOf(JsonNode root) {
    JsonNode a = root.get("max_tokens");
    JsonNode b = root.get("max_completion_tokens");
    boolean hasA = a != null && !a.isNull();
    boolean hasB = b != null && !b.isNull();
    if (hasA && hasB && !a.equals(b)) {
      throw GatewayException.badRequest(
          "invalid_value", "max_tokens and max_completion_tokens differ.");
    }
    JsonNode n = hasA ? a : hasB ? b : null;
    if (n == null) {
      return config.defaultMaxTokens();
    }
    if (!n.canConvertToLong() || !n.isIntegralNumber() || n.asLong() < 1) {
      throw GatewayException.badRequest("invalid_value", "max_tokens must be a positive integer.");
    }
    return n.asLong();
  }

  private Job jobOf(JsonNode root, long maxTokens) {
    JsonNode model = root.get("model");
    if (model == null || !model.isTextual()) {
      throw GatewayException.badRequest("missing_field", "'model' is required.");
    }
    if (maxTokens > config.maxTokensLimit()) {
      throw GatewayException.badRequest(
          "invalid_value", "max_tokens exceeds this gateway's limit " + config.maxTokensLimit());
    }
    JsonNode messages = root.get("messages");
    if (messages == null || !messages.isArray() || messages.isEmpty()) {
      throw GatewayException.badRequest("missing_field", "'messages' must be a non-empty array.");
    }
    List<ChatMessage> list = new ArrayList<>();
    for (JsonNode m : messages) {
      JsonNode role = m.get("role");
      if (!m.isObject() || role == null || !role.isTextual()) {
        throw GatewayException.badRequest("invalid_value", "Each message needs a string 'role'.");
      }
      list.add(new ChatMessage(role.textValue(), contentOf(m.get("content"))));
    }
    double temperature = number(root, "temperature", 1.0, 0, 2);
    double topP = number(root, "top_p", 1.0, Double.MIN_VALUE, 1);
    long seed =
        root.hasNonNull("seed") && root.get("seed").canConvertToLong()
            ? root.get("seed").asLong()
            : ThreadLocalRandom.current().nextLong();
    List<String> stop = new ArrayList<>();
    JsonNode s = root.get("stop");
    if (s != null && s.isTextual() && !s.textValue().isEmpty()) {
      stop.add(s.textValue());
    } else if (s != null && s.isArray()) {
      for (JsonNode x : s) {
        if (x.isTextual() && !x.textValue().isEmpty()) {
          stop.add(x.textValue());
        }
      }
    }
    JsonNode stream = root.get("stream");
    SamplingParams params =
        new SamplingParams(temperature, 0, topP, seed, (int) maxTokens, stop, true);
    return new Job(list, params, stream != null && stream.asBoolean(false), model.textValue());
  }

  private static String contentOf(JsonNode content) {
    if (content == null || content.isNull()) {
      return "";
    }
    if (content.isTextual()) {
      return content.textValue();
    }
    if (content.isArray()) {
      StringBuilder b = new StringBuilder();
      for (JsonNode part : content) {
        if (part.hasNonNull("text") && part.get("text").isTextual()) {
          b.append(part.get("text").textValue());
        }
      }
      return b.toString();
    }
    throw GatewayException.badRequest("invalid_value", "Message content must be text.");
  }

  private static double number(JsonNode root, String name, double dflt, double min, double max) {
    JsonNode n = root.get(name);
    if (n == null || n.isNull()) {
      return dflt;
    }
    if (!n.isNumber() || n.asDouble() < min || n.asDouble() > max) {
      throw GatewayException.badRequest(
          "invalid_value", "'" + name + "' must be a number in [" + min + ", " + max + "].");
    }
    return n.asDouble();
  }

  private void checkModel(String model) {
    if (!config.modelId().equals(model)) {
      throw GatewayException.notFound(
          "model_not_found", "The model '" + model + "' does not exist.");
    }
  }

  /**
   * Answers 429 at once, before any key lookup or signature check, while the client's IP is over
   * its limit of failed authentications.
   */
  private void authFailureGate(RoutingContext ctx) {
    if (authFailures.exceeded(remoteIp(ctx))) {
      ctx.fail(
          new GatewayException(
              429,
              "requests",
              "too_many_auth_failures",
              "Too many failed authentications from this address; retry after "
                  + config.rateWindowSeconds()
                  + " seconds."));
      return;
    }
    ctx.next();
  }

  /** Meters a refusal by its code and counts a failed authentication against the client's IP. */
  private void countRefusal(RoutingContext ctx, GatewayException g) {
    metrics.rejection(g.code());
    if (AUTH_FAILURES.contains(g.code())) {
      authFailures.record(remoteIp(ctx));
    }
  }

  /** Refuses a signed expiry beyond now + {@code max} (which bounds what the nonce store keeps). */
  private void checkExpiry(long expiry, Duration max, String limitName) {
    long latest = clock.instant().getEpochSecond() + max.getSeconds();
    if (expiry > latest) {
      throw GatewayException.badRequest(
          "expiry_too_far",
          "expiry "
              + expiry
              + " is too far ahead: this gateway's "
              + limitName
              + " is "
              + max.getSeconds()
              + " seconds, so the latest accepted now is "
              + latest
              + ".");
    }
  }

  private static String remoteIp(RoutingContext ctx) {
    io.vertx.core.net.SocketAddress a = ctx.request().remoteAddress();
    return a == null || a.hostAddress() == null ? "unknown" : a.hostAddress();
  }

  private void rateLimit(EthAddress address) {
    if (!limiter.allow(address)) {
      throw new GatewayException(
          429, "requests", "rate_limit_exceeded", "Rate limit reached for " + address + ".");
    }
  }

  /** The valid outcome, or the 4xx its rejection calls for. */
  private static <T extends GatewayMessage> Verification.Valid<T> valid(Verification<T> v) {
    if (v instanceof Verification.Invalid<T> bad) {
      throw rejected(bad);
    }
    return (Verification.Valid<T>) v;
  }

  private interface Parse<S> {
    S parse() throws RejectedException;
  }

  /** A signed body read once, or the 4xx its rejection calls for. */
  private static <S> S parsed(Parse<S> p) {
    try {
      return p.parse();
    } catch (RejectedException e) {
      throw rejected(Verification.Invalid.of(e));
    }
  }

  private static GatewayException rejected(Verification.Invalid<?> bad) {
    RejectReason r = bad.reason();
    String code = r.name().toLowerCase(java.util.Locale.ROOT);
    return switch (r) {
      case MALFORMED_REQUEST, FIELD_OUT_OF_RANGE -> GatewayException.badRequest(code, bad.detail());
      case MALFORMED_SIGNATURE, HIGH_S, BAD_V, WRONG_DOMAIN, WRONG_SIGNER, EXPIRED ->
          GatewayException.unauthorized(code, bad.detail());
    };
  }

  // ---- responses ----

  private static byte[] bodyBytes(RoutingContext ctx) {
    return ctx.body() == null || ctx.body().buffer() == null
        ? new byte[0]
        : ctx.body().buffer().getBytes();
  }

  private static String finishReason(FinishReason r) {
    return r == FinishReason.MAX_TOKENS ? "length" : "stop";
  }

  private static GatewayException serverError() {
    return new GatewayException(500, "server_error", "internal_error", "Internal server error.");
  }

  static JsonObject errorJson(GatewayException e) {
    JsonObject err =
        new JsonObject().put("message", e.getMessage()).put("type", e.type()).putNull("param");
    if (e.code() == null) {
      err.putNull("code");
    } else {
      err.put("code", e.code());
    }
    return new JsonObject().put("error", err);
  }

  private static void sendError(HttpServerResponse response, GatewayException e) {
    sendJson(response, e.status(), errorJson(e));
  }

  private static void sendJson(HttpServerResponse response, int status, JsonObject json) {
    if (response.ended()) {
      return;
    }
    response.setStatusCode(status).putHeader("Content-Type", "application/json").end(json.encode());
  }

  private static void sendEvent(HttpServerResponse response, Context context, JsonObject json) {
    String event = "data: " + json.encode() + "\n\n";
    context.runOnContext(v -> response.write(event));
  }
}
