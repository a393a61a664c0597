package io.layerproof.node.jobs;

import io.layerproof.inference.model.TextTokenizer;
import io.layerproof.inference.sampling.Generation;
import io.layerproof.inference.sampling.SamplingParams;
import io.layerproof.inference.sampling.TokenListener;
import io.layerproof.verifier.reexec.CommittedShard;
import java.util.List;

/**
 * Runs one job's generation across the providers' shards and returns what each committed to. The
 * shards may be in this JVM ({@link LocalJobPipeline}) or on other nodes, reached over libp2p
 * ({@code node/stage/RemotePipeline}).
 */
public interface JobPipeline extends AutoCloseable {

  /**
   * @param committed one commitment per stage, in layer order
   */
  record Run(Generation generation, List<CommittedShard> committed) {
    public Run {
      committed = List.copyOf(committed);
    }
  }

  Run run(
      String jobId,
      int[] prompt,
      SamplingParams params,
      TextTokenizer tokenizer,
      TokenListener listener);

  /**
   * Has stage {@code stage}'s provider sign its ledger events for a job it finished ({@link
   * ProviderNode#events}), from sequence number {@code nextSeq}; returns the envelopes' wire bytes
   * as the provider sent them, unchecked (the sequencer verifies them before appending).
   *
   * @param committed what {@link #run} returned for that stage
   * @param tokens the generated tokens for the last stage, empty for the others
   */
  List<byte[]> attest(
      String jobId, int stage, CommittedShard committed, long nextSeq, int[] tokens);

  @Override
  void close();
}
