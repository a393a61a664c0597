package io.layerproof.node.devnet;

import static io.layerproof.chain.contracts.LayerproofContracts.send;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.layerproof.chain.contracts.LayerproofContracts;
import io.layerproof.chain.event.Bytes32;
import io.layerproof.chain.event.LayerCommitmentsGenerated;
import io.layerproof.chain.event.LedgerDomain;
import io.layerproof.chain.ledger.EventLog;
import io.layerproof.contracts.generated.JobMarket;
import io.layerproof.node.gateway.Gateway;
import io.layerproof.node.verification.AuditOutcome;
import io.layerproof.wallet.auth.SignedSessionGrant;
import io.layerproof.wallet.client.LayerproofClient;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.protocol.core.Request;
import org.web3j.tuples.generated.Tuple2;

/**
 * The whole devnet in this JVM, as a buyer meets it: deposit, a signed streamed chat completion,
 * the providers' commitments on chain and on the anchored ledger, the verifier's samples, the
 * settlement after the challenge window, the audit; every balance checked to the wei.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DevnetEndToEndTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final BigInteger LPC = BigInteger.TEN.pow(18);

  @TempDir static Path dir;

  private Devnet devnet;
  private DevnetNodes nodes;
  private LayerproofContracts view;
  private LayerproofClient buyer;
  private URI api;

  @BeforeAll
  void start() {
    devnet = Devnet.start(DevnetOptions.ephemeral(dir, false), s -> {});
    nodes = DevnetNodes.start(devnet, dir, "127.0.0.1", 0, s -> {});
    view = devnet.contractsAs(devnet.operator());
    api = URI.create(nodes.apiUrl().replaceAll("/v1$", "/"));
    buyer =
        new LayerproofClient(
            devnet.buyer().wallet(),
            LedgerDomain.of(devnet.chainId(), devnet.contracts().market()),
            api,
            Clock.systemUTC());
  }

  @AfterAll
  void stop() {
    if (nodes != null) {
      nodes.close();
    }
    if (devnet != null) {
      devnet.close();
    }
  }

  /** Token balances of every account the job touches, read together. */
  private Map<String, BigInteger> balances() {
    Map<String, BigInteger> m = new HashMap<>();
    for (DevAccount a :
        List.of(devnet.buyer(), devnet.verifier(), devnet.sequencer(), devnet.operator())) {
      m.put(a.name(), send(view.token().balanceOf(a.address())));
    }
    for (DevAccount p : devnet.providers()) {
      m.put(p.name(), send(view.token().balanceOf(p.address())));
    }
    Tuple2<BigInteger, BigInteger> escrow = send(view.market().escrowOf(devnet.buyer().address()));
    m.put("escrow", escrow.component1());
    m.put("locked", escrow.component2());
    return m;
  }

  /** A dev RPC answer whose result is not read. */
  static final class Ignored extends org.web3j.protocol.core.Response<Object> {}

  private void evm(String method, List<?> params) throws Exception {
    var r = new Request<>(method, params, devnet.web3jService(), Ignored.class).send();
    assertFalse(r.hasError(), () -> method + ": " + r.getError().getMessage());
  }

  @Test
  @Order(1)
  void aSignedStreamedChatIsCommittedVerifiedSettledAndAudited() throws Exception {
    // Deposit: the buyer moves 5 more LPC into escrow.
    LayerproofContracts asBuyer = devnet.contractsAs(devnet.buyer());
    BigInteger deposit = LPC.multiply(BigInteger.valueOf(5));
    Map<String, BigInteger> b0 = balances();
    send(asBuyer.token().approve(devnet.contracts().market(), deposit));
    send(asBuyer.market().deposit(deposit));
    Map<String, BigInteger> before = balances();
    assertEquals(b0.get("buyer").subtract(deposit), before.get("buyer"));
    assertEquals(b0.get("escrow").add(deposit), before.get("escrow"));
    assertEquals(BigInteger.ZERO, before.get("locked"));

    // A signed, streamed chat completion.
    BigInteger maxPrice = LPC.divide(BigInteger.valueOf(100));
    String body =
        "{\"model\":\""
            + DevnetNodes.MODEL_ID
            + "\",\"stream\":true,\"max_tokens\":6,\"seed\":7,"
            + "\"messages\":[{\"role\":\"user\",\"content\":\"Prove every layer\"}]}";
    HttpRequest request = buyer.chatRequest(body, maxPrice, Duration.ofMinutes(5));
    HttpResponse<java.util.stream.Stream<String>> response =
        HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofLines());
    assertEquals(200, response.statusCode());
    assertEquals("text/event-stream", response.headers().firstValue("Content-Type").orElse(""));
    String jobHex = response.headers().firstValue(Gateway.JOB_HEADER).orElseThrow();
    Bytes32 jobId = Bytes32.fromHex(jobHex);
    List<String> data = new ArrayList<>();
    response.body().filter(l -> l.startsWith("data: ")).forEach(l -> data.add(l.substring(6)));
    assertEquals("[DONE]", data.get(data.size() - 1));
    StringBuilder text = new StringBuilder();
    String finish = null;
    for (String d : data.subList(0, data.size() - 1)) {
      JsonNode chunk = JSON.readTree(d);
      assertEquals("chat.completion.chunk", chunk.get("object").asText());
      JsonNode choice = chunk.get("choices").get(0);
      text.append(choice.path("delta").path("content").asText(""));
      if (!choice.get("finish_reason").isNull()) {
        finish = choice.get("finish_reason").asText();
      }
    }
    assertEquals("length", finish, "6 tokens asked, none stop the synthetic model");
    assertFalse(text.isEmpty());

    // On chain: the job is open with the buyer's maxPrice locked.
    JobMarket.Job opened = send(view.market().jobInfo(jobId.toByteArray()));
    assertEquals(devnet.buyer().address().toLowerCase(), opened.buyer.toLowerCase());
    assertEquals(maxPrice, opened.maxPrice);
    assertEquals(maxPrice, balances().get("locked"));

    // Commitments, anchoring and the verifier's audit finish off the request's thread.
    List<AuditOutcome> outcomes = nodes.jobs().audit(jobId).orElseThrow().get(3, TimeUnit.MINUTES);
    assertEquals(2, outcomes.size());
    outcomes.forEach(o -> assertInstanceOf(AuditOutcome.Passed.class, o));
    // The reveals came over libp2p: each provider's host has the verifier (its node key) as peer.
    var verifierPeer = devnet.verifier().peerKey().peerId();
    for (var host : nodes.providerHosts()) {
      assertTrue(host.connectedPeers().contains(verifierPeer), "verifier connected to provider");
    }
    // And the hidden states: the sequencer drove the job through both providers' hosts.
    var sequencerPeer = devnet.sequencer().peerKey().peerId();
    for (var host : nodes.providerHosts()) {
      assertTrue(host.connectedPeers().contains(sequencerPeer), "sequencer connected to provider");
    }
    assertTrue(nodes.stages().frameBytes() > 0, "frames crossed the network");
    EventLog log = nodes.ledger().log();
    List<LayerCommitmentsGenerated> commits = new ArrayList<>();
    for (long i : log.indicesOfJob(jobId)) {
      if (log.get(i).orElseThrow().envelope().event() instanceof LayerCommitmentsGenerated c) {
        commits.add(c);
      }
    }
    assertEquals(2, commits.size());
    long units = 0;
    for (int s = 0; s < 2; s++) {
      LayerCommitmentsGenerated c = commits.get(s);
      JobMarket.Shard shard =
          send(view.market().shardInfo(jobId.toByteArray(), BigInteger.valueOf(s)));
      assertEquals(c.root(), Bytes32.of(shard.root), "the ledger's root is the chain's");
      assertEquals(devnet.providers().get(s).address().toLowerCase(), shard.provider.toLowerCase());
      long u = (long) (c.endLayer() - c.startLayer()) * c.tokenCount();
      assertEquals(BigInteger.valueOf(u), shard.workUnits);
      units += u;
    }
    JsonNode job = get("/v1/jobs/" + jobHex);
    for (JsonNode e : job.get("events")) {
      assertEquals("anchored", e.get("anchor").asText(), e.toString());
    }
    List<String> types = new ArrayList<>();
    job.get("events").forEach(e -> types.add(e.get("type").asText()));
    assertEquals("JobPosted", types.get(0));
    assertEquals("ShardsAssigned", types.get(1));
    assertEquals(6, types.stream().filter("TokenStreamed"::equals).count());
    assertEquals(2, types.stream().filter("VerificationPassed"::equals).count());

    // After the challenge window the settler finalizes, posts the epoch and claims.
    evm("evm_increaseTime", List.of(Devnet.CHALLENGE_WINDOW + 1));
    evm("evm_mine", List.of());
    nodes.settler().runOnce();
    JobMarket.Job settled = send(view.market().jobInfo(jobId.toByteArray()));
    assertEquals(2, settled.status.intValueExact(), "finalized");
    BigInteger unitPrice = settled.unitPrice;
    BigInteger cost = unitPrice.multiply(BigInteger.valueOf(units)).min(maxPrice);
    assertTrue(cost.compareTo(maxPrice) < 0, "the quote leaves something to refund");
    BigInteger fee =
        cost.multiply(BigInteger.valueOf(settled.verifierFeeBps.longValue()))
            .divide(BigInteger.valueOf(10_000));
    BigInteger pool = cost.subtract(fee);
    long units0 =
        (long) (commits.get(0).endLayer() - commits.get(0).startLayer())
            * commits.get(0).tokenCount();
    BigInteger pay0 = pool.multiply(BigInteger.valueOf(units0)).divide(BigInteger.valueOf(units));
    BigInteger pay1 = pool.subtract(pay0);

    Map<String, BigInteger> after = balances();
    assertEquals(before.get("escrow").subtract(cost), after.get("escrow"), "refund: all but cost");
    assertEquals(BigInteger.ZERO, after.get("locked"));
    assertEquals(before.get("buyer"), after.get("buyer"));
    assertEquals(before.get("provider-a").add(pay0), after.get("provider-a"));
    assertEquals(before.get("provider-b").add(pay1), after.get("provider-b"));
    assertEquals(before.get("verifier").add(fee), after.get("verifier"));

    // The ledger records the settlement, anchored; the audit passes.
    JsonNode finalJob = get("/v1/jobs/" + jobHex);
    assertEquals("finalized", finalJob.get("chain").get("status").asText());
    JsonNode last = finalJob.get("events").get(finalJob.get("events").size() - 1);
    assertEquals("JobSettled", last.get("type").asText());
    assertEquals("anchored", last.get("anchor").asText());
    JsonNode audit = get("/v1/jobs/" + jobHex + "/audit");
    assertTrue(audit.get("passed").asBoolean(), audit.toPrettyString());
  }

  @Test
  @Order(2)
  void aSessionKeyPaysThroughJobMarketWithinItsCap() throws Exception {
    BigInteger cap = LPC.divide(BigInteger.valueOf(10));
    SignedSessionGrant grant = buyer.grantSession(cap, Duration.ofHours(1));
    String apiKey = buyer.openSession(grant);
    String body =
        "{\"model\":\""
            + DevnetNodes.MODEL_ID
            + "\",\"max_tokens\":3,\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}";
    HttpResponse<String> r = bearerChat(apiKey, body);
    assertEquals(200, r.statusCode(), r.body());
    Bytes32 jobId = Bytes32.fromHex(r.headers().firstValue(Gateway.JOB_HEADER).orElseThrow());
    JobMarket.Job job = send(view.market().jobInfo(jobId.toByteArray()));
    assertEquals(1, job.status.intValueExact());
    assertEquals(
        job.maxPrice,
        send(
            view.market()
                .sessionSpent(devnet.buyer().address(), grant.grant().sessionId().toByteArray())));
    nodes.jobs().audit(jobId).orElseThrow().get(3, TimeUnit.MINUTES);
    JsonNode audit = get("/v1/jobs/" + jobId + "/audit");
    assertTrue(audit.get("passed").asBoolean(), audit.toPrettyString());
    assertTrue(audit.toString().contains("request.session"), "the audit checks the session");

    // Revoked at the gateway and, with the same signature, on chain.
    Bytes32 sessionId = grant.grant().sessionId();
    buyer.sendRevocation(buyer.revokeSession(sessionId));
    assertTrue(
        send(view.market().sessionRevoked(devnet.buyer().address(), sessionId.toByteArray())));
    HttpResponse<String> after = bearerChat(apiKey, body);
    assertEquals(401, after.statusCode(), after.body());
  }

  private HttpResponse<String> bearerChat(String apiKey, String body) throws Exception {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(api.resolve("/v1/chat/completions"))
                .header("Authorization", "Bearer " + apiKey)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build(),
            HttpResponse.BodyHandlers.ofString());
  }

  private JsonNode get(String path) throws Exception {
    HttpResponse<String> r =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(api.resolve(path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    assertEquals(200, r.statusCode(), r.body());
    return JSON.readTree(r.body());
  }
}
