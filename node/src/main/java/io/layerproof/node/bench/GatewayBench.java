package io.layerproof.node.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.layerproof.chain.event.Bytes32;
import io.layerproof.chain.event.EthAddress;
import io.layerproof.chain.event.LedgerDomain;
import io.layerproof.inference.model.LlamaModel;
import io.layerproof.inference.sampling.FinishReason;
import io.layerproof.inference.sampling.SamplingParams;
import io.layerproof.inference.sampling.TokenListener;
import io.layerproof.inference.synth.DefaultModel;
import io.layerproof.inference.synth.SynthProgress;
import io.layerproof.node.gateway.ChatMessage;
import io.layerproof.node.gateway.CompletionBackend;
import io.layerproof.node.gateway.EscrowCheck;
import io.layerproof.node.gateway.Gateway;
import io.layerproof.node.gateway.GatewayConfig;
import io.layerproof.node.gateway.NonceStore;
import io.layerproof.node.gateway.PipelineBackend;
import io.layerproof.node.gateway.Session;
import io.layerproof.node.gateway.SessionStore;
import io.layerproof.wallet.auth.GatewayVerifier;
import io.layerproof.wallet.auth.SignedChatRequest;
import io.layerproof.wallet.auth.Verification;
import io.layerproof.wallet.client.LayerproofClient;
import java.io.PrintWriter;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.web3j.crypto.Credentials;

/**
 * {@code layerproof bench gateway}: what the gateway's authentication costs per request, and a
 * streamed completion through the gateway over HTTP (SSE) against the same backend called
 * in-process, in one run.
 */
public final class GatewayBench {

  /** The settings of one run. */
  public record Options(Path modelDir, int iterations, int rounds, int maxTokens) {}

  static final String MODEL = "layerproof-devnet";
  static final LedgerDomain DOMAIN =
      new LedgerDomain(1337, EthAddress.fromHex("0x72e136710bac73e9e18b09dca780c303804e71b6"));
  static final Credentials BUYER =
      Credentials.create("0x4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318");
  static final String PROMPT = "Layerproof commits to every layer it computes.";
  static final ObjectMapper JSON = new ObjectMapper();

  private GatewayBench() {}

  public static void run(Options o, PrintWriter out) throws Exception {
    Path folder;
    try (SynthProgress bar = SynthProgress.console("default model")) {
      folder = DefaultModel.ensure(o.modelDir(), bar);
    }
    Clock clock = Clock.systemUTC();
    GatewayConfig config =
        new GatewayConfig(
            MODEL,
            1 << 20,
            BigInteger.valueOf(1000),
            BigInteger.TEN,
            o.maxTokens(),
            Math.max(4096, o.maxTokens()),
            1_000_000,
            60);
    GatewayVerifier verifier = new GatewayVerifier(DOMAIN, clock);
    out.printf(
        "Gateway bench: model %s; %d iterations per auth figure, %d streamed rounds of %d max"
            + " tokens; medians.%n%n",
        folder, o.iterations(), o.rounds(), o.maxTokens());
    auth(o, config, verifier, clock, out);
    out.flush();
    try (LlamaModel model = LlamaModel.open(folder);
        PipelineBackend backend = new PipelineBackend(model)) {
      streaming(o, config, verifier, backend, clock, out);
    }
    out.flush();
  }

  // ---- (a) authentication cost per request ----

  private static void auth(
      Options o, GatewayConfig config, GatewayVerifier verifier, Clock clock, PrintWriter out)
      throws Exception {
    LayerproofClient client =
        new LayerproofClient(BUYER, DOMAIN, URI.create("http://127.0.0.1:1"), clock);
    byte[] body = chatBody(o.maxTokens(), false).getBytes(StandardCharsets.UTF_8);
    SignedChatRequest signed =
        client.signChat(
            new String(body, StandardCharsets.UTF_8),
            config.quote(o.maxTokens()),
            Duration.ofHours(1));
    Map<String, String> headers = signed.headers();
    int warm = Math.max(50, o.iterations() / 10);
    double[] verify = new double[o.iterations()];
    for (int i = -warm; i < o.iterations(); i++) {
      long t0 = System.nanoTime();
      Verification<?> v = verifier.verifyChatHttp(headers::get, body);
      long t1 = System.nanoTime();
      if (!(v instanceof Verification.Valid<?>)) {
        throw new IllegalStateException("the benchmark's signed request did not verify: " + v);
      }
      if (i >= 0) {
        verify[i] = (t1 - t0) / 1e3;
      }
    }

    // The gateway's own key table and lookup (SHA-256 of the key, then the table), in memory.
    SessionStore store = SessionStore.inMemory(clock);
    EthAddress owner = EthAddress.fromHex(BUYER.getAddress());
    long expiry = clock.instant().getEpochSecond() + 3600;
    String key = null;
    for (int s = 0; s < 1000; s++) {
      byte[] id = new byte[32];
      id[0] = (byte) (s >> 8);
      id[1] = (byte) s;
      id[31] = 1;
      key = store.openSession(Bytes32.of(id), owner, BigInteger.TEN.pow(30), expiry);
    }
    double[] lookups = new double[o.iterations()];
    for (int i = -warm; i < o.iterations(); i++) {
      long t0 = System.nanoTime();
      Session session = store.lookup(key);
      long t1 = System.nanoTime();
      if (session == null) {
        throw new IllegalStateException("session lookup failed");
      }
      if (i >= 0) {
        lookups[i] = (t1 - t0) / 1e3;
      }
    }
    double v = InferenceRounds.median(verify);
    double l = InferenceRounds.median(lookups);
    out.println("| authentication per request (median) | µs | ratio |");
    out.println("|---|---:|---:|");
    out.printf(
        "| signature: GatewayVerifier.verifyChatHttp on the five headers | %.1f | %.0fx |%n",
        v, v / l);
    out.printf("| session key: SessionStore.lookup (1000 sessions open) | %.2f | 1x |%n%n", l);
  }

