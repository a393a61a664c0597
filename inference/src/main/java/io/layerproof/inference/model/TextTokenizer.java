package io.layerproof.inference.model;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * A model's {@code tokenizer.json} through DJL's binding of Hugging Face tokenizers. Truncation and
 * padding are off: DJL would otherwise cut every prompt at 512 tokens without a word.
 */
public final class TextTokenizer implements AutoCloseable {

  public static final String FILE = "tokenizer.json";

  private final HuggingFaceTokenizer tokenizer;

  private TextTokenizer(HuggingFaceTokenizer tokenizer) {
    this.tokenizer = tokenizer;
  }

  public static TextTokenizer open(Path folder) {
    Path file = Files.isDirectory(folder) ? folder.resolve(FILE) : folder;
    if (!Files.isRegularFile(file)) {
      throw new ModelFormatException("missing " + FILE + ": " + file);
    }
    DjlRuntime.ensureOffline();
    try {
      return new TextTokenizer(
          HuggingFaceTokenizer.newInstance(
              file,
              Map.of("truncation", "false", "padding", "false", "addSpecialTokens", "false")));
    } catch (IOException | RuntimeException e) {
      throw new ModelFormatException("cannot load " + file + ": " + e.getMessage(), e);
    }
  }

  /** Token ids of {@code text}, with the post-processor's special tokens (e.g. BOS) if asked. */
  public int[] encode(String text, boolean addSpecialTokens) {
    Encoding enc = tokenizer.encode(text, addSpecialTokens, false);
    long[] ids = enc.getIds();
    int[] out = new int[ids.length];
    for (int i = 0; i < ids.length; i++) {
      out[i] = Math.toIntExact(ids[i]);
    }
    return out;
  }

  public String decode(int[] ids, boolean skipSpecialTokens) {
    long[] longs = new long[ids.length];
    for (int i = 0; i < ids.length; i++) {
      longs[i] = ids[i];
    }
    return tokenizer.decode(longs, skipSpecialTokens);
  }

  @Override
  public void close() {
    tokenizer.close();
  }
}
