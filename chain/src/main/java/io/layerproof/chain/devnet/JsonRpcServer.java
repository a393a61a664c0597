package io.layerproof.chain.devnet;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.CorsHandler;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The chain's JSON-RPC over HTTP (Vert.x): POST / with a JSON body, single or batch. Requests run
 * on worker threads because EVM work blocks; the chain serialises state access itself. Any origin
 * may call it (a dev chain for wallets and browser tools); it binds where it is told, 127.0.0.1 by
 * default.
 */
public final class JsonRpcServer implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(JsonRpcServer.class);

  /** Largest accepted request body; a deploy of a 24 KiB contract is far below it. */
  public static final long MAX_BODY_BYTES = 8L * 1024 * 1024;

  private final Vertx vertx;
  private final boolean ownsVertx;
  private final HttpServer server;
  private final String host;

  private JsonRpcServer(Vertx vertx, boolean ownsVertx, HttpServer server, String host) {
    this.vertx = vertx;
    this.ownsVertx = ownsVertx;
    this.server = server;
    this.host = host;
  }

  /** Starts a server on its own Vert.x instance; port 0 picks a free port. */
  public static JsonRpcServer start(EmbeddedChain chain, String host, int port) {
    Vertx vertx = Vertx.vertx();
    try {
      return start(vertx, true, chain.rpc(), host, port);
    } catch (RuntimeException e) {
      vertx.close();
      throw e;
    }
  }

  /** Starts a server on an existing Vert.x instance, which the caller keeps owning. */
  public static JsonRpcServer start(Vertx vertx, EmbeddedChain chain, String host, int port) {
    return start(vertx, false, chain.rpc(), host, port);
  }

  private static JsonRpcServer start(
      Vertx vertx, boolean owns, RpcDispatcher dispatcher, String host, int port) {
    Router router = Router.router(vertx);
    router
        .route()
        .handler(
            CorsHandler.create()
                .addOrigin("*")
                .allowedMethod(HttpMethod.POST)
                .allowedMethod(HttpMethod.OPTIONS)
                .allowedHeader("Content-Type"));
    router.post("/").handler(BodyHandler.create(false).setBodyLimit(MAX_BODY_BYTES));
    router.post("/").handler(ctx -> handle(vertx, dispatcher, ctx));
    router
        .route()
        .handler(
            ctx ->
                reply(ctx, 405, RpcException.INVALID_REQUEST, "use POST / with a JSON-RPC body"));
    router.route().failureHandler(JsonRpcServer::failure);
    HttpServer server = vertx.createHttpServer().requestHandler(router);
    try {
      server.listen(port, host).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while starting JSON-RPC server", e);
    } catch (ExecutionException | TimeoutException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      throw new IllegalStateException(
          "cannot listen on " + host + ":" + port + ": " + cause.getMessage(), cause);
    }
    JsonRpcServer s = new JsonRpcServer(vertx, owns, server, host);
    log.info("devnet JSON-RPC listening on {}", s.url());
    return s;
  }

  private static void handle(Vertx vertx, RpcDispatcher dispatcher, RoutingContext ctx) {
    String type = ctx.request().getHeader(HttpHeaders.CONTENT_TYPE);
    if (type == null || !type.toLowerCase(java.util.Locale.ROOT).startsWith("application/json")) {
      reply(
          ctx,
          415,
          RpcException.INVALID_REQUEST,
          "invalid content type, only application/json is supported");
      return;
    }
    String body = ctx.body().asString();
    vertx
        .executeBlocking(() -> dispatcher.handle(body), false)
        .onComplete(
            ar -> {
              if (ar.failed()) {
                log.warn("JSON-RPC request failed", ar.cause());
                reply(ctx, 500, RpcException.INTERNAL_ERROR, "internal error");
              } else if (ar.result() == null) {
                ctx.response().setStatusCode(204).end();
              } else {
                ctx.response()
                    .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                    .end(ar.result());
              }
            });
  }

  private static void failure(RoutingContext ctx) {
    int status = ctx.statusCode();
    if (status == 413) {
      reply(
          ctx,
          413,
          RpcException.INVALID_REQUEST,
          "request body too large: limit " + MAX_BODY_BYTES + " bytes");
    } else if (status >= 400 && status < 500) {
      reply(ctx, status, RpcException.INVALID_REQUEST, "bad request");
    } else {
      if (ctx.failure() != null) {
        log.warn("JSON-RPC HTTP failure", ctx.failure());
      }
      reply(ctx, 500, RpcException.INTERNAL_ERROR, "internal error");
    }
  }

  private static void reply(RoutingContext ctx, int status, int code, String message) {
    if (ctx.response().ended()) {
      return;
    }
    String body =
        "{\"jsonrpc\":\"2.0\",\"id\":null,\"error\":{\"code\":"
            + code
            + ",\"message\":\""
            + message
            + "\"}}";
    ctx.response()
        .setStatusCode(status)
        .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
        .end(body);
  }

  public int port() {
    return server.actualPort();
  }

  /** e.g. http://127.0.0.1:8545/ */
  public String url() {
    String h = host.contains(":") ? "[" + host + "]" : host;
    return "http://" + h + ":" + port() + "/";
  }

  @Override
  public void close() {
    try {
      server.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      if (ownsVertx) {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      log.warn("closing the JSON-RPC server failed", e);
    }
  }
}
