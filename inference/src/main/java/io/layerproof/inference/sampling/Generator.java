package io.layerproof.inference.sampling;

import io.layerproof.inference.model.TextTokenizer;
import java.util.Arrays;
import java.util.List;

/**
 * The decode loop, independent of how logits are computed: prefill the prompt in chunks, then pick
 * a token, report it, feed it back, until max tokens, an end-of-sequence token or a stop sequence.
 */
public final class Generator {

  /** Prompts longer than this are fed in chunks, bounding the attention scratch memory. */
  public static final int PREFILL_CHUNK = 512;

  /** One forward step over {@code tokens} (the next positions); returns the logits after them. */
  @FunctionalInterface
  public interface Step {
    float[] forward(int[] tokens);
  }

  private Generator() {}

  /**
   * @param tokenizer for text and stop sequences; null for ids only
   * @param eosTokenIds ids that end generation when {@code params.stopAtEos()}
   * @param contextLength the model's positions; prompt plus max tokens must fit
   */
  public static Generation run(
      Step step,
      int[] prompt,
      SamplingParams params,
      TextTokenizer tokenizer,
      List<Integer> eosTokenIds,
      int contextLength,
      TokenListener listener) {
    if (prompt.length == 0) {
      throw new IllegalArgumentException("the prompt has no tokens");
    }
    if ((long) prompt.length + params.maxTokens() > contextLength) {
      throw new IllegalArgumentException(
          "max tokens "
              + params.maxTokens()
              + " plus the prompt's "
              + prompt.length
              + " tokens exceed the model's context of "
              + contextLength
              + " positions");
    }
    TextStream stream = new TextStream(tokenizer, params.stopSequences());
    float[] logits = null;
    for (int i = 0; i < prompt.length; i += PREFILL_CHUNK) {
      logits =
          step.forward(Arrays.copyOfRange(prompt, i, Math.min(prompt.length, i + PREFILL_CHUNK)));
    }
    int[] out = new int[params.maxTokens()];
    int n = 0;
    FinishReason reason = FinishReason.MAX_TOKENS;
    while (true) {
      int token = Sampler.pick(logits, params, n);
      if (params.stopAtEos() && eosTokenIds.contains(token)) {
        reason = FinishReason.EOS;
        break;
      }
      out[n] = token;
      String delta = stream.add(token);
      n++;
      if (stream.stopped()) {
        listener.onToken(n - 1, token, delta);
        reason = FinishReason.STOP_SEQUENCE;
        break;
      }
      if (n == params.maxTokens()) {
        listener.onToken(n - 1, token, delta + stream.finish());
        break;
      }
      listener.onToken(n - 1, token, delta);
      logits = step.forward(new int[] {token});
    }
    listener.onFinish(reason, stream.finish());
    return new Generation(prompt, Arrays.copyOf(out, n), stream.text(), reason);
  }
}
