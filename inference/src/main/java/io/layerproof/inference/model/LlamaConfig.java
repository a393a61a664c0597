package io.layerproof.inference.model;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The architecture part of a Hugging Face {@code config.json} for Llama-family decoders (llama,
 * mistral without sliding window, qwen2 with its q/k/v biases).
 *
 * @param attentionBias whether q/k/v projections carry a bias (qwen2, or llama's attention_bias)
 * @param ropeScaling null when positions are not rescaled
 * @param bosTokenId -1 when the config names none
 */
public record LlamaConfig(
    String modelType,
    int hiddenSize,
    int intermediateSize,
    int numLayers,
    int numHeads,
    int numKvHeads,
    int headDim,
    int vocabSize,
    double rmsNormEps,
    double ropeTheta,
    RopeScaling ropeScaling,
    int maxPositionEmbeddings,
    boolean tieWordEmbeddings,
    boolean attentionBias,
    int bosTokenId,
    List<Integer> eosTokenIds) {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<String> MODEL_TYPES = Set.of("llama", "mistral", "qwen2");

  /** Far above any real model; stops a hostile config from asking for absurd allocations. */
  private static final int MAX_DIM = 1 << 20;

  public LlamaConfig {
    if (!MODEL_TYPES.contains(modelType)) {
      throw new ModelFormatException(
          "model_type '" + modelType + "' is not a Llama-family decoder " + MODEL_TYPES);
    }
    positive("hidden_size", hiddenSize);
    positive("intermediate_size", intermediateSize);
    positive("num_hidden_layers", numLayers);
    positive("num_attention_heads", numHeads);
    positive("num_key_value_heads", numKvHeads);
    positive("head_dim", headDim);
    positive("vocab_size", vocabSize);
    positive("max_position_embeddings", maxPositionEmbeddings);
    if (numHeads % numKvHeads != 0) {
      throw new ModelFormatException(
          "num_attention_heads ("
              + numHeads
              + ") must be a multiple of num_key_value_heads ("
              + numKvHeads
              + ")");
    }
    if (headDim % 2 != 0) {
      throw new ModelFormatException("head_dim must be even for rotary embeddings, got " + headDim);
    }
    if (!(rmsNormEps > 0) || !(ropeTheta > 0)) {
      throw new ModelFormatException("rms_norm_eps and rope_theta must be positive");
    }
    eosTokenIds = List.copyOf(eosTokenIds);
  }

  /** Reads and checks {@code config.json}. */
  public static LlamaConfig read(Path file) {
    String text;
    try {
      text = Files.readString(file);
    } catch (NoSuchFileException e) {
      throw new ModelFormatException("missing config.json: " + file);
    } catch (IOException e) {
      throw new ModelFormatException("cannot read " + file + ": " + e.getMessage(), e);
    }
    return parse(text, file.toString());
  }

  /** Parses config JSON; {@code source} names it in error messages. */
  public static LlamaConfig parse(String json, String source) {
    JsonNode root;
    try {
      root = JSON.readTree(json);
    } catch (JsonProcessingException e) {
      throw new ModelFormatException(
          "malformed JSON in " + source + ": " + e.getOriginalMessage(), e);
    }
    if (root == null || !root.isObject()) {
      throw new ModelFormatException(source + " is not a JSON object");
    }
    try {
      return fromJson(root);
    } catch (ModelFormatException e) {
      throw new ModelFormatException(source + ": " + e.getMessage(), e);
    }
  }

  private static LlamaConfig fromJson(JsonNode root) {
    String modelType = root.path("model_type").asText("");
    String act = root.path("hidden_act").asText("silu");
    if (!"silu".equals(act)) {
      throw new ModelFormatException("hidden_act '" + act + "' is not supported (silu)");
    }
    int hidden = requiredInt(root, "hidden_size");
    int heads = requiredInt(root, "num_attention_heads");
    int headDim =
        root.hasNonNull("head_dim")
            ? requiredInt(root, "head_dim")
            : (heads > 0 && hidden % heads == 0 ? hidden / heads : -1);
    if (headDim == -1) {
      throw new ModelFormatException(
          "hidden_size (" + hidden + ") is not a multiple of num_attention_heads (" + heads + ")");
    }
    return new LlamaConfig(
        modelType,
        hidden,
        requiredInt(root, "intermediate_size"),
        requiredInt(root, "num_hidden_layers"),
        heads,
        root.hasNonNull("num_key_value_heads") ? requiredInt(root, "num_key_value_heads") : heads,
        headDim,
        requiredInt(root, "vocab_size"),
        number(root, "rms_norm_eps", 1e-6),
        number(root, "rope_theta", 10000.0),
        ropeScaling(root.get("rope_scaling")),
        root.hasNonNull("max_position_embeddings")
            ? requiredInt(root, "max_position_embeddings")
            : 2048,
        root.path("tie_word_embeddings").asBoolean(false),
        "qwen2".equals(modelType) || root.path("attention_bias").asBoolean(false),
        root.hasNonNull("bos_token_id") ? requiredInt(root, "bos_token_id") : -1,
        tokenIds(root.get("eos_token_id")));
  }

  /** Writes this config in Hugging Face's layout, as transformers would load it. */
  public String toJson() {
    ObjectNode root = JSON.createObjectNode();
    root.putArray("architectures").add("LlamaForCausalLM");
    root.put("model_type", modelType);
    root.put("hidden_act", "silu");
    root.put("hidden_size", hiddenSize);
    root.put("intermediate_size", intermediateSize);
    root.put("num_hidden_layers", numLayers);
    root.put("num_attention_heads", numHeads);
    root.put("num_key_value_heads", numKvHeads);
    root.put("head_dim", headDim);
    root.put("vocab_size", vocabSize);
    root.put("rms_norm_eps", rmsNormEps);
    root.put("rope_theta", ropeTheta);
    if (ropeScaling == null) {
      root.putNull("rope_scaling");
    } else {
      ObjectNode rs = root.putObject("rope_scaling");
      rs.put("rope_type", ropeScaling.type());
      rs.put("factor", ropeScaling.factor());
      if ("llama3".equals(ropeScaling.type())) {
        rs.put("low_freq_factor", ropeScaling.lowFreqFactor());
        rs.put("high_freq_factor", ropeScaling.highFreqFactor());
        rs.put("original_max_position_embeddings", ropeScaling.originalMaxPositionEmbeddings());
      }
    }
    root.put("max_position_embeddings", maxPositionEmbeddings);
    root.put("tie_word_embeddings", tieWordEmbeddings);
    root.put("attention_bias", attentionBias);
    root.put("mlp_bias", false);
    root.put("initializer_range", 0.02);
    if (bosTokenId >= 0) {
      root.put("bos_token_id", bosTokenId);
    }
    if (eosTokenIds.size() == 1) {
      root.put("eos_token_id", eosTokenIds.get(0));
    } else {
      ArrayNode eos = root.putArray("eos_token_id");
      eosTokenIds.forEach(eos::add);
    }
    root.put("torch_dtype", "float32");
    root.put("use_cache", true);
    try {
      return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Query heads per key/value head. */
  public int kvGroups() {
    return numHeads / numKvHeads;
  }

  private static RopeScaling ropeScaling(JsonNode node) {
    if (node == null || node.isNull()) {
      return null;
    }
    String type = node.hasNonNull("rope_type") ? node.get("rope_type").asText() : null;
    if (type == null) {
      type = node.path("type").asText("");
    }
    if ("default".equals(type)) {
      return null;
    }
    return new RopeScaling(
        type,
        number(node, "factor", Double.NaN),
        number(node, "low_freq_factor", 1.0),
        number(node, "high_freq_factor", 4.0),
        node.hasNonNull("original_max_position_embeddings")
            ? requiredInt(node, "original_max_position_embeddings")
            : 8192);
  }

  private static List<Integer> tokenIds(JsonNode node) {
    List<Integer> ids = new ArrayList<>();
    if (node == null || node.isNull()) {
      return ids;
    }
    if (node.isArray()) {
      for (JsonNode n : node) {
        ids.add(intValue(n, "eos_token_id"));
      }
    } else {
      ids.add(intValue(node, "eos_token_id"));
    }
    return ids;
  }

  private static int requiredInt(JsonNode root, String field) {
    JsonNode node = root.get(field);
    if (node == null || node.isNull()) {
      throw new ModelFormatException("missing field " + field);
    }
    return intValue(node, field);
  }

  private static int intValue(JsonNode node, String field) {
    if (!node.isIntegralNumber() || !node.canConvertToInt()) {
      throw new ModelFormatException(field + " must be an integer, got " + node);
    }
    return node.intValue();
  }

  private static double number(JsonNode root, String field, double fallback) {
    JsonNode node = root.get(field);
    if (node == null || node.isNull()) {
      return fallback;
    }
    if (!node.isNumber()) {
      throw new ModelFormatException(field + " must be a number, got " + node);
    }
    return node.doubleValue();
  }

  private static void positive(String field, int value) {
    if (value <= 0 || value > MAX_DIM) {
      throw new ModelFormatException(field + " must be in 1.." + MAX_DIM + ", got " + value);
    }
  }
}
