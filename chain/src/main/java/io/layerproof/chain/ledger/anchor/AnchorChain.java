package io.layerproof.chain.ledger.anchor;

import io.layerproof.chain.contracts.ContractRevertException;
import io.layerproof.chain.event.Bytes32;
import java.util.Optional;

/**
 * What the anchorer needs from LedgerAnchor: a narrow seam, so retries and outcomes are tested
 * against failures a real chain rarely produces on demand. {@link ContractAnchorChain} is the real
 * one.
 */
public interface AnchorChain {

  /**
   * Sends {@code anchor(batchIndex, root, eventCount, prevRoot)} and waits for it to be mined.
   *
   * @throws ContractRevertException when LedgerAnchor refuses it (a final answer); any other
   *     exception is taken as transient (I/O, timeouts, nonce races) and retried
   */
  AnchorReceipt anchor(long batchIndex, Bytes32 root, long eventCount, Bytes32 prevRoot);

  /** {@code LedgerAnchor.rootOf(batchIndex)}: zero while the batch is not anchored. */
  Bytes32 rootOf(long batchIndex);

  /** The transaction that anchored {@code batchIndex}, found from its BatchAnchored log. */
  Optional<AnchorReceipt> findAnchorTransaction(long batchIndex);

  /**
   * What the BatchAnchored log of {@code batchIndex} says (the contract stores only the root; the
   * event count is in the log), empty while the batch is not anchored.
   */
  Optional<OnChainBatch> findAnchoredBatch(long batchIndex);

  /** One BatchAnchored log. */
  record OnChainBatch(long batchIndex, Bytes32 root, long eventCount, Bytes32 prevRoot) {}
}
