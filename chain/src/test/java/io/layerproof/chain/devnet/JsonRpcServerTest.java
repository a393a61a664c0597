package io.layerproof.chain.devnet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.BatchResponse;
import org.web3j.protocol.core.methods.response.EthBlockNumber;
import org.web3j.protocol.core.methods.response.EthChainId;
import org.web3j.protocol.core.methods.response.NetVersion;

/** JSON-RPC over HTTP: framing, batches, errors and limits, with a plain HTTP client. */
class JsonRpcServerTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static EmbeddedChain chain;
  private static JsonRpcServer server;
  private static final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  static void start() {
    chain = EmbeddedChain.inMemory(DevnetGenesis.defaults().withChainId(4242));
    server = JsonRpcServer.start(chain, "127.0.0.1", 0);
  }

  @AfterAll
  static void stop() {
    server.close();
    chain.close();
  }

  private static HttpResponse<String> post(String body, String contentType) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(server.url()))
            .POST(HttpRequest.BodyPublishers.ofString(body));
    if (contentType != null) {
      b.header("Content-Type", contentType);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static JsonNode postJson(String body) throws Exception {
    HttpResponse<String> r = post(body, "application/json");
    return JSON.readTree(r.body());
  }

  @Test
  void urlPointsAtTheBoundPort() {
    assertTrue(server.port() > 0);
    assertEquals("http://127.0.0.1:" + server.port() + "/", server.url());
  }

  @Test
  void singleRequestAnswersWithIdAndCanonicalQuantities() throws Exception {
    JsonNode r =
        postJson("{\"jsonrpc\":\"2.0\",\"id\":\"abc\",\"method\":\"eth_chainId\",\"params\":[]}");
    assertEquals("abc", r.get("id").asText());
    assertEquals("2.0", r.get("jsonrpc").asText());
    assertEquals("0x1092", r.get("result").asText());
    JsonNode n = postJson("{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"eth_blockNumber\"}");
    assertEquals(7, n.get("id").asInt());
    assertEquals("0x0", n.get("result").asText());
    JsonNode v =
        postJson("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"net_version\",\"params\":[]}");
    assertEquals("4242", v.get("result").asText());
  }

  @Test
  void batchAnswersEachRequestAndSkipsNotifications() throws Exception {
    JsonNode r =
        postJson(
            "[{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"eth_chainId\"},"
                + "{\"jsonrpc\":\"2.0\",\"method\":\"eth_blockNumber\"},"
                + "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"nope_nothing\"},"
                + "42,"
                + "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"eth_getBalance\",\"params\":[\"0x12\"]}]");
    assertTrue(r.isArray());
    assertEquals(4, r.size());
    assertEquals("0x1092", r.get(0).get("result").asText());
    assertEquals(-32601, r.get(1).get("error").get("code").asInt());
    assertEquals(2, r.get(1).get("id").asInt());
    assertEquals(-32600, r.get(2).get("error").get("code").asInt());
    assertEquals(-32602, r.get(3).get("error").get("code").asInt());
    assertTrue(r.get(3).get("error").get("message").asText().contains("address must be 20 bytes"));
  }

  @Test
  void onlyNotificationsGetNoContent() throws Exception {
    HttpResponse<String> r =
        post("[{\"jsonrpc\":\"2.0\",\"method\":\"eth_chainId\"}]", "application/json");
    assertEquals(204, r.statusCode());
    assertEquals("", r.body());
  }

  @Test
  void web3jBatchOverHttpWorks() throws Exception {
    Web3j web3j = Web3j.build(new org.web3j.protocol.http.HttpService(server.url()));
    try {
      BatchResponse b =
          web3j
              .newBatch()
              .add(web3j.ethChainId())
              .add(web3j.ethBlockNumber())
              .add(web3j.netVersion())
              .send();
      List<?> responses = b.getResponses();
      assertEquals(3, responses.size());
      assertEquals(4242, ((EthChainId) responses.get(0)).getChainId().longValue());
      assertEquals(0, ((EthBlockNumber) responses.get(1)).getBlockNumber().longValue());
      assertEquals("4242", ((NetVersion) responses.get(2)).getNetVersion());
    } finally {
      web3j.shutdown();
    }
  }

  @Test
  void malformedJsonIsAParseError() throws Exception {
    HttpResponse<String> r = post("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":", "application/json");
    JsonNode n = JSON.readTree(r.body());
    assertEquals(-32700, n.get("error").get("code").asInt());
    assertTrue(n.get("id").isNull());
    assertFalse(r.body().contains("at io."), "no stack traces: " + r.body());
    assertEquals(
        -32700,
        postJson("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"eth_chainId\"} x")
            .get("error")
            .get("code")
            .asInt());
    assertEquals(-32600, postJson("[]").get("error").get("code").asInt());
    assertEquals(
        -32600,
        postJson("{\"jsonrpc\":\"1.0\",\"id\":1,\"method\":\"eth_chainId\"}")
            .get("error")
            .get("code")
            .asInt());
    assertEquals(
        -32602,
        postJson("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"eth_chainId\",\"params\":{}}")
            .get("error")
            .get("code")
            .asInt());
  }

  @Test
  void oversizedBodyIsRefusedWithAClearError() throws Exception {
    String big =
        "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"eth_chainId\",\"params\":[\""
            + "a".repeat((int) JsonRpcServer.MAX_BODY_BYTES)
            + "\"]}";
    HttpResponse<String> r = post(big, "application/json");
    assertEquals(413, r.statusCode());
    JsonNode n = JSON.readTree(r.body());
    assertEquals(-32600, n.get("error").get("code").asInt());
    assertTrue(n.get("error").get("message").asText().contains("request body too large"));
    // The server is still fine afterwards.
    assertEquals(
        "0x1092",
        postJson("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"eth_chainId\"}")
            .get("result")
            .asText());
  }

  @Test
  void wrongContentTypeAndMethodAreRefused() throws Exception {
    HttpResponse<String> r =
        post("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"eth_chainId\"}", "text/plain");
    assertEquals(415, r.statusCode());
    HttpResponse<String> get =
        http.send(
            HttpRequest.newBuilder(URI.create(server.url())).GET().build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(405, get.statusCode());
    assertTrue(get.body().contains("use POST"));
  }

  @Test
  void corsAllowsAnyOrigin() throws Exception {
    HttpRequest req =
        HttpRequest.newBuilder(URI.create(server.url()))
            .header("Origin", "http://localhost:5173")
            .header("Content-Type", "application/json")
            .POST(
                HttpRequest.BodyPublishers.ofString(
                    "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"eth_chainId\"}"))
            .build();
    HttpResponse<String> r = http.send(req, HttpResponse.BodyHandlers.ofString());
    assertEquals(200, r.statusCode());
    assertEquals("*", r.headers().firstValue("Access-Control-Allow-Origin").orElse(""));
  }
}
