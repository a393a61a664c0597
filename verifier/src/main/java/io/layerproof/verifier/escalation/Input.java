package io.layerproof.verifier.escalation;

import io.layerproof.chain.event.EthAddress;
import io.layerproof.verifier.reexec.ShardVerification;
import io.layerproof.verifier.reexec.Verdict;
import java.util.List;

/**
 * What the caller tells {@link Escalation}: results of the work its effects asked for, and the end
 * of windows (the machine holds no clock, so the caller decides when a window has closed). Inputs
 * that do not fit the state are ignored, never fatal: they may be late, duplicated or hostile.
 */
public sealed interface Input {

  /**
   * The re-execution verdicts of challenge {@code round}, one per challenged sample in challenge
   * order (as {@link io.layerproof.verifier.reexec.ReexecutionVerifier#verify} returns them).
   */
  record Verified(int round, List<Verdict> verdicts) implements Input {
    public Verified {
      verdicts = List.copyOf(verdicts);
    }

    public static Verified of(int round, ShardVerification v) {
      return new Verified(round, v.verdicts());
    }
  }

  /** The provider did not answer challenge {@code round} before its reveal window closed. */
  record RevealWindowClosed(int round) implements Input {}

  /** The other verifiers the caller asked to re-check the accusation. */
  record QuorumFormed(List<EthAddress> members) implements Input {
    public QuorumFormed {
      members = List.copyOf(members);
    }
  }

  /**
   * A quorum member's answer after re-checking the accused samples itself: {@code confirms} when it
   * found the same fraud (and signed the FraudVerdict over this accusation's evidence hash).
   */
  record QuorumVote(EthAddress voter, boolean confirms) implements Input {
    public QuorumVote {
      if (voter == null) {
        throw new IllegalArgumentException("a vote needs a voter");
      }
    }
  }

  /** The time for quorum votes is over. */
  record QuorumWindowClosed() implements Input {}
}
