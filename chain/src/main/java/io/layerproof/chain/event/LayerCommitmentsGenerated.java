package io.layerproof.chain.event;

import java.util.Optional;

/**
 * A provider committed to every layer output of its shard: {@code root} is the Merkle root over one
 * leaf per (token, layer). The boundary hashes pin the pipeline: a stage's {@code inputBoundary}
 * must equal the previous stage's {@code outputBoundary}, so a fault is pinned on the first bad
 * stage. Emitted by the provider.
 */
public record LayerCommitmentsGenerated(
    Bytes32 jobId,
    int shardIndex,
    int startLayer,
    int endLayer,
    int tokenCount,
    Bytes32 root,
    Bytes32 inputBoundary,
    Bytes32 outputBoundary)
    implements LedgerEvent {

  public LayerCommitmentsGenerated {
    Checks.present(jobId, "jobId");
    Checks.nonNegative(shardIndex, "shardIndex");
    Checks.layerRange(startLayer, endLayer, "commitment");
    Checks.nonNegative(tokenCount, "tokenCount");
    Checks.present(root, "root");
    Checks.present(inputBoundary, "inputBoundary");
    Checks.present(outputBoundary, "outputBoundary");
  }

  @Override
  public Optional<Bytes32> job() {
    return Optional.of(jobId);
  }
}
