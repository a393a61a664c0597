package io.layerproof.node.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.StreamResponse;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import io.layerproof.inference.model.LlamaModel;
import io.layerproof.inference.synth.DefaultModel;
import io.layerproof.inference.synth.SynthProgress;
import io.layerproof.wallet.auth.GatewayVerifier;
import io.layerproof.wallet.client.LayerproofClient;
import java.math.BigInteger;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The official OpenAI Java SDK as a client, authorised by a session API key. */
class GatewayOpenAiSdkTest {

  @Test
  void officialClientWithSessionKey() throws Exception {
    Clock clock = Clock.systemUTC();
    GatewayConfig config =
        new GatewayConfig(
            GatewayTest.MODEL, 64 * 1024, BigInteger.valueOf(1000), BigInteger.TEN, 4, 64, 100, 60);
    Path dir = Path.of("target", "test-models", "gateway-default").toAbsolutePath();
    try (LlamaModel model = LlamaModel.open(DefaultModel.ensure(dir, SynthProgress.NONE));
        PipelineBackend backend = new PipelineBackend(model);
        Gateway gateway =
            new Gateway(
                null,
                config,
                new GatewayVerifier(GatewayTest.DOMAIN, clock),
                EscrowCheck.fixed(new BigInteger("1000000000000000000000")),
                NonceStore.inMemory(clock),
                backend,
                clock)) {
      URI base = URI.create("http://127.0.0.1:" + gateway.start("127.0.0.1", 0));
      LayerproofClient wallet =
          new LayerproofClient(GatewayTest.RICH, GatewayTest.DOMAIN, base, clock);
      String key =
          wallet.openSession(
              wallet.grantSession(config.quote(6).multiply(BigInteger.TEN), Duration.ofMinutes(5)));

      OpenAIClient openai =
          OpenAIOkHttpClient.builder().apiKey(key).baseUrl(base + "/v1").maxRetries(0).build();
      try {
        ChatCompletionCreateParams params =
            ChatCompletionCreateParams.builder()
                .model(GatewayTest.MODEL)
                .addSystemMessage("Be brief.")
                .addUserMessage("Hello")
                .maxCompletionTokens(6)
                .temperature(0.0)
                .build();

        ChatCompletion completion = openai.chat().completions().create(params);
        assertEquals(GatewayTest.MODEL, completion.model());
        assertEquals(1, completion.choices().size());
        assertTrue(completion.choices().get(0).message().content().isPresent());
        assertTrue(completion.usage().orElseThrow().completionTokens() >= 1);

        try (StreamResponse<ChatCompletionChunk> stream =
            openai.chat().completions().createStreaming(params)) {
          List<ChatCompletionChunk> chunks = stream.stream().collect(Collectors.toList());
          assertFalse(chunks.isEmpty());
          ChatCompletionChunk last = chunks.get(chunks.size() - 1);
          assertTrue(last.choices().get(0).finishReason().isPresent());
          String text =
              chunks.stream()
                  .flatMap(c -> c.choices().stream())
                  .map(c -> c.delta().content().orElse(""))
                  .collect(Collectors.joining());
          // Greedy decoding: the streamed text equals the non-streamed one.
          assertEquals(completion.choices().get(0).message().content().orElseThrow(), text);
        }
      } finally {
        openai.close();
      }
    }
  }
}
