package io.layerproof.inference.synth;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.layerproof.inference.model.LlamaConfig;
import io.layerproof.inference.model.LlamaModel;
import io.layerproof.inference.model.TextTokenizer;
import io.layerproof.inference.model.WeightIndex;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.commons.io.file.PathUtils;

/**
 * Writes a synthetic Llama model as a Hugging Face folder: config.json, generation_config.json,
 * model.safetensors (or several files and an index), tokenizer.json, tokenizer_config.json and
 * {@value #SPEC_FILE} recording the spec. The folder appears atomically: it is written next to
 * {@code out} and moved into place, so a crash never leaves a half model behind.
 */
public final class SyntheticModel {

  public static final String SPEC_FILE = "layerproof-synth.json";

  private static final ObjectMapper JSON = new ObjectMapper();

  private SyntheticModel() {}

  /**
   * Generates {@code spec} into {@code out}, which must not exist or be empty unless {@code
   * overwrite}.
   */
  public static void generate(SynthSpec spec, Path out, boolean overwrite, SynthProgress progress) {
    Path target = out.toAbsolutePath().normalize();
    try {
      if (Files.exists(target) && !isEmptyDir(target) && !overwrite) {
        throw new IllegalArgumentException(
            target + " exists and is not empty (use --force to replace it)");
      }
      Files.createDirectories(target.getParent());
      Path tmp = Files.createTempDirectory(target.getParent(), "." + target.getFileName() + ".");
      try {
        writeFolder(spec, tmp, progress);
        if (Files.exists(target)) {
          PathUtils.deleteDirectory(target);
        }
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
      } finally {
        if (Files.exists(tmp)) {
          PathUtils.deleteDirectory(tmp);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write synthetic model to " + target, e);
    }
  }

  /** The tensors of a Llama checkpoint for {@code c}, in the order they are written. */
  static List<SafetensorsWriter.Tensor> tensors(LlamaConfig c) {
    long h = c.hiddenSize();
    long q = (long) c.numHeads() * c.headDim();
    long kv = (long) c.numKvHeads() * c.headDim();
    long inter = c.intermediateSize();
    List<SafetensorsWriter.Tensor> list = new ArrayList<>();
    list.add(new SafetensorsWriter.Tensor("model.embed_tokens.weight", shape(c.vocabSize(), h)));
    for (int i = 0; i < c.numLayers(); i++) {
      String p = "model.layers." + i + ".";
      list.add(new SafetensorsWriter.Tensor(p + "input_layernorm.weight", shape(h)));
      list.add(new SafetensorsWriter.Tensor(p + "self_attn.q_proj.weight", shape(q, h)));
      list.add(new SafetensorsWriter.Tensor(p + "self_attn.k_proj.weight", shape(kv, h)));
      list.add(new SafetensorsWriter.Tensor(p + "self_attn.v_proj.weight", shape(kv, h)));
      list.add(new SafetensorsWriter.Tensor(p + "self_attn.o_proj.weight", shape(h, q)));
      list.add(new SafetensorsWriter.Tensor(p + "post_attention_layernorm.weight", shape(h)));
      list.add(new SafetensorsWriter.Tensor(p + "mlp.gate_proj.weight", shape(inter, h)));
      list.add(new SafetensorsWriter.Tensor(p + "mlp.up_proj.weight", shape(inter, h)));
      list.add(new SafetensorsWriter.Tensor(p + "mlp.down_proj.weight", shape(h, inter)));
    }
    list.add(new SafetensorsWriter.Tensor("model.norm.weight", shape(h)));
    if (!c.tieWordEmbeddings()) {
      list.add(new SafetensorsWriter.Tensor("lm_head.weight", shape(c.vocabSize(), h)));
    }
    return list;
  }

  private static void writeFolder(SynthSpec spec, Path dir, SynthProgress progress)
      throws IOException {
    LlamaConfig c = spec.config();
    Files.writeString(dir.resolve(LlamaModel.CONFIG_FILE), c.toJson());
    Files.writeString(dir.resolve(TextTokenizer.FILE), ByteLevelTokenizer.json(c.vocabSize()));
    Files.writeString(dir.resolve("tokenizer_config.json"), tokenizerConfig(c));
    Files.writeString(dir.resolve("generation_config.json"), generationConfig(c));
    Files.writeString(dir.resolve(SPEC_FILE), specJson(spec));

    List<SafetensorsWriter.Tensor> all = tensors(c);
    long total = all.stream().mapToLong(t -> t.elements() * 4).sum();
    long[] done = {0};
    progress.update(0, total);
    WeightInit init = new WeightInit(spec.seed(), spec.layers());
    List<List<SafetensorsWriter.Tensor>> groups = split(all, spec.files());
    Map<String, String> weightMap = new LinkedHashMap<>();
    for (int f = 0; f < groups.size(); f++) {
      String name =
          groups.size() == 1
              ? WeightIndex.SINGLE_FILE
              : String.format("model-%05d-of-%05d.safetensors", f + 1, groups.size());
      SafetensorsWriter.write(
          dir.resolve(name),
          groups.get(f),
          init::fill,
          bytes -> progress.update(done[0] += bytes, total));
      groups.get(f).forEach(t -> weightMap.put(t.name(), name));
    }
    if (groups.size() > 1) {
      ObjectNode index = JSON.createObjectNode();
      index.putObject("metadata").put("total_size", total);
      ObjectNode map = index.putObject("weight_map");
      weightMap.forEach(map::put);
      Files.writeString(
          dir.resolve(WeightIndex.INDEX_FILE),
          JSON.writerWithDefaultPrettyPrinter().writeValueAsString(index));
    }
  }

  private static List<List<SafetensorsWriter.Tensor>> split(
      List<SafetensorsWriter.Tensor> all, int files) {
    List<List<SafetensorsWriter.Tensor>> groups = new ArrayList<>();
    int start = 0;
    for (int f = 0; f < files; f++) {
      int size = all.size() / files + (f < all.size() % files ? 1 : 0);
      groups.add(all.subList(start, start + size));
      start += size;
    }
    return groups;
  }

  static String specJson(SynthSpec spec) throws IOException {
    return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(spec);
  }

  private static String tokenizerConfig(LlamaConfig c) throws IOException {
    ObjectNode n = JSON.createObjectNode();
    n.put("tokenizer_class", "PreTrainedTokenizerFast");
    n.put("bos_token", ByteLevelTokenizer.BOS);
    n.put("eos_token", ByteLevelTokenizer.EOS);
    n.put("add_bos_token", true);
    n.put("clean_up_tokenization_spaces", false);
    n.put("model_max_length", c.maxPositionEmbeddings());
    return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(n);
  }

  private static String generationConfig(LlamaConfig c) throws IOException {
    ObjectNode n = JSON.createObjectNode();
    n.put("bos_token_id", c.bosTokenId());
    n.put("eos_token_id", c.eosTokenIds().get(0));
    n.put("do_sample", false);
    return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(n);
  }

  private static long[] shape(long... dims) {
    return dims;
  }

  private static boolean isEmptyDir(Path p) throws IOException {
    if (!Files.isDirectory(p)) {
      return false;
    }
    try (Stream<Path> s = Files.list(p)) {
      return s.findAny().isEmpty();
    }
  }
}
