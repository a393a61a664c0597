package io.layerproof.chain.ledger.state;

import io.layerproof.chain.event.BatchAnchored;
import io.layerproof.chain.event.FraudDetected;
import io.layerproof.chain.event.JobPosted;
import io.layerproof.chain.event.JobSettled;
import io.layerproof.chain.event.LayerCommitmentsGenerated;
import io.layerproof.chain.event.LedgerEvent;
import io.layerproof.chain.event.NodeId;
import io.layerproof.chain.event.NodeJoined;
import io.layerproof.chain.event.NodeTimedOut;
import io.layerproof.chain.event.ShardAssignment;
import io.layerproof.chain.event.ShardsAssigned;
import io.layerproof.chain.event.TokenStreamed;
import io.layerproof.chain.event.VerificationPassed;
import io.layerproof.chain.ledger.IndexedEvent;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

/**
 * The ledger's state machine: {@link #apply} is a pure function of the state and the next indexed
 * event, so every node that applies the same log gets the same state (and state hash).
 *
 * <p>The log stores what its authors signed; whether a fact fits the state is decided here. An
 * event that does not fit (a token for an unknown job, a verdict from a node that is not the job's
 * verifier, a batch that does not chain) changes nothing but the {@code inapplicable} counter, so
 * that a bad event can neither corrupt the state nor make replicas diverge.
 */
public final class LedgerTransition {

  private LedgerTransition() {}

  /**
   * The state after {@code e}.
   *
   * @throws IllegalArgumentException if {@code e} is not the next index: a caller bug, not input
   */
  public static LedgerState apply(LedgerState state, IndexedEvent e) {
    if (e.index() != state.lastIndex() + 1) {
      throw new IllegalArgumentException(
          "event " + e.index() + " applied after " + state.lastIndex());
    }
    LedgerState base = touch(state.at(e.index()), e.envelope().author(), e.index());
    LedgerState next = transition(base, e.envelope().author(), e.event(), e.index());
    return next == null ? base.inapplicableOne() : next;
  }

  /** Replays {@code events} from {@code state}. */
  public static LedgerState applyAll(LedgerState state, Iterable<IndexedEvent> events) {
    LedgerState s = state;
    for (IndexedEvent e : events) {
      s = apply(s, e);
    }
    return s;
  }

  private static LedgerState touch(LedgerState s, NodeId author, long index) {
    NodeInfo node = s.nodes().get(author);
    return node == null ? s : s.withNodes(s.nodes().plus(author, node.seenAt(index)));
  }

  /** The new state, or null when the event does not fit. */
  private static LedgerState transition(LedgerState s, NodeId author, LedgerEvent event, long i) {
    // Java 17 has no pattern switch; LedgerEvent is sealed, so this chain covers every type.
    if (event instanceof NodeJoined j) {
      return nodeJoined(s, author, j, i);
    } else if (event instanceof NodeTimedOut t) {
      return nodeTimedOut(s, t);
    } else if (event instanceof JobPosted p) {
      return jobPosted(s, p, i);
    } else if (event instanceof ShardsAssigned a) {
      return shardsAssigned(s, a);
    } else if (event instanceof TokenStreamed t) {
      return tokenStreamed(s, author, t);
    } else if (event instanceof LayerCommitmentsGenerated c) {
      return committed(s, author, c);
    } else if (event instanceof VerificationPassed v) {
      return passed(s, author, v);
    } else if (event instanceof FraudDetected f) {
      return fraud(s, author, f);
    } else if (event instanceof JobSettled j) {
      return settled(s, j);
    } else if (event instanceof BatchAnchored b) {
      return batchAnchored(s, b);
    }
    throw new IllegalStateException("no transition for " + event.type());
  }

  private static LedgerState nodeJoined(LedgerState s, NodeId author, NodeJoined j, long i) {
    if (!j.node().equals(author)) {
      return null; // a node announces itself
    }
    return s.withNodes(
        s.nodes()
            .plus(
                j.node(),
                new NodeInfo(j.node(), j.operator(), j.roles(), j.memoryMib(), true, i, i)));
  }

  private static LedgerState nodeTimedOut(LedgerState s, NodeTimedOut t) {
    NodeInfo node = s.nodes().get(t.node());
    if (node == null || !node.active()) {
      return null;
    }
    return s.withNodes(s.nodes().plus(t.node(), node.timedOut()));
  }

