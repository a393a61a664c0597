package io.layerproof.node.gateway;

import io.layerproof.inference.model.LlamaModel;
import io.layerproof.inference.model.TextTokenizer;
import io.layerproof.inference.sampling.Generation;
import io.layerproof.inference.sampling.SamplingParams;
import io.layerproof.inference.sampling.TokenListener;
import io.layerproof.inference.shard.Pipeline;
import io.layerproof.inference.shard.ShardOptions;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A {@link CompletionBackend} over a local {@link Pipeline} (e.g. the devnet's synthetic default
 * model, whose text is gibberish). Messages become a prompt with {@link ChatMessage#render}; one
 * generation runs at a time.
 */
public final class PipelineBackend implements CompletionBackend, AutoCloseable {

  private final LlamaModel model;
  private final Pipeline pipeline;
  private final TextTokenizer tokenizer;
  private final AtomicLong jobs = new AtomicLong();

  /**
   * Loads {@code model} into a one-stage pipeline; the backend closes the pipeline, not the model.
   */
  public PipelineBackend(LlamaModel model) {
    this.model = Objects.requireNonNull(model, "model");
    this.pipeline = Pipeline.load(model, 1, ShardOptions.DEFAULT);
    this.tokenizer = model.tokenizer();
  }

  @Override
  public synchronized Result complete(
      List<ChatMessage> messages, SamplingParams params, TokenListener listener) {
    int[] prompt = tokenizer.encode(ChatMessage.render(messages), true);
    Generation g =
        pipeline.generate(
            "gateway-" + jobs.incrementAndGet(), prompt, params, tokenizer, listener, List.of());
    return new Result(g.promptTokens().length, g.tokens().length, g.text(), g.finishReason());
  }

  @Override
  public void close() {
    pipeline.close();
  }

  @Override
  public String toString() {
    return "PipelineBackend[" + model.folder() + "]";
  }
}
