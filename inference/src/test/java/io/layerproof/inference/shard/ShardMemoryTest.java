package io.layerproof.inference.shard;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.layerproof.inference.TestModels;
import io.layerproof.inference.model.LlamaModel;
import io.layerproof.inference.model.TensorInfo;
import io.layerproof.inference.sampling.SamplingParams;
import io.layerproof.inference.sampling.TokenListener;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class ShardMemoryTest {

  @Test
  void aMiddleShardLoadsOnlyItsOwnLayers() {
    try (LlamaModel model = LlamaModel.open(TestModels.tiny());
        Shard middle = Shard.load(model, 2, 4)) {
      ShardMemory mem = middle.memory();
      Set<String> expected =
          model.weights().names().stream()
              .filter(n -> n.startsWith("model.layers.2.") || n.startsWith("model.layers.3."))
              .collect(Collectors.toSet());
      assertEquals(expected, new HashSet<>(mem.tensorNames()));
      long expectedBytes =
          expected.stream().mapToLong(n -> model.weights().info(n).byteLength()).sum();
      assertEquals(expectedBytes, mem.bytes(), "engine bytes held");
      assertEquals(expectedBytes, mem.bytesRead(), "bytes read from disk");
      assertFalse(middle.isFirst());
      assertFalse(middle.isLast());
    }
  }

  @Test
  void shardsTogetherHoldTheModelExactlyOnce() {
    try (LlamaModel model = LlamaModel.open(TestModels.tiny())) {
      long total =
          model.weights().names().stream()
              .map(model.weights()::info)
              .mapToLong(TensorInfo::byteLength)
              .sum();
      try (Pipeline p = Pipeline.load(model, 3, ShardOptions.DEFAULT)) {
        List<Shard> s = p.stages();
        long sum = s.stream().mapToLong(x -> x.memory().bytes()).sum();
        assertEquals(total, sum);
        assertTrue(s.get(0).memory().tensorNames().contains("model.embed_tokens.weight"));
        assertFalse(s.get(1).memory().tensorNames().contains("model.embed_tokens.weight"));
        assertTrue(s.get(2).memory().tensorNames().contains("lm_head.weight"));
        // Each layer is 1/6 of the layer bytes; every shard holds far less than the whole.
        s.forEach(x -> assertTrue(x.memory().bytes() < total * 0.6, "shard " + x.startLayer()));
      }
    }
  }

  @Test
  void tiedEmbeddingsServeAsTheHeadWithoutAnLmHeadTensor() {
    Path tied = TestModels.folder(TestModels.TINY.withTiedEmbeddings(true));
    try (LlamaModel model = LlamaModel.open(tied);
        Pipeline one = Pipeline.load(model, 1, ShardOptions.DEFAULT);
        Pipeline two = Pipeline.load(model, 2, ShardOptions.DEFAULT)) {
      assertFalse(model.weights().contains("lm_head.weight"));
      // Unsharded, the table is loaded once and shared; the last of two shards loads its own copy.
      assertEquals(
          1,
          one.stages().get(0).memory().tensorNames().stream()
              .filter("model.embed_tokens.weight"::equals)
              .count());
      assertTrue(two.stages().get(1).memory().tensorNames().contains("model.embed_tokens.weight"));
      int[] prompt = model.tokenizer().encode("tied", true);
      SamplingParams params = SamplingParams.greedy(12).withStopAtEos(false);
      TokenListener none = TokenListener.NONE;
      assertArrayEquals(
          one.generate("t", prompt, params, null, none, List.of()).tokens(),
          two.generate("t", prompt, params, null, none, List.of()).tokens());
    }
  }
}
