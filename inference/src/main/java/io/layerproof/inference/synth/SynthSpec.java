package io.layerproof.inference.synth;

import io.layerproof.inference.model.LlamaConfig;
import io.layerproof.inference.model.RopeScaling;
import java.util.List;

/**
 * The shape and seed of a synthetic Llama model. The same spec always gives byte-identical files.
 *
 * @param intermediateSize 0 picks about 8/3 of the hidden size, rounded to a multiple of 64
 * @param ropeScaling null for plain RoPE (what Jlama understands), or e.g. llama3
 * @param files how many safetensors files to spread the tensors over (more than 1 writes an index)
 */
public record SynthSpec(
    int layers,
    int hiddenSize,
    int heads,
    int kvHeads,
    int intermediateSize,
    int vocabSize,
    long seed,
    int maxPositions,
    double ropeTheta,
    RopeScaling ropeScaling,
    boolean tieEmbeddings,
    int files) {

  public SynthSpec {
    check(layers >= 1 && layers <= 256, "layers must be 1..256, got " + layers);
    check(hiddenSize >= 8 && hiddenSize <= 16384, "hidden size must be 8..16384");
    check(heads >= 1 && hiddenSize % heads == 0, "hidden size must be a multiple of heads");
    check((hiddenSize / heads) % 2 == 0, "head dimension (hidden / heads) must be even");
    check(kvHeads >= 1 && heads % kvHeads == 0, "heads must be a multiple of kv heads");
    check(
        vocabSize >= ByteLevelTokenizer.MIN_VOCAB && vocabSize <= 1 << 18,
        "vocabulary must be " + ByteLevelTokenizer.MIN_VOCAB + ".." + (1 << 18));
    check(maxPositions >= 16 && maxPositions <= 1 << 20, "max positions must be 16..1048576");
    check(files >= 1 && files <= layers + 2, "files must be 1..layers+2");
    check(intermediateSize >= 0 && intermediateSize <= 65536, "intermediate size must be 0..65536");
    if (intermediateSize == 0) {
      intermediateSize = Math.max(64, (int) Math.round(hiddenSize * 8.0 / 3 / 64) * 64);
    }
  }

  /** A spec with the usual defaults for everything but the shape. */
  public static SynthSpec of(
      int layers, int hiddenSize, int heads, int kvHeads, int vocabSize, long seed) {
    return new SynthSpec(
        layers, hiddenSize, heads, kvHeads, 0, vocabSize, seed, 2048, 10000.0, null, false, 1);
  }

  public SynthSpec withFiles(int n) {
    return new SynthSpec(
        layers,
        hiddenSize,
        heads,
        kvHeads,
        intermediateSize,
        vocabSize,
        seed,
        maxPositions,
        ropeTheta,
        ropeScaling,
        tieEmbeddings,
        n);
  }

  public SynthSpec withRopeScaling(RopeScaling scaling) {
    return new SynthSpec(
        layers,
        hiddenSize,
        heads,
        kvHeads,
        intermediateSize,
        vocabSize,
        seed,
        maxPositions,
        ropeTheta,
        scaling,
        tieEmbeddings,
        files);
  }

  public SynthSpec withTiedEmbeddings(boolean tied) {
    return new SynthSpec(
        layers,
        hiddenSize,
        heads,
        kvHeads,
        intermediateSize,
        vocabSize,
        seed,
        maxPositions,
        ropeTheta,
        ropeScaling,
        tied,
        files);
  }

  public LlamaConfig config() {
    return new LlamaConfig(
        "llama",
        hiddenSize,
        intermediateSize,
        layers,
        heads,
        kvHeads,
        hiddenSize / heads,
        vocabSize,
        1e-5,
        ropeTheta,
        ropeScaling,
        maxPositions,
        tieEmbeddings,
        false,
        ByteLevelTokenizer.BOS_ID,
        List.of(ByteLevelTokenizer.EOS_ID));
  }

  private static void check(boolean ok, String message) {
    if (!ok) {
      throw new IllegalArgumentException(message);
    }
  }
}
