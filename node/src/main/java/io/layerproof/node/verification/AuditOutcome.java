package io.layerproof.node.verification;

import io.layerproof.chain.event.SignedEvent;
import io.layerproof.verifier.escalation.Effect;
import io.layerproof.verifier.verdict.FraudEvidence;
import java.util.List;

/** How the audit of one shard ended, with its trail: every effect and every quorum vote. */
public sealed interface AuditOutcome {

  int shardIndex();

  /** Every effect the escalation produced, in order (challenges, quorum, the end). */
  List<Effect> effects();

  /** The quorum's votes, in the order counted; empty when nobody was accused. */
  List<QuorumMember.Vote> votes();

  /**
   * The shard passed (clean, isolated misses, or a dismissed accusation).
   *
   * @param verificationPassed the signed {@code VerificationPassed} for the ledger
   */
  record Passed(
      int shardIndex,
      Effect.Pass pass,
      SignedEvent verificationPassed,
      List<Effect> effects,
      List<QuorumMember.Vote> votes)
      implements AuditOutcome {
    public Passed {
      effects = List.copyOf(effects);
      votes = List.copyOf(votes);
    }
  }

  /**
   * The quorum confirmed and JobMarket proved the fraud.
   *
   * @param evidence what the accuser and the confirmers vouched for
   * @param resolution the signed FraudDetected, the signatures sent, the receipt and FraudProven
   */
  record Convicted(
      int shardIndex,
      Effect.Convict convict,
      FraudEvidence evidence,
      FraudResolver.Resolution resolution,
      List<Effect> effects,
      List<QuorumMember.Vote> votes)
      implements AuditOutcome {
    public Convicted {
      effects = List.copyOf(effects);
      votes = List.copyOf(votes);
    }
  }
}
