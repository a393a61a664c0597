package io.layerproof.verifier.escalation;

import io.layerproof.chain.event.EthAddress;
import io.layerproof.verifier.reexec.Verdict;
import io.layerproof.verifier.sampling.Sample;
import java.util.List;

/** What {@link Escalation} asks its caller to do; the machine itself does no I/O. */
public sealed interface Effect {

  /**
   * Ask the provider to reveal {@code samples} (a {@link
   * io.layerproof.verifier.reveal.RevealRequest}), re-execute them, and answer with {@link
   * Input.Verified} for this round, or {@link Input.RevealWindowClosed} if no answer came in time.
   */
  record Challenge(int round, List<Sample> samples) implements Effect {
    public Challenge {
      samples = List.copyOf(samples);
    }
  }

  /**
   * Pick {@code size} other active verifiers (never this one, never the accused), hand them the
   * evidence ({@link io.layerproof.verifier.verdict.FraudEvidence}) and tell the machine who they
   * are ({@link Input.QuorumFormed}); each re-checks the accused samples on its own and votes.
   */
  record RequestQuorum(Accusation accusation, int size, int threshold) implements Effect {}

  /**
   * The shard passed: publish {@code VerificationPassed} naming every sample checked.
   *
   * @param verdicts every verdict of every round, in order
   */
  record Pass(PassKind kind, List<Verdict> verdicts) implements Effect {
    public Pass {
      verdicts = List.copyOf(verdicts);
    }
  }

  /** Why a shard passed. */
  enum PassKind {
    /** Every initial sample passed. */
    CLEAN,
    /** Fewer than {@code missesToAccuse} misses over the whole escalated draw. */
    ISOLATED_MISSES,
    /** This verifier accused, and the quorum did not confirm it. */
    DISMISSED
  }

  /**
   * The quorum confirmed: publish {@code FraudDetected} and submit {@code JobMarket.resolveFraud}
   * with this verifier's FraudVerdict signature and the confirmers'.
   *
   * @param confirmers the quorum members that confirmed, in the order their votes came
   * @param verdicts every verdict of every round, in order (what the evidence hash commits to)
   */
  record Convict(Accusation accusation, List<EthAddress> confirmers, List<Verdict> verdicts)
      implements Effect {
    public Convict {
      confirmers = List.copyOf(confirmers);
      verdicts = List.copyOf(verdicts);
    }
  }

  /** The input did not fit the state and changed nothing; the reason is for logs. */
  record Ignored(Input input, String reason) implements Effect {}
}
