package io.layerproof.node.sequencing;

import io.layerproof.chain.event.Bytes32;
import io.layerproof.chain.event.NodeId;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A test double of {@code LedgerAnchor.anchor}'s chaining rule, nothing more: batch k is stored
 * only if no batch k exists yet, batch k-1 exists (for k > 0), and prevRoot equals root k-1 (zero
 * for batch 0). The real contract and its tests live in contracts/.
 */
public final class AnchorContract {
  /** The revert reasons of the real contract that this double can produce. */
  public static final class Revert extends Exception {
    public final String error;

    Revert(String error) {
      super(error);
      this.error = error;
    }
  }

  /** One stored batch and who stored it (msg.sender). */
  public record Stored(Bytes32 root, long eventCount, Bytes32 prevRoot, NodeId sequencer) {}

  private final List<Stored> roots = new ArrayList<>();
  private final List<String> reverts = new ArrayList<>();
  private Duration inclusionDelay = Duration.ZERO;
  private int pending;

  /**
   * Later transactions wait this much longer before they are mined (a congested chain); reads are
   * not slowed. Opens the window in which a sequencer can die with its transaction in flight.
   */
  public synchronized void setInclusionDelay(Duration d) {
    inclusionDelay = d;
  }

  /** Transactions sent and not yet mined. */
  public synchronized int pending() {
    return pending;
  }

  /** A transaction was sent: returns its extra wait. */
  synchronized Duration sent() {
    pending++;
    return inclusionDelay;
  }

  /** A sent transaction was mined (or failed). */
  synchronized void settled() {
    pending--;
  }

  public synchronized void anchor(
      NodeId sender, long batchIndex, Bytes32 root, long eventCount, Bytes32 prevRoot)
      throws Revert {
    if (root.equals(Bytes32.ZERO)) {
      throw revert(sender, "ZeroRoot");
    }
    if (eventCount == 0) {
      throw revert(sender, "EmptyBatch");
    }
    if (batchIndex < roots.size()) {
      throw revert(sender, "BatchAlreadyAnchored(" + batchIndex + ")");
    }
    if (batchIndex > roots.size()) {
      throw revert(sender, "BatchNotNext(" + batchIndex + ")");
    }
    Bytes32 expected = batchIndex == 0 ? Bytes32.ZERO : roots.get((int) batchIndex - 1).root();
    if (!prevRoot.equals(expected)) {
      throw revert(sender, "PrevRootMismatch(" + expected + ", " + prevRoot + ")");
    }
    roots.add(new Stored(root, eventCount, prevRoot, sender));
  }

  public synchronized Stored batch(long batchIndex) {
    return batchIndex < roots.size() ? roots.get((int) batchIndex) : null;
  }

  public synchronized List<Stored> batches() {
    return List.copyOf(roots);
  }

  /** "node: error" for every revert, in order. */
  public synchronized List<String> reverts() {
    return List.copyOf(reverts);
  }

  private Revert revert(NodeId sender, String error) {
    reverts.add(sender + ": " + error);
    return new Revert(error);
  }
}
