package io.layerproof.chain.ledger.state;

import io.layerproof.chain.event.Bytes32;
import io.layerproof.chain.event.NodeId;
import java.util.Objects;

/**
 * One shard of a job: who serves which layers, what it committed to, and the verdict on it.
 *
 * @param commitment the LayerCommitmentsGenerated root, null until committed
 * @param inputBoundary hash of the hidden state entering the shard, null until committed
 * @param outputBoundary hash of the hidden state leaving the shard, null until committed
 * @param samplesChecked samples the verifier re-executed
 * @param verdict null until verified
 */
public record ShardState(
    int index,
    NodeId provider,
    int startLayer,
    int endLayer,
    Bytes32 commitment,
    Bytes32 inputBoundary,
    Bytes32 outputBoundary,
    int samplesChecked,
    Verdict verdict) {

  public ShardState {
    Objects.requireNonNull(provider, "provider");
  }

  public boolean committed() {
    return commitment != null;
  }

  ShardState withCommitment(Bytes32 root, Bytes32 input, Bytes32 output) {
    return new ShardState(
        index, provider, startLayer, endLayer, root, input, output, samplesChecked, verdict);
  }

  ShardState withVerdict(Verdict v, int samples) {
    return new ShardState(
        index,
        provider,
        startLayer,
        endLayer,
        commitment,
        inputBoundary,
        outputBoundary,
        samples,
        v);
  }
}
