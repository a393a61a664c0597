package io.layerproof.inference.model;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A Hugging Face model folder, opened but not loaded: the config, the tensor index (headers only)
 * and the tokenizer. Shards load the weights they need from it.
 */
public final class LlamaModel implements AutoCloseable {

  public static final String CONFIG_FILE = "config.json";

  private final Path folder;
  private final LlamaConfig config;
  private final WeightIndex weights;
  private final TextTokenizer tokenizer;

  private LlamaModel(Path folder, LlamaConfig config, WeightIndex weights, TextTokenizer tok) {
    this.folder = folder;
    this.config = config;
    this.weights = weights;
    this.tokenizer = tok;
  }

  /**
   * Opens {@code folder}: config.json, model.safetensors (or the sharded index) and tokenizer.json
   * when present. Fails with a {@link ModelFormatException} naming the file at fault.
   */
  public static LlamaModel open(Path folder) {
    if (!Files.isDirectory(folder)) {
      throw new ModelFormatException("model folder " + folder + " does not exist");
    }
    LlamaConfig config = LlamaConfig.read(folder.resolve(CONFIG_FILE));
    WeightIndex weights = WeightIndex.open(folder);
    TextTokenizer tokenizer =
        Files.exists(folder.resolve(TextTokenizer.FILE)) ? TextTokenizer.open(folder) : null;
    return new LlamaModel(folder, config, weights, tokenizer);
  }

  public Path folder() {
    return folder;
  }

  public LlamaConfig config() {
    return config;
  }

  public WeightIndex weights() {
    return weights;
  }

  public boolean hasTokenizer() {
    return tokenizer != null;
  }

  public TextTokenizer tokenizer() {
    if (tokenizer == null) {
      throw new ModelFormatException("missing " + TextTokenizer.FILE + " in " + folder);
    }
    return tokenizer;
  }

  @Override
  public void close() {
    if (tokenizer != null) {
      tokenizer.close();
    }
  }
}
