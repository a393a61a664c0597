package io.layerproof.inference.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.layerproof.inference.TestModels;
import io.layerproof.inference.hook.LayerHook;
import io.layerproof.inference.sampling.SamplingParams;
import io.layerproof.inference.sampling.TokenListener;
import io.layerproof.inference.shard.HiddenStateFrame;
import io.layerproof.inference.shard.Pipeline;
import io.layerproof.inference.shard.Shard;
import io.layerproof.inference.shard.ShardOptions;
import io.layerproof.inference.shard.ShardSession;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

/** Every broken input fails with a message that says what and where. */
class BadModelTest {

  @TempDir Path tmp;

  private Path copy(Path from) throws IOException {
    Path to = Files.createDirectories(tmp.resolve("model"));
    try (Stream<Path> files = Files.list(from)) {
      for (Path f : files.toList()) {
        Files.copy(f, to.resolve(f.getFileName()));
      }
    }
    return to;
  }

  private static String modelError(Executable e) {
    return assertThrows(ModelFormatException.class, e).getMessage();
  }

  private static String argumentError(Executable e) {
    return assertThrows(IllegalArgumentException.class, e).getMessage();
  }

  private void editConfig(Path dir, String from, String to) throws IOException {
    Path c = dir.resolve("config.json");
    String text = Files.readString(c);
    assertTrue(text.contains(from), from);
    Files.writeString(c, text.replace(from, to));
  }

  @Test
  void missingFolderOrConfig() throws IOException {
    assertTrue(modelError(() -> LlamaModel.open(tmp.resolve("nope"))).contains("does not exist"));
    Path dir = copy(TestModels.tiny());
    Files.delete(dir.resolve("config.json"));
    assertEquals(
        "missing config.json: " + dir.resolve("config.json"),
        modelError(() -> LlamaModel.open(dir)));
  }

  @Test
  void malformedConfig() throws IOException {
    Path dir = copy(TestModels.tiny());
    Files.writeString(dir.resolve("config.json"), "{\"hidden_size\": 64,");
    assertTrue(modelError(() -> LlamaModel.open(dir)).contains("malformed JSON in"));
    Files.writeString(dir.resolve("config.json"), "[1, 2]");
    assertTrue(modelError(() -> LlamaModel.open(dir)).contains("is not a JSON object"));
  }

  @Test
  void configWithMissingOrInconsistentFields() throws IOException {
    Path dir = copy(TestModels.tiny());
    editConfig(dir, "\"hidden_size\" : 64,", "");
    assertTrue(modelError(() -> LlamaModel.open(dir)).endsWith("missing field hidden_size"));
    editConfig(
        dir, "\"num_key_value_heads\" : 2", "\"hidden_size\" : 64, \"num_key_value_heads\" : 3");
    assertTrue(
        modelError(() -> LlamaModel.open(dir))
            .endsWith("num_attention_heads (4) must be a multiple of num_key_value_heads (3)"));
    editConfig(dir, "\"num_key_value_heads\" : 3", "\"num_key_value_heads\" : 2");
    editConfig(dir, "\"model_type\" : \"llama\"", "\"model_type\" : \"bert\"");
    assertTrue(modelError(() -> LlamaModel.open(dir)).contains("model_type 'bert'"));
  }

  @Test
  void missingTensors() throws IOException {
    Path dir = copy(TestModels.tiny());
    editConfig(dir, "\"num_hidden_layers\" : 6", "\"num_hidden_layers\" : 7");
    try (LlamaModel model = LlamaModel.open(dir)) {
      assertEquals(
          "missing tensor 'model.layers.6.input_layernorm.weight' in model folder " + dir,
          modelError(() -> Shard.load(model, 6, 7)));
    }
  }

  @Test
  void shapeMismatchBetweenConfigAndTensors() throws IOException {
    Path dir = copy(TestModels.tiny());
    editConfig(dir, "\"intermediate_size\" : 192", "\"intermediate_size\" : 256");
    try (LlamaModel model = LlamaModel.open(dir)) {
      assertEquals(
          "tensor 'model.layers.0.mlp.gate_proj.weight' has shape [192, 64] but config.json"
              + " implies [256, 64]",
          modelError(() -> Shard.load(model, 0, 1)));
    }
  }

