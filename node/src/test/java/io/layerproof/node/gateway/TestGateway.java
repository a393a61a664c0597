package io.layerproof.node.gateway;

import io.layerproof.wallet.auth.GatewayVerifier;
import io.layerproof.wallet.client.LayerproofClient;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Map;
import org.web3j.crypto.Credentials;

/** A gateway on loopback over real HTTP, on the system clock and the given stores and backend. */
final class TestGateway implements AutoCloseable {

  static final HttpClient HTTP = HttpClient.newHttpClient();

  final Gateway gateway;
  final URI base;

  TestGateway(
      GatewayConfig config,
      GatewayStores stores,
      CompletionBackend backend,
      EscrowCheck escrow,
      PrometheusMeterRegistry registry) {
    Clock clock = Clock.systemUTC();
    gateway =
        new Gateway(
            null,
            config,
            new GatewayVerifier(GatewayTest.DOMAIN, clock),
            escrow,
            stores,
            backend,
            clock,
            registry);
    base = URI.create("http://127.0.0.1:" + gateway.start("127.0.0.1", 0));
  }

  LayerproofClient client(Credentials c) {
    return new LayerproofClient(c, GatewayTest.DOMAIN, base, Clock.systemUTC());
  }

  HttpResponse<String> post(String path, String body, Map<String, String> headers)
      throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(base.resolve(path))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
    headers.forEach(b::header);
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
  }

  HttpResponse<String> get(String path) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(base.resolve(path)).build(),
        HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
  }

  @Override
  public void close() {
    gateway.close();
  }
}
