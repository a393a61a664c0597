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

  @Override
  void close();
}
