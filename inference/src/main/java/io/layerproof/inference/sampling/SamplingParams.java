package io.layerproof.inference.sampling;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;

/**
 * How to pick tokens. {@code temperature == 0} is greedy; otherwise logits are divided by the
 * temperature, cut to the {@code topK} most likely (0 = no cut) and to the smallest set whose
 * probability reaches {@code topP}, and drawn with a uniform number derived from {@code seed} and
 * the step, so anyone holding the logits can reproduce the choice.
 *
 * @param maxTokens tokens to generate at most (the prompt not counted)
 * @param stopSequences generation ends before the first of these appears in the text
 * @param stopAtEos whether the model's end-of-sequence tokens end generation
 */
public record SamplingParams(
    double temperature,
    int topK,
    double topP,
    long seed,
    int maxTokens,
    List<String> stopSequences,
    boolean stopAtEos) {

  /** A sanity cap far above any context window we serve. */
  public static final int MAX_TOKENS_LIMIT = 1 << 20;

  public SamplingParams {
    if (!(temperature >= 0) || temperature > 100) {
      throw new IllegalArgumentException("temperature must be in [0, 100], got " + temperature);
    }
    if (topK < 0) {
      throw new IllegalArgumentException("top-k must be >= 0 (0 = off), got " + topK);
    }
    if (!(topP > 0) || topP > 1) {
      throw new IllegalArgumentException("top-p must be in (0, 1], got " + topP);
    }
    if (maxTokens < 1 || maxTokens > MAX_TOKENS_LIMIT) {
      throw new IllegalArgumentException(
          "max tokens must be in 1.." + MAX_TOKENS_LIMIT + ", got " + maxTokens);
    }
    stopSequences = List.copyOf(stopSequences);
    for (String s : stopSequences) {
      if (s.isEmpty()) {
        throw new IllegalArgumentException("stop sequences must not be empty");
      }
    }
  }

  public static SamplingParams greedy(int maxTokens) {
    return new SamplingParams(0, 0, 1.0, 0, maxTokens, List.of(), true);
  }

  public static SamplingParams sampled(
      double temperature, int topK, double topP, long seed, int maxTokens) {
    return new SamplingParams(temperature, topK, topP, seed, maxTokens, List.of(), true);
  }

  public boolean isGreedy() {
    return temperature == 0;
  }

  public SamplingParams withStopSequences(List<String> stops) {
    return new SamplingParams(temperature, topK, topP, seed, maxTokens, stops, stopAtEos);
  }

  public SamplingParams withStopAtEos(boolean stop) {
    return new SamplingParams(temperature, topK, topP, seed, maxTokens, stopSequences, stop);
  }

  public SamplingParams withSeed(long newSeed) {
    return new SamplingParams(
        temperature, topK, topP, newSeed, maxTokens, stopSequences, stopAtEos);
  }

  /** The sampling seed of a job: the first 8 bytes of SHA-256("layerproof/seed/v1:" + jobId). */
  public static long seedForJob(String jobId) {
    try {
      byte[] h =
          MessageDigest.getInstance("SHA-256")
              .digest(("layerproof/seed/v1:" + jobId).getBytes(StandardCharsets.UTF_8));
      long seed = 0;
      for (int i = 0; i < 8; i++) {
        seed = (seed << 8) | (h[i] & 0xff);
      }
      return seed;
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
