package io.layerproof.inference.shard;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.layerproof.inference.TestModels;
import io.layerproof.inference.model.LlamaModel;
import io.layerproof.inference.sampling.Generation;
import io.layerproof.inference.sampling.SamplingParams;
import io.layerproof.inference.sampling.TokenListener;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class PipelineTest {

  private static LlamaModel model;

  @BeforeAll
  static void open() {
    model = LlamaModel.open(TestModels.tiny());
  }

  @AfterAll
  static void close() {
    model.close();
  }

  private static int[] greedy(int stages, ShardOptions options, String prompt, int n) {
    try (Pipeline p = Pipeline.load(model, stages, options)) {
      int[] ids = model.tokenizer().encode(prompt, true);
      Generation g =
          p.generate(
              "job-" + stages,
              ids,
              SamplingParams.greedy(n).withStopAtEos(false),
              model.tokenizer(),
              TokenListener.NONE,
              List.of());
      assertEquals(n, g.tokens().length);
      return g.tokens();
    }
  }

  @Test
  void unshardedTwoAndFourShardsGiveTheSameGreedyTokens() {
    for (String prompt : List.of("The layer proof", "hello world, 42!", "a")) {
      int[] one = greedy(1, ShardOptions.DEFAULT, prompt, 24);
      assertArrayEquals(one, greedy(2, ShardOptions.DEFAULT, prompt, 24), prompt);
      assertArrayEquals(one, greedy(4, ShardOptions.DEFAULT, prompt, 24), prompt);
      // Not a degenerate model: greedy output is not one token repeated.
      assertTrue(java.util.Arrays.stream(one).distinct().count() > 1, prompt);
    }
  }
}
