package io.layerproof.verifier.reveal;

import io.layerproof.verifier.sampling.Sample;
import java.util.List;

/**
 * A verifier's challenge to the provider of one (job, shard): reveal these sampled cells.
 * Transport-agnostic; the node carries it over p2p request/response. Structural checks happen here;
 * {@link RevealLimits#check} bounds its size.
 *
 * @param jobId the job
 * @param startLayer the shard, by its first layer (how providers key their activation stores)
 * @param samples the cells, each in the shard's layer range, no duplicates
 */
public record RevealRequest(String jobId, int startLayer, List<Sample> samples) {

  public RevealRequest {
    RevealLimits.checkJobId(jobId);
    samples = List.copyOf(samples);
    if (startLayer < 0) {
      throw new IllegalArgumentException("negative shard start layer " + startLayer);
    }
    if (samples.isEmpty()) {
      throw new IllegalArgumentException("a reveal request needs at least one sample");
    }
    for (Sample s : samples) {
      if (s.layer() < startLayer) {
        throw new IllegalArgumentException(
            "sample " + s + " is below the shard starting at layer " + startLayer);
      }
    }
  }
}
