package io.layerproof.node.jobs;

import io.layerproof.chain.contracts.LayerproofContracts;
import io.layerproof.chain.event.Bytes32;
import io.layerproof.chain.event.EthAddress;
import io.layerproof.chain.event.EventSigner;
import io.layerproof.chain.event.LedgerDomain;
import io.layerproof.chain.event.NodeKey;
import io.layerproof.inference.model.LlamaModel;
import io.layerproof.node.verification.AuditOutcome;
import io.layerproof.node.verification.AuditRound;
import io.layerproof.node.verification.AuditSeed;
import io.layerproof.node.verification.JobCommitments;
import io.layerproof.node.verification.QuorumMember;
import io.layerproof.node.verification.RevealTransport;
import io.layerproof.verifier.escalation.EscalationPolicy;
import io.layerproof.verifier.reexec.LayerReplayer;
import io.layerproof.verifier.reexec.ReexecutionVerifier;
import io.layerproof.verifier.reveal.RevealLimits;
import io.layerproof.verifier.tolerance.Tolerance;
import io.layerproof.verifier.verdict.VerdictSigner;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The verifier a job is assigned to: once the block after the job's last commitment exists (its
 * hash seeds the sample draw), it audits every shard with an {@link AuditRound} and puts the
 * verdicts, signed with its node key, on the ledger.
 */
public final class VerifierNode implements AutoCloseable {

  private static final Duration POLL = Duration.ofMillis(100);

  private final LayerproofContracts wallet;
  private final NodeKey key;
  private final EventSubmitter events;
  private final LayerReplayer replayer;
  private final AuditRound round;
  private final Duration seedTimeout;

  /**
   * @param wallet this verifier's contract handles (reads; sends resolveFraud on a conviction)
   * @param events where its verdicts go: the sequencer's ledger
   * @param reveals how it reaches the providers
   * @param members other verifiers it may ask to re-check before accusing
   * @param seedTimeout how long to wait for the seed block before giving up on a job
   */
  public VerifierNode(
      LayerproofContracts wallet,
      NodeKey key,
      EventSubmitter events,
      LlamaModel model,
      RevealTransport reveals,
      List<QuorumMember> members,
      Duration seedTimeout) {
    this.wallet = Objects.requireNonNull(wallet, "wallet");
    this.key = Objects.requireNonNull(key, "key");
    this.events = Objects.requireNonNull(events, "events");
    this.seedTimeout = Objects.requireNonNull(seedTimeout, "seedTimeout");
    this.replayer = new LayerReplayer(model);
    this.round =
        new AuditRound(
            wallet,
            new ReexecutionVerifier(replayer, Tolerance.DEFAULT, RevealLimits.DEFAULT),
            verdictSigner(wallet, key, events),
            EscalationPolicy.DEFAULT,
            RevealLimits.DEFAULT,
            reveals,
            members);
  }

  private static VerdictSigner verdictSigner(
      LayerproofContracts wallet, NodeKey key, EventSubmitter events) {
    LedgerDomain domain = LedgerDomain.of(wallet.chainId(), wallet.addresses().market());
    return new VerdictSigner(
        new EventSigner(key, domain, events.nextSeq()), wallet.credentials(), domain);
  }

  public EthAddress address() {
    return EthAddress.fromHex(wallet.credentials().getAddress());
  }

  public NodeKey key() {
    return key;
  }

  /**
   * Waits for the seed, audits every shard of the job and appends each verdict to the ledger.
   *
   * @param openedAt the block that opened the job (where its commitments are searched from)
   */
  public synchronized List<AuditOutcome> audit(JobCommitments commitments, long openedAt) {
    AuditSeed seed = awaitSeed(commitments.jobId(), openedAt);
    List<AuditOutcome> outcomes = round.auditJob(commitments, seed);
    for (AuditOutcome o : outcomes) {
      if (o instanceof AuditOutcome.Passed p) {
        events.submit(p.verificationPassed());
      } else if (o instanceof AuditOutcome.Convicted c) {
        events.submit(c.resolution().fraud().event());
      }
    }
    return outcomes;
  }

  private AuditSeed awaitSeed(Bytes32 jobId, long openedAt) {
    long deadline = System.nanoTime() + seedTimeout.toNanos();
    while (true) {
      try {
        return AuditSeed.afterLastCommitment(wallet, jobId, openedAt);
      } catch (IllegalStateException notYet) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException(
              "no audit seed for job " + jobId + " after " + seedTimeout, notYet);
        }
      }
      try {
        Thread.sleep(POLL.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for the audit seed", e);
      }
    }
  }

  @Override
  public void close() {
    replayer.close();
  }
}
