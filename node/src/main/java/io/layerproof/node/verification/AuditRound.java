package io.layerproof.node.verification;

import io.layerproof.chain.contracts.LayerproofContracts;
import io.layerproof.chain.event.EthAddress;
import io.layerproof.chain.event.SignedEvent;
import io.layerproof.verifier.escalation.Effect;
import io.layerproof.verifier.escalation.Escalation;
import io.layerproof.verifier.escalation.EscalationPolicy;
import io.layerproof.verifier.escalation.Input;
import io.layerproof.verifier.escalation.Phase;
import io.layerproof.verifier.escalation.Transition;
import io.layerproof.verifier.reexec.CommittedShard;
import io.layerproof.verifier.reexec.ReexecutionVerifier;
import io.layerproof.verifier.reveal.RevealLimits;
import io.layerproof.verifier.reveal.RevealResponse;
import io.layerproof.verifier.verdict.FraudEvidence;
import io.layerproof.verifier.verdict.VerdictSigner;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A verifier's audit of a job's committed shards: for each shard it runs {@link Escalation} to its
 * end and performs what each effect asks.
 *
 * <ul>
 *   <li>{@code Challenge}: the provider is challenged through the {@link RevealTransport} (encoded
 *       request out, encoded response back, decoded within this verifier's limits) and the reveals
 *       re-executed; no answer is a closed reveal window.
 *   <li>{@code RequestQuorum}: the evidence (every verdict, the failing reveals) is handed to the
 *       first {@code n} candidates that are active verifiers on chain, neither this verifier nor
 *       the accused; each re-checks on its own ({@link QuorumMember#recheck}) and its vote is fed
 *       back until the machine decides. Votes left when the members are exhausted close the window.
 *   <li>{@code Convict}: {@link FraudResolver} sends {@code resolveFraud} with this verifier's and
 *       the confirmers' signatures.
 *   <li>{@code Pass}: a signed {@code VerificationPassed}.
 * </ul>
 *
 * The samples come from a seed fixed after the last commitment ({@link AuditSeed}); the shard's
 * root is read from the chain and must be the ledger's. Nothing here decides on its own: every
 * verdict is a re-execution (this verifier's or a member's), and only the machine's {@code Convict}
 * reaches {@code resolveFraud}. Not thread-safe: one audit at a time per instance.
 */
public final class AuditRound {

  private final LayerproofContracts chain;
  private final ReexecutionVerifier verifier;
  private final VerdictSigner signer;
  private final EscalationPolicy policy;
  private final RevealLimits limits;
  private final RevealTransport transport;
  private final List<QuorumMember> candidates;
  private final FraudResolver resolver;

  /**
   * @param chain this verifier's wallet on chain (reads, and sends resolveFraud)
   * @param verifier its re-execution
   * @param signer its node key (ledger events) and the same wallet (FraudVerdict)
   * @param transport its way to the providers
   * @param candidates other verifiers to ask, in order of preference
   */
  public AuditRound(
      LayerproofContracts chain,
      ReexecutionVerifier verifier,
      VerdictSigner signer,
      EscalationPolicy policy,
      RevealLimits limits,
      RevealTransport transport,
      List<QuorumMember> candidates) {
    this.chain = chain;
    this.verifier = verifier;
    this.signer = signer;
    this.policy = policy;
    this.limits = limits;
    this.transport = transport;
    this.candidates = List.copyOf(candidates);
    this.resolver = new FraudResolver(chain, signer);
  }

  /**
   * Audits every shard in order and stops at the first conviction: resolveFraud closes the whole
   * job, so later shards can no longer be proven fraudulent (nor paid).
   */
  public List<AuditOutcome> auditJob(JobCommitments commitments, AuditSeed seed) {
    List<AuditOutcome> out = new ArrayList<>();
    for (int i = 0; i < commitments.shards().size(); i++) {
      AuditOutcome o = auditShard(commitments, i, seed);
      out.add(o);
      if (o instanceof AuditOutcome.Convicted) {
        break;
      }
    }
    return out;
  }

  /** Audits shard {@code shardIndex} to the end of its escalation. */
  public AuditOutcome auditShard(JobCommitments commitments, int shardIndex, AuditSeed seed) {
    OnChainShard onChain = OnChainShard.read(chain, commitments, shardIndex);
    CommittedShard shard = onChain.committed();
    byte[] previous = commitments.previousOutputBoundary(shardIndex);
    EthAddress self = signer.address();

    Transition t =
        Escalation.start(
            policy,
            self,
            onChain.provider(),
            seed.seed(),
            shard.jobId(),
            shard.positions(),
            shard.startLayer(),
            shard.endLayer());
    List<Effect> trail = new ArrayList<>(t.effects());
    Deque<Effect> todo = new ArrayDeque<>(t.effects());
    List<RevealResponse> responses = new ArrayList<>();
    List<QuorumMember.Vote> votes = new ArrayList<>();
    Map<EthAddress, byte[]> confirmations = new HashMap<>();
    FraudEvidence evidence = null;

    while (!todo.isEmpty()) {
      Effect e = todo.poll();
      List<Input> inputs = new ArrayList<>();
      if (e instanceof Effect.Challenge c) {
        WireChallenge w =
            WireChallenge.run(
                verifier, transport, limits, onChain.provider(), shard, previous, c.samples());
        w.response().ifPresent(responses::add);
        inputs.add(
            w.answered()
                ? Input.Verified.of(c.round(), w.verification())
                : new Input.RevealWindowClosed(c.round()));
      } else if (e instanceof Effect.RequestQuorum q) {
        evidence =
            FraudEvidence.of(
                commitments.jobId(),
                shardIndex,
                onChain.providerNode(),
                t.state().verdicts(),
                responses);
        List<QuorumMember> members = members(q.size(), self, onChain.provider());
        t =
            apply(
                t,
                new Input.QuorumFormed(members.stream().map(QuorumMember::address).toList()),
                trail,
                todo);
        for (QuorumMember m : members) {
          if (t.state().phase() != Phase.QUORUM) {
            break; // decided: the remaining members need not re-execute anything
          }
          QuorumMember.Vote v = m.recheck(commitments, shardIndex, q.accusation(), evidence);
          votes.add(v);
          if (v.confirms()) {
            confirmations.put(v.member(), v.signature());
          }
          t = apply(t, new Input.QuorumVote(v.member(), v.confirms()), trail, todo);
        }
        if (t.state().phase() == Phase.QUORUM) {
          inputs.add(new Input.QuorumWindowClosed());
        }
      } else if (e instanceof Effect.Convict convict) {
        FraudResolver.Resolution r =
            resolver.resolve(commitments.jobId(), shardIndex, convict, evidence, confirmations);
        return new AuditOutcome.Convicted(shardIndex, convict, evidence, r, trail, votes);
      } else if (e instanceof Effect.Pass pass) {
        SignedEvent event = signer.passed(commitments.jobId(), shardIndex, pass);
        return new AuditOutcome.Passed(shardIndex, pass, event, trail, votes);
      }
      for (Input in : inputs) {
        t = apply(t, in, trail, todo);
      }
    }
    throw new IllegalStateException(
        "the escalation of shard " + shardIndex + " stopped in " + t.state().phase());
  }

  private static Transition apply(
      Transition t, Input input, List<Effect> trail, Deque<Effect> todo) {
    Transition next = Escalation.apply(t.state(), input);
    trail.addAll(next.effects());
    todo.addAll(next.effects());
    return next;
  }

  /** The first {@code n} candidates that JobMarket would count: active verifiers, not involved. */
  private List<QuorumMember> members(int n, EthAddress self, EthAddress accused) {
    List<QuorumMember> out = new ArrayList<>();
    for (QuorumMember m : candidates) {
      if (out.size() == n) {
        break;
      }
      EthAddress a = m.address();
      if (!a.equals(self)
          && !a.equals(accused)
          && out.stream().noneMatch(o -> o.address().equals(a))
          && OnChainShard.activeVerifier(chain, a)) {
        out.add(m);
      }
    }
    if (out.size() < n) {
      throw new IllegalStateException(
          "a quorum needs " + n + " other active verifiers, " + out.size() + " are available");
    }
    return out;
  }
}
