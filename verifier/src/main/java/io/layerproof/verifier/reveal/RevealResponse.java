package io.layerproof.verifier.reveal;

import io.layerproof.verifier.sampling.Sample;
import java.util.List;
import java.util.Optional;

/**
 * A provider's answer to a {@link RevealRequest}: one {@link SampleReveal} per sample it answers.
 * Nothing here is trusted; the verifier checks every proof against the roots on the ledger.
 */
public record RevealResponse(String jobId, int startLayer, List<SampleReveal> reveals) {

  public RevealResponse {
    reveals = List.copyOf(reveals);
  }

  /** The reveal of {@code sample}, if the provider sent one (the first, if it sent several). */
  public Optional<SampleReveal> find(Sample sample) {
    return reveals.stream().filter(r -> sample.equals(r.sample())).findFirst();
  }

  /** Activation, frame, leaf and proof bytes carried; bounded by {@link RevealLimits}. */
  public long byteSize() {
    return reveals.stream().mapToLong(SampleReveal::byteSize).sum();
  }
}
