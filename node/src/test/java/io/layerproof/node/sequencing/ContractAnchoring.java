package io.layerproof.node.sequencing;

import io.layerproof.chain.event.Bytes32;
import io.layerproof.chain.event.NodeId;
import io.layerproof.node.bus.Scheduler;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The {@link Anchoring} port over an {@link AnchorContract}, as the real adapter will work over
 * LedgerAnchor: root computed here from the entries, the call lands after {@code latency} of
 * virtual time, reverts are mapped to outcomes. {@code failRate} makes some calls fail outright (an
 * RPC error) to exercise retries.
 */
public final class ContractAnchoring implements Anchoring {
  private final AnchorContract contract;
  private final NodeId sender;
  private final Scheduler scheduler;
  private final Duration latency;
  private final Random random;
  private final double failRate;

  public ContractAnchoring(
      AnchorContract contract,
      NodeId sender,
      Scheduler scheduler,
      Duration latency,
      Random random,
      double failRate) {
    this.contract = contract;
    this.sender = sender;
    this.scheduler = scheduler;
    this.latency = latency;
    this.random = random;
    this.failRate = failRate;
  }

  @Override
  public Bytes32 root(List<LogEntry> entries) {
    return rootOf(entries);
  }

  @Override
  public CompletionStage<Optional<AnchoredBatch>> anchored(long batchIndex) {
    CompletableFuture<Optional<AnchoredBatch>> f = new CompletableFuture<>();
    scheduler.schedule(
        latency,
        () -> {
          AnchorContract.Stored s = contract.batch(batchIndex);
          f.complete(
              s == null
                  ? Optional.empty()
                  : Optional.of(new AnchoredBatch(s.root(), s.eventCount())));
        });
    return f;
  }

  /** The ledger's batch root, as the real adapter computes it. */
  static Bytes32 rootOf(List<LogEntry> entries) {
    return io.layerproof.node.ledger.LedgerAnchoring.rootOf(entries);
  }

  @Override
  public CompletionStage<AnchorResult> anchor(BatchCandidate batch) {
    CompletableFuture<AnchorResult> f = new CompletableFuture<>();
    boolean fail = failRate > 0 && random.nextDouble() < failRate;
    scheduler.schedule(
        latency.plus(contract.sent()),
        () -> {
          contract.settled();
          f.complete(fail ? AnchorResult.failed("rpc down") : land(batch));
        });
    return f;
  }

  private AnchorResult land(BatchCandidate batch) {
    Bytes32 root = rootOf(batch.entries());
    try {
      contract.anchor(sender, batch.batchIndex(), root, batch.entries().size(), batch.prevRoot());
      return AnchorResult.anchored(root, batch.entries().size());
    } catch (AnchorContract.Revert r) {
      if (r.error.startsWith("BatchAlreadyAnchored")) {
        // Ours after all, if the stored root is that of our first eventCount entries.
        AnchorContract.Stored s = contract.batch(batch.batchIndex());
        int n = (int) s.eventCount();
        if (n > batch.entries().size()) {
          // Cannot tell yet whether the stored batch is our history: wait for more entries.
          return AnchorResult.failed(r.error + " with " + n + " events; candidate has fewer");
        }
        if (s.prevRoot().equals(batch.prevRoot())
            && s.root().equals(rootOf(batch.entries().subList(0, n)))) {
          return AnchorResult.anchored(s.root(), n);
        }
        return AnchorResult.staleHistory(r.error);
      }
      if (r.error.startsWith("PrevRootMismatch")) {
        return AnchorResult.staleHistory(r.error);
      }
      return AnchorResult.failed(r.error);
    }
  }
}