  private static LedgerState jobPosted(LedgerState s, JobPosted p, long i) {
    if (s.jobs().containsKey(p.jobId())) {
      return null;
    }
    return s.withJob(
        new JobState(
            p.jobId(),
            p.buyer(),
            p.model(),
            p.maxTokens(),
            p.maxPrice(),
            JobStatus.POSTED,
            i,
            null,
            List.of(),
            0,
            List.of(),
            null));
  }

  private static LedgerState shardsAssigned(LedgerState s, ShardsAssigned a) {
    JobState job = s.jobs().get(a.jobId());
    if (job == null || job.status() != JobStatus.POSTED) {
      return null;
    }
    List<ShardState> shards = new ArrayList<>();
    for (ShardAssignment sa : a.shards()) {
      shards.add(
          new ShardState(
              sa.shardIndex(),
              sa.provider(),
              sa.startLayer(),
              sa.endLayer(),
              null,
              null,
              null,
              0,
              null));
    }
    return s.withJob(job.assigned(shards, a.verifier()));
  }

  private static LedgerState tokenStreamed(LedgerState s, NodeId author, TokenStreamed t) {
    JobState job = s.jobs().get(t.jobId());
    if (job == null
        || job.status() != JobStatus.ASSIGNED
        || t.position() != job.tokensStreamed()
        || BigInteger.valueOf(job.tokensStreamed()).compareTo(job.maxTokens()) >= 0
        || !job.shards().get(job.shards().size() - 1).provider().equals(author)) {
      return null; // only the last stage streams, in order, within maxTokens
    }
    return s.withJob(job.withToken());
  }

  private static LedgerState committed(LedgerState s, NodeId author, LayerCommitmentsGenerated c) {
    JobState job = s.jobs().get(c.jobId());
    if (job == null
        || job.status() != JobStatus.ASSIGNED
        || c.shardIndex() >= job.shards().size()) {
      return null;
    }
    ShardState shard = job.shards().get(c.shardIndex());
    if (shard.committed()
        || !shard.provider().equals(author)
        || shard.startLayer() != c.startLayer()
        || shard.endLayer() != c.endLayer()) {
      return null;
    }
    JobState updated =
        job.withShard(
            shard.withCommitment(c.root(), c.inputBoundary(), c.outputBoundary()), job.status());
    boolean all = updated.shards().stream().allMatch(ShardState::committed);
    return s.withJob(all ? updated.withStatus(JobStatus.COMMITTED) : updated);
  }

  private static LedgerState passed(LedgerState s, NodeId author, VerificationPassed v) {
    ShardState shard = checkableShard(s, author, v.jobId(), v.shardIndex());
    if (shard == null) {
      return null;
    }
    JobState job = s.jobs().get(v.jobId());
    JobState updated =
        job.withShard(shard.withVerdict(Verdict.PASSED, v.samples().size()), job.status());
    boolean all = updated.shards().stream().allMatch(sh -> sh.verdict() == Verdict.PASSED);
    return s.withJob(all ? updated.withStatus(JobStatus.VERIFIED) : updated);
  }

  private static LedgerState fraud(LedgerState s, NodeId author, FraudDetected f) {
    ShardState shard = checkableShard(s, author, f.jobId(), f.shardIndex());
    if (shard == null || !shard.provider().equals(f.accused())) {
      return null;
    }
    JobState job = s.jobs().get(f.jobId());
    return s.withJob(
        job.withShard(shard.withVerdict(Verdict.FRAUD, f.verdicts().size()), JobStatus.FRAUD));
  }

  /** The shard a verdict is about, if the author is the job's verifier and it awaits one. */
  private static ShardState checkableShard(LedgerState s, NodeId author, Object jobId, int index) {
    JobState job = s.jobs().get(jobId);
    if (job == null
        || job.status() != JobStatus.COMMITTED
        || !author.equals(job.verifier())
        || index >= job.shards().size()) {
      return null;
    }
    ShardState shard = job.shards().get(index);
    return shard.verdict() == null ? shard : null;
  }

  private static LedgerState settled(LedgerState s, JobSettled j) {
    JobState job = s.jobs().get(j.jobId());
    if (job == null || (job.status() != JobStatus.VERIFIED && job.status() != JobStatus.FRAUD)) {
      return null;
    }
    if (j.paid().add(j.refund()).compareTo(job.maxPrice()) > 0) {
      return null; // cannot pay out more than the buyer authorised
    }
    return s.withJob(job.settled(j.payouts(), j.refund()));
  }

  private static LedgerState batchAnchored(LedgerState s, BatchAnchored b) {
    if (b.batchIndex() != s.anchoredBatches() || !b.prevRoot().equals(s.lastAnchoredRoot())) {
      return null;
    }
    return s.anchored(b.root());
  }
}
