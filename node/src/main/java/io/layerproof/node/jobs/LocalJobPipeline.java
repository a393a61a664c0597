package io.layerproof.node.jobs;

import io.layerproof.chain.event.Bytes32;
import io.layerproof.chain.event.SignedEvent;
import io.layerproof.inference.model.TextTokenizer;
import io.layerproof.inference.sampling.Generation;
import io.layerproof.inference.sampling.SamplingParams;
import io.layerproof.inference.sampling.TokenListener;
import io.layerproof.inference.shard.Pipeline;
import io.layerproof.verifier.reexec.CommittedShard;
import java.util.List;

/**
 * The providers' shards in this JVM as one {@link Pipeline}: frames between stages still go through
 * the wire codec, and each provider's hook commits to its own activations.
 */
public final class LocalJobPipeline implements JobPipeline {

  private final List<ProviderNode> providers;
  private final Pipeline pipeline;

  /**
   * @param providers the stages in layer order, tiling the model
   */
  public LocalJobPipeline(List<ProviderNode> providers) {
    this.providers = List.copyOf(providers);
    this.pipeline = Pipeline.of(this.providers.stream().map(ProviderNode::shard).toList());
  }

  @Override
  public Run run(
      String jobId,
      int[] prompt,
      SamplingParams params,
      TextTokenizer tokenizer,
      TokenListener listener) {
    List<ProviderNode.Work> work = providers.stream().map(p -> p.begin(jobId)).toList();
    Generation g =
        pipeline.generate(
            jobId,
            prompt,
            params,
            tokenizer,
            listener,
            work.stream().map(ProviderNode.Work::hook).toList());
    return new Run(g, work.stream().map(ProviderNode.Work::finish).toList());
  }

  @Override
  public List<byte[]> attest(
      String jobId, int stage, CommittedShard committed, long nextSeq, int[] tokens) {
    return providers
        .get(stage)
        .attest(Bytes32.fromHex(jobId), stage, committed, nextSeq, tokens)
        .stream()
        .map(SignedEvent::toWire)
        .toList();
  }

  @Override
  public void close() {
    pipeline.close();
  }
}
