package io.layerproof.verifier.reexec;

import java.util.List;

/** The verdicts of one challenge to one shard, one per requested sample, in request order. */
public record ShardVerification(CommittedShard shard, List<Verdict> verdicts) {

  public ShardVerification {
    verdicts = List.copyOf(verdicts);
  }

  /** True when every sample passed. */
  public boolean passed() {
    return verdicts.stream().allMatch(Verdict::passed);
  }

  public List<Verdict> failures() {
    return verdicts.stream().filter(v -> !v.passed()).toList();
  }

  /** The largest measured relative error (0 when nothing was measured). */
  public double maxRelativeError() {
    return verdicts.stream()
        .filter(v -> v.error() != null)
        .mapToDouble(v -> v.error().relative())
        .max()
        .orElse(0);
  }
}