  // ---- (b) streamed completion: gateway over HTTP (SSE) against the backend in-process ----

  private static void streaming(
      Options o,
      GatewayConfig config,
      GatewayVerifier verifier,
      PipelineBackend backend,
      Clock clock,
      PrintWriter out)
      throws Exception {
    List<ChatMessage> messages = List.of(new ChatMessage("user", PROMPT));
    SamplingParams params = SamplingParams.greedy(o.maxTokens()).withStopAtEos(true);
    String body = chatBody(o.maxTokens(), true);
    double[] directFirst = new double[o.rounds()];
    double[] directRate = new double[o.rounds()];
    double[] httpFirst = new double[o.rounds()];
    double[] httpRate = new double[o.rounds()];
    int directTokens = 0;
    int httpTokens = 0;
    try (Gateway gateway =
        new Gateway(
            null,
            config,
            verifier,
            EscrowCheck.fixed(BigInteger.TEN.pow(30)),
            NonceStore.inMemory(clock),
            backend,
            clock)) {
      URI base = URI.create("http://127.0.0.1:" + gateway.start("127.0.0.1", 0));
      LayerproofClient client = new LayerproofClient(BUYER, DOMAIN, base, clock);
      String key =
          client.openSession(
              client.grantSession(
                  config.quote(o.maxTokens()).multiply(BigInteger.valueOf(10L * o.rounds() + 10)),
                  Duration.ofMinutes(30)));
      HttpClient http = HttpClient.newHttpClient();
      // One warm-up of each, not measured.
      for (int r = -1; r < o.rounds(); r++) {
        long[] first = {0};
        long t0 = System.nanoTime();
        CompletionBackend.Result res =
            backend.complete(
                messages,
                params,
                new TokenListener() {
                  @Override
                  public void onToken(int index, int tokenId, String textDelta) {
                    if (first[0] == 0 && !textDelta.isEmpty()) {
                      first[0] = System.nanoTime();
                    }
                  }

                  @Override
                  public void onFinish(FinishReason reason, String textDelta) {}
                });
        long t1 = System.nanoTime();
        long h0 = System.nanoTime();
        HttpResponse<Stream<String>> resp =
            http.send(
                HttpRequest.newBuilder(base.resolve("/v1/chat/completions"))
                    .header("Content-Type", "application/json")
                    .header("Authorization", "Bearer " + key)
                    .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
                    .build(),
                HttpResponse.BodyHandlers.ofLines());
        if (resp.statusCode() != 200) {
          throw new IllegalStateException("gateway answered " + resp.statusCode());
        }
        long hFirst = 0;
        StringBuilder streamed = new StringBuilder();
        try (Stream<String> lines = resp.body()) {
          for (String line : (Iterable<String>) lines::iterator) {
            if (!line.startsWith("data: ") || line.equals("data: [DONE]")) {
              continue;
            }
            JsonNode delta = JSON.readTree(line.substring(6)).path("choices").path(0).path("delta");
            if (delta.has("content") && !delta.get("content").asText().isEmpty()) {
              if (hFirst == 0) {
                hFirst = System.nanoTime();
              }
              streamed.append(delta.get("content").asText());
            }
          }
        }
        long h1 = System.nanoTime();
        // Greedy on the same prompt: the gateway's tokens are the direct run's when the texts
        // match (SSE chunks are text deltas, and byte-level tokens may carry no text alone).
        if (!streamed.toString().equals(res.text())) {
          throw new IllegalStateException("the gateway streamed another text than the direct run");
        }
        int chunks = res.completionTokens();
        if (r >= 0) {
          directTokens = res.completionTokens();
          httpTokens = chunks;
          directFirst[r] = (first[0] - t0) / 1e6;
          directRate[r] = res.completionTokens() / ((t1 - t0) / 1e9);
          httpFirst[r] = (hFirst - h0) / 1e6;
          httpRate[r] = chunks / ((h1 - h0) / 1e9);
        }
      }
    }
    double df = InferenceRounds.median(directFirst);
    double hf = InferenceRounds.median(httpFirst);
    double dr = InferenceRounds.median(directRate);
    double hr = InferenceRounds.median(httpRate);
    out.printf(
        "Streamed completion, same prompt (%d chars) and max_tokens %d, greedy; both made %d"
            + " tokens (%d through the gateway, same text); first token = first non-empty text.%n%n",
        PROMPT.length(), o.maxTokens(), directTokens, httpTokens);
    out.println(
        "| streamed completion (median) | direct, in-process | gateway, HTTP SSE | ratio |");
    out.println("|---|---:|---:|---:|");
    out.printf("| first-token latency, ms | %.2f | %.2f | %.2fx |%n", df, hf, hf / df);
    out.printf("| tokens/s, end to end | %.1f | %.1f | %.2fx |%n", dr, hr, hr / dr);
  }

  private static String chatBody(int maxTokens, boolean stream) {
    return "{\"model\":\""
        + MODEL
        + "\",\"messages\":[{\"role\":\"user\",\"content\":\""
        + PROMPT
        + "\"}],\"max_tokens\":"
        + maxTokens
        + ",\"temperature\":0"
        + (stream ? ",\"stream\":true" : "")
        + "}";
  }
}
