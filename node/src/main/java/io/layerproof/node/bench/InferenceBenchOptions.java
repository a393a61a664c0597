package io.layerproof.node.bench;

import java.nio.file.Path;

/**
 * What {@code layerproof bench inference} measures on.
 *
 * @param modelDir the synthetic default model's folder (generated there if missing)
 * @param promptTokens tokens prefilled per round
 * @param decodeTokens tokens decoded per round
 * @param rounds measured rounds per configuration (medians reported), after one warm-up round
 * @param threads PyTorch intra-op threads for the sharding and commitment rounds; 1 by default
 *     because decode is memory-bound (2 threads decode no faster here) and OpenMP's spinning
 *     threads collapse when the 2 cores are shared with other work
 * @param jlama whether to run the Jlama comparison (needs the Temurin 25 JDK)
 */
public record InferenceBenchOptions(
    Path modelDir, int promptTokens, int decodeTokens, int rounds, int threads, boolean jlama) {

  public InferenceBenchOptions {
    if (promptTokens < 1 || promptTokens > 1024) {
      throw new IllegalArgumentException("prompt tokens must be 1..1024");
    }
    if (decodeTokens < 2 || decodeTokens > 1024) {
      throw new IllegalArgumentException("decode tokens must be 2..1024");
    }
    if (rounds < 1 || rounds > 100) {
      throw new IllegalArgumentException("rounds must be 1..100");
    }
    if (threads < 1 || threads > 256) {
      throw new IllegalArgumentException("threads must be 1..256");
    }
  }

  public static Path defaultModelDir() {
    return Path.of(System.getProperty("user.home"), ".layerproof", "models", "synth-8x512");
  }
}
