package io.layerproof.inference.crosscheck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.layerproof.inference.TestModels;
import io.layerproof.inference.model.LlamaModel;
import io.layerproof.inference.shard.Pipeline;
import io.layerproof.inference.shard.ShardOptions;
import io.layerproof.inference.synth.SynthSpec;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Layerproof against Jlama, an independent Java implementation of Llama, on the same synthetic
 * model: greedy decoding of 64 tokens for 5 prompts must agree on every top-1 token.
 */
class JlamaCrossCheckTest {

  /** GQA (4 query heads per 2 kv heads), head_dim 32, 4 layers: small but every path used. */
  static final SynthSpec SPEC = SynthSpec.of(4, 128, 4, 2, 512, 99);

  static final List<String> PROMPTS =
      List.of(
          "The verifier re-executes a sampled layer",
          "hello",
          "Providers commit to every layer's activations, token by token.",
          "0123456789 + 9876543210 = ?",
          "Grüße aus der Kette 🧱");

  @Test
  void jlamaAgreesOnEveryGreedyTokenOfFivePrompts() throws Exception {
    JlamaRunner.Result<JlamaRunner> jlama = JlamaRunner.locate();
    assumeTrue(jlama.isPresent(), () -> "Jlama cross-check skipped: " + jlama.reason());
    Path folder = TestModels.folder(SPEC);
    try (LlamaModel model = LlamaModel.open(folder);
        Pipeline pipeline = Pipeline.load(model, 2, ShardOptions.DEFAULT)) {
      List<int[]> prompts = PROMPTS.stream().map(p -> model.tokenizer().encode(p, true)).toList();
      List<JlamaRunner.Decode> ours = CrossCheck.decode(pipeline, prompts, 64, true);
      List<JlamaRunner.Decode> theirs =
          jlama.value().decode(folder, prompts, 64, 2, true, Duration.ofMinutes(5));
      CrossCheck.Report r = CrossCheck.compare(ours, theirs);
      System.out.println("Jlama cross-check: " + r);
      assertEquals(null, r.firstMismatch(), "first disagreement");
      assertEquals(5 * 64, r.agreeingSteps());
      assertTrue(
          r.maxRelativeLogitDiff() < 1e-4, "relative logit diff " + r.maxRelativeLogitDiff());
    }
  }

  @Test
  void aMissingJdkIsReportedWithTheReason() {
    String old = System.getProperty("layerproof.jlama.java");
    System.setProperty("layerproof.jlama.java", "/nonexistent/jdk/bin/java");
    try {
      JlamaRunner.Result<JlamaRunner> r = JlamaRunner.locate();
      assertTrue(!r.isPresent() && r.reason().startsWith("no Java 21+ JDK at /nonexistent"));
    } finally {
      if (old == null) {
        System.clearProperty("layerproof.jlama.java");
      } else {
        System.setProperty("layerproof.jlama.java", old);
      }
    }
  }
}
