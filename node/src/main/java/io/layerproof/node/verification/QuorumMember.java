package io.layerproof.node.verification;

import io.layerproof.chain.contracts.LayerproofContracts;
import io.layerproof.chain.event.EthAddress;
import io.layerproof.verifier.escalation.Accusation;
import io.layerproof.verifier.escalation.EscalationPolicy;
import io.layerproof.verifier.reexec.ReexecutionVerifier;
import io.layerproof.verifier.reexec.ShardVerification;
import io.layerproof.verifier.reexec.Verdict;
import io.layerproof.verifier.reveal.RevealLimits;
import io.layerproof.verifier.sampling.Sample;
import io.layerproof.verifier.verdict.FraudEvidence;
import io.layerproof.verifier.verdict.VerdictSigner;
import java.util.HashSet;
import java.util.Set;

/**
 * Another verifier asked to re-check an accusation. It trusts neither the accuser nor the evidence
 * it was handed: it reads the shard's root from the chain itself, challenges the provider itself on
 * the accused samples and re-executes them on its own replayer, and signs the EIP-712 {@code
 * FraudVerdict} over the evidence hash (which it recomputes) only when its own re-check fails by
 * the same bar the accuser had to clear. So no conviction rests on one verifier's word.
 */
public final class QuorumMember {

  private final LayerproofContracts chain;
  private final ReexecutionVerifier verifier;
  private final VerdictSigner signer;
  private final RevealTransport transport;
  private final RevealLimits limits;
  private final int missesToAccuse;

  /**
   * @param chain this member's own view of the chain (its wallet; reads only)
   * @param verifier its own re-execution (its own replayer and weights)
   * @param signer its own keys: its wallet signs the FraudVerdict
   * @param transport its own way to the providers: it asks them itself
   * @param policy the escalation policy the member holds accusations to
   */
  public QuorumMember(
      LayerproofContracts chain,
      ReexecutionVerifier verifier,
      VerdictSigner signer,
      RevealTransport transport,
      RevealLimits limits,
      EscalationPolicy policy) {
    this.chain = chain;
    this.verifier = verifier;
    this.signer = signer;
    this.transport = transport;
    this.limits = limits;
    this.missesToAccuse = policy.missesToAccuse();
  }

  /** The member's wallet: the address JobMarket recovers from its signature. */
  public EthAddress address() {
    return signer.address();
  }

  /**
   * A member's answer.
   *
   * @param recheck the member's own verdicts on the accused samples; null when it refused before
   *     challenging (the evidence or the chain did not match the accusation)
   * @param signature its 65-byte FraudVerdict signature over the evidence hash; null unless it
   *     confirms
   */
  public record Vote(
      EthAddress member,
      boolean confirms,
      String reason,
      ShardVerification recheck,
      byte[] signature) {

    public Vote {
      if (confirms != (signature != null)) {
        throw new IllegalArgumentException("a vote confirms exactly when it carries a signature");
      }
      signature = signature == null ? null : signature.clone();
    }

    @Override
    public byte[] signature() {
      return signature == null ? null : signature.clone();
    }
  }

  /**
   * Re-checks {@code accusation} of shard {@code shardIndex}.
   *
   * @param commitments the job's commitments as this member's ledger holds them
   */
  public Vote recheck(
      JobCommitments commitments, int shardIndex, Accusation accusation, FraudEvidence evidence) {
    if (!evidence.jobId().equals(commitments.jobId()) || evidence.shardIndex() != shardIndex) {
      return reject("the evidence is about another job or shard", null);
    }
    OnChainShard shard;
    try {
      shard = OnChainShard.read(chain, commitments, shardIndex);
    } catch (IllegalStateException e) {
      return reject("the chain does not back the accusation: " + e.getMessage(), null);
    }
    if (!evidence.accused().equals(shard.providerNode())) {
      return reject("the evidence accuses another node than the shard's provider", null);
    }
    Set<Sample> failing = new HashSet<>();
    for (Verdict v : evidence.verdicts()) {
      if (!v.passed()) {
        failing.add(v.sample());
      }
    }
    if (!failing.containsAll(accusation.samples())) {
      return reject("the accused samples are not the evidence's failing samples", null);
    }
    ShardVerification mine =
        WireChallenge.run(
                verifier,
                transport,
                limits,
                shard.provider(),
                shard.committed(),
                commitments.previousOutputBoundary(shardIndex),
                accusation.samples())
            .verification();
    int failures = mine.failures().size();
    // A mismatch accusation needs as many misses as the accuser needed; a broken proof or a
    // refusal is not statistical, one failing sample confirms it.
    int bar =
        accusation.ground() == Accusation.Ground.MISMATCH
            ? Math.min(missesToAccuse, accusation.samples().size())
            : 1;
    if (failures < bar) {
      return reject(failures + " of the accused samples failed my own re-check", mine);
    }
    byte[] sig = signer.signFraudVerdict(commitments.jobId(), shardIndex, evidence.hash());
    return new Vote(
        address(),
        true,
        failures + " of " + accusation.samples().size() + " accused samples failed my re-check",
        mine,
        sig);
  }

  private Vote reject(String reason, ShardVerification recheck) {
    return new Vote(address(), false, reason, recheck, null);
  }
}
