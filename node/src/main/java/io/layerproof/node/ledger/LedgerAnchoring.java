package io.layerproof.node.ledger;

import io.layerproof.chain.contracts.ContractRevertException;
import io.layerproof.chain.event.Bytes32;
import io.layerproof.chain.ledger.EntryHashes;
import io.layerproof.chain.ledger.anchor.AnchorChain;
import io.layerproof.chain.ledger.anchor.AnchorChain.OnChainBatch;
import io.layerproof.chain.ledger.anchor.BatchAnchorer;
import io.layerproof.chain.merkle.MerkleTree;
import io.layerproof.node.sequencing.AnchorResult;
import io.layerproof.node.sequencing.Anchoring;
import io.layerproof.node.sequencing.BatchCandidate;
import io.layerproof.node.sequencing.LogEntry;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sequencing port over {@code LedgerAnchor}. Blocking chain calls run on {@code executor}; the
 * sequencer retries FAILED outcomes with its own backoff, so one attempt here is one transaction.
 *
 * <p>Before sending, the chain's BatchAnchored record for the batch number is read: a batch already
 * there from this same history (a lost receipt, or the previous sequencer cutting it shorter) is
 * reported as anchored without paying again; another root means another history won.
 */
public final class LedgerAnchoring implements Anchoring {
  private static final Logger log = LoggerFactory.getLogger(LedgerAnchoring.class);

  private final AnchorChain chain;
  private final Executor executor;

  public LedgerAnchoring(AnchorChain chain, Executor executor) {
    this.chain = chain;
    this.executor = executor;
  }

  @Override
  public CompletionStage<AnchorResult> anchor(BatchCandidate batch) {
    return CompletableFuture.supplyAsync(() -> anchorNow(batch), executor);
  }

  @Override
  public CompletionStage<Optional<AnchoredBatch>> anchored(long batchIndex) {
    return CompletableFuture.supplyAsync(
        () ->
            chain
                .findAnchoredBatch(batchIndex)
                .map(b -> new AnchoredBatch(b.root(), b.eventCount())),
        executor);
  }

  @Override
  public Bytes32 root(List<LogEntry> entries) {
    return rootOf(entries);
  }

  /** The ledger's batch root: the standard Merkle tree over (index, entryHash) leaves. */
  public static Bytes32 rootOf(List<LogEntry> entries) {
    List<byte[]> leaves = new ArrayList<>(entries.size());
    for (LogEntry e : entries) {
      leaves.add(EntryHashes.leaf(e.index(), e.chainHash()).toByteArray());
    }
    return Bytes32.of(MerkleTree.of(leaves).root());
  }

  private AnchorResult anchorNow(BatchCandidate batch) {
    try {
      Optional<OnChainBatch> there = chain.findAnchoredBatch(batch.batchIndex());
      if (there.isPresent()) {
        return settled(batch, there.get());
      }
      Bytes32 root = rootOf(batch.entries());
      var receipt =
          chain.anchor(batch.batchIndex(), root, batch.entries().size(), batch.prevRoot());
      log.info(
          "anchored batch {} ({} events) in block {}",
          batch.batchIndex(),
          batch.entries().size(),
          receipt.blockNumber());
      return AnchorResult.anchored(root, batch.entries().size());
    } catch (ContractRevertException revert) {
      if (BatchAnchorer.CONFLICTS.contains(revert.errorName())) {
        // Someone anchored this number between our read and our transaction: theirs or ours?
        Optional<OnChainBatch> there = chain.findAnchoredBatch(batch.batchIndex());
        return there.isPresent()
            ? settled(batch, there.get())
            : AnchorResult.staleHistory(revert.errorName() + ": " + revert.getMessage());
      }
      return AnchorResult.failed("LedgerAnchor refused: " + revert.errorName());
    } catch (RuntimeException e) {
      return AnchorResult.failed(e.getClass().getSimpleName() + ": " + e.getMessage());
    }
  }

  /** The chain already holds this batch number: ours (maybe cut shorter) or another history. */
  private static AnchorResult settled(BatchCandidate batch, OnChainBatch there) {
    if (there.eventCount() > batch.entries().size()) {
      return AnchorResult.failed(
          "batch " + batch.batchIndex() + " is anchored with more events than we hold");
    }
    Bytes32 ours = rootOf(batch.entries().subList(0, (int) there.eventCount()));
    if (ours.equals(there.root()) && there.prevRoot().equals(batch.prevRoot())) {
      return AnchorResult.anchored(there.root(), (int) there.eventCount());
    }
    return AnchorResult.staleHistory("batch " + batch.batchIndex() + " holds another history");
  }
}
