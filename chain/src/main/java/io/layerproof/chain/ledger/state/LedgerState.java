package io.layerproof.chain.ledger.state;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.layerproof.chain.event.Bytes32;
import io.layerproof.chain.event.CanonicalJson;
import io.layerproof.chain.event.NodeId;
import java.io.IOException;
import java.util.Map;
import java.util.Objects;
import org.pcollections.TreePMap;

/**
 * Everything the ledger's events establish, as an immutable value: the nodes, the jobs with their
 * shards, commitments, verdicts and payouts, and how far the anchored history goes. The maps are
 * persistent (pcollections), so {@link LedgerTransition#apply} shares all but the changed path with
 * the previous state instead of copying it.
 *
 * <p>Its canonical JSON is the snapshot format, and its keccak256 is the {@link #hash()} that nodes
 * compare: equal hashes mean equal states.
 *
 * @param lastIndex index of the last applied event, -1 for none
 * @param inapplicable events that did not fit the state (e.g. a token for an unknown job): they are
 *     in the log and counted here, but change nothing else
 * @param anchoredBatches batches recorded by BatchAnchored events, contiguous from 0
 * @param lastAnchoredRoot root of the last of them, zero for none
 */
public record LedgerState(
    long lastIndex,
    long inapplicable,
    TreePMap<NodeId, NodeInfo> nodes,
    TreePMap<Bytes32, JobState> jobs,
    long anchoredBatches,
    Bytes32 lastAnchoredRoot) {

  public static final LedgerState EMPTY =
      new LedgerState(-1, 0, TreePMap.empty(), TreePMap.empty(), 0, Bytes32.ZERO);

  public LedgerState {
    Objects.requireNonNull(nodes, "nodes");
    Objects.requireNonNull(jobs, "jobs");
    Objects.requireNonNull(lastAnchoredRoot, "lastAnchoredRoot");
  }

  /** Jackson cannot build a TreePMap itself: it reads plain maps and this copies them. */
  @JsonCreator
  static LedgerState fromJson(
      @JsonProperty("lastIndex") long lastIndex,
      @JsonProperty("inapplicable") long inapplicable,
      @JsonProperty("nodes") Map<NodeId, NodeInfo> nodes,
      @JsonProperty("jobs") Map<Bytes32, JobState> jobs,
      @JsonProperty("anchoredBatches") long anchoredBatches,
      @JsonProperty("lastAnchoredRoot") Bytes32 lastAnchoredRoot) {
    return new LedgerState(
        lastIndex,
        inapplicable,
        TreePMap.from(nodes),
        TreePMap.from(jobs),
        anchoredBatches,
        lastAnchoredRoot);
  }

  /** The canonical JSON bytes: the snapshot format and the input of {@link #hash()}. */
  public byte[] toBytes() {
    return CanonicalJson.encode(this);
  }

  public static LedgerState fromBytes(byte[] snapshot) {
    try {
      return CanonicalJson.decode(snapshot, LedgerState.class);
    } catch (IOException e) {
      throw new IllegalArgumentException("not a ledger state snapshot: " + e.getMessage(), e);
    }
  }

  /** keccak256 of the canonical JSON: the state's fingerprint. */
  public Bytes32 hash() {
    return Bytes32.keccak(toBytes());
  }

  LedgerState withNodes(TreePMap<NodeId, NodeInfo> n) {
    return new LedgerState(lastIndex, inapplicable, n, jobs, anchoredBatches, lastAnchoredRoot);
  }

  LedgerState withJobs(TreePMap<Bytes32, JobState> j) {
    return new LedgerState(lastIndex, inapplicable, nodes, j, anchoredBatches, lastAnchoredRoot);
  }

  LedgerState withJob(JobState job) {
    return withJobs(jobs.plus(job.id(), job));
  }

  LedgerState at(long index) {
    return new LedgerState(index, inapplicable, nodes, jobs, anchoredBatches, lastAnchoredRoot);
  }

  LedgerState inapplicableOne() {
    return new LedgerState(
        lastIndex, inapplicable + 1, nodes, jobs, anchoredBatches, lastAnchoredRoot);
  }

  LedgerState anchored(Bytes32 root) {
    return new LedgerState(lastIndex, inapplicable, nodes, jobs, anchoredBatches + 1, root);
  }
}