  @Test
  void layerRangesOutOfBounds() {
    try (LlamaModel model = LlamaModel.open(TestModels.tiny())) {
      for (int[] r : new int[][] {{0, 7}, {3, 3}, {-1, 2}, {4, 2}}) {
        assertTrue(
            argumentError(() -> Shard.load(model, r[0], r[1]))
                .endsWith("is not a non-empty range within the model's 6 layers"),
            r[0] + ".." + r[1]);
      }
      assertTrue(argumentError(() -> Pipeline.load(model, 7, ShardOptions.DEFAULT)).contains("7"));
    }
  }

  @Test
  void truncatedSafetensors() throws IOException {
    Path dir = copy(TestModels.tiny());
    Path weights = dir.resolve(WeightIndex.SINGLE_FILE);
    try (RandomAccessFile f = new RandomAccessFile(weights.toFile(), "rw")) {
      f.setLength(f.length() - 1000);
    }
    String m = modelError(() -> LlamaModel.open(dir));
    assertTrue(m.startsWith(weights + " is truncated: tensor 'lm_head.weight' ends at byte"), m);
    try (RandomAccessFile f = new RandomAccessFile(weights.toFile(), "rw")) {
      f.setLength(5);
    }
    assertTrue(modelError(() -> LlamaModel.open(dir)).contains("not even a header length"));
    Files.writeString(weights, "\u0040\u0000\u0000\u0000\u0000\u0000\u0000\u0000{\"a\":");
    assertTrue(modelError(() -> LlamaModel.open(dir)).contains("is truncated: header says 64"));
  }

  @Test
  void missingWeightFiles() throws IOException {
    Path dir = copy(TestModels.tiny());
    Files.delete(dir.resolve(WeightIndex.SINGLE_FILE));
    assertTrue(modelError(() -> LlamaModel.open(dir)).startsWith("no model.safetensors or"));
    Path sharded = tmp.resolve("sharded");
    Files.createDirectories(sharded);
    try (Stream<Path> files = Files.list(TestModels.folder(TestModels.TINY_SHARDED))) {
      for (Path f : files.toList()) {
        Files.copy(f, sharded.resolve(f.getFileName()));
      }
    }
    Files.delete(sharded.resolve("model-00002-of-00003.safetensors"));
    assertEquals(
        "missing weights file " + sharded.resolve("model-00002-of-00003.safetensors"),
        modelError(() -> LlamaModel.open(sharded)));
  }

  @Test
  void missingTokenizerOnlyFailsWhenTextIsNeeded() throws IOException {
    Path dir = copy(TestModels.tiny());
    Files.delete(dir.resolve("tokenizer.json"));
    try (LlamaModel model = LlamaModel.open(dir)) {
      assertTrue(modelError(model::tokenizer).startsWith("missing tokenizer.json"));
    }
  }

  @Test
  void badRequestsToALoadedModel() {
    try (LlamaModel model = LlamaModel.open(TestModels.tiny());
        Pipeline p = Pipeline.load(model, 2, ShardOptions.DEFAULT)) {
      assertTrue(
          argumentError(
                  () ->
                      p.generate(
                          "j",
                          new int[] {256, 1},
                          SamplingParams.greedy(5000),
                          null,
                          TokenListener.NONE,
                          List.of()))
              .contains("exceed the model's context of 2048"));
      assertEquals(
          "token id 320 is outside the vocabulary of 320",
          argumentError(
              () ->
                  p.generate(
                      "j",
                      new int[] {256, 320},
                      SamplingParams.greedy(1),
                      null,
                      TokenListener.NONE,
                      List.of())));
      Shard second = p.stages().get(1);
      try (ShardSession s = second.newSession("j", LayerHook.NONE)) {
        assertTrue(
            argumentError(() -> second.forward(s, HiddenStateFrame.tokens(0, new int[] {1})))
                .contains("cannot take token ids"));
        assertTrue(
            argumentError(() -> second.forward(s, HiddenStateFrame.tokens(5, new int[] {1})))
                .contains("frame starts at position 5 but job j is at 0"));
      }
    }
  }
}
