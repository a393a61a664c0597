package io.layerproof.verifier.escalation;

import io.layerproof.chain.event.EthAddress;
import io.layerproof.verifier.escalation.Accusation.Ground;
import io.layerproof.verifier.escalation.EscalationState.Vote;
import io.layerproof.verifier.reexec.Verdict;
import io.layerproof.verifier.reexec.Verdict.Status;
import io.layerproof.verifier.sampling.Sample;
import io.layerproof.verifier.sampling.SampleDrawer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * How one verifier's check of one (job, shard) escalates, as a pure state machine: {@link
 * #apply}{@code (state, input)} returns the next state and the effects the caller must carry out
 * (challenge the provider, gather a quorum, publish a verdict). No clock, no I/O, no randomness:
 * the same inputs in the same order always give the same states and effects, so a verifier's
 * decisions can be replayed and audited.
 *
 * <p>The rule it implements: <b>a tolerance miss never slashes by itself, and no single verifier
 * can slash.</b> A miss leads to more samples; enough misses, a refused reveal or a broken proof
 * lead to an accusation that a quorum of other verifiers must confirm ({@code k} of {@code n})
 * before the shard is fraudulent.
 *
 * <h2>Transitions</h2>
 *
 * <pre>
 * start                      -> CHECKING (round 1)     Challenge(1, first m samples of the draw)
 *
 * CHECKING / EXTRA_CHECKING, on Verified(r, verdicts of exactly the challenged samples)
 *                            or RevealWindowClosed(r) (every challenged sample MISSING_REVEAL):
 *   1. a BAD_PROOF or BOUNDARY_MISMATCH in round r
 *                            -> QUORUM, ground PROOF    RequestQuorum
 *   2. else a MISSING_REVEAL in round r
 *                            -> QUORUM, ground REFUSAL  RequestQuorum
 *   3. else misses = MISMATCH verdicts of all rounds; misses >= missesToAccuse
 *                            -> QUORUM, ground MISMATCH RequestQuorum (every mismatched sample)
 *   4. else no miss          -> PASSED (CLEAN)          Pass
 *   5. else round 1 and the escalated draw has more samples
 *                            -> EXTRA_CHECKING (round 2) Challenge(2, samples m..M-1)
 *   6. else                  -> PASSED (ISOLATED_MISSES) Pass
 *
 * QUORUM:
 *   QuorumFormed(members): first time, exactly n distinct members, neither this verifier nor the
 *                          accused  -> members recorded
 *   QuorumVote(v, c): v a member that has not voted  -> vote counted, then
 *       confirmations >= k           -> FRAUD               Convict
 *       rejections > n - k           -> PASSED (DISMISSED)  Pass   (k can no longer be reached)
 *   QuorumWindowClosed               -> PASSED (DISMISSED)  Pass   (fewer than k confirmed)
 *
 * PASSED, FRAUD: final.
 * Any input not listed for the phase (a stale round, verdicts for other samples, a vote from a
 * non-member or a second vote, a quorum with this verifier or the accused in it, ...) changes
 * nothing and yields Ignored(input, reason).
 * </pre>
 *
 * <p>Why these rules:
 *
 * <ul>
 *   <li>Honest FP16 work stays below the tolerance in calibration, but a single miss may still come
 *       from the verifier's own hardware or an unforeseen numeric path; a cheat that changes a
 *       fraction {@code f} of the cells keeps missing on the extra {@code M - m} samples (with
 *       probability {@code 1 - (1 - f)^(M-m)}), an accident does not. Draws are prefix-stable
 *       ({@link SampleDrawer}), so the extra samples extend the first ones and the provider could
 *       not have known them.
 *   <li>A bad proof or a boundary mismatch needs no statistics: the revealed bytes do not hash to
 *       the committed leaf, or the roots on the ledger disagree. It skips the extra samples, but
 *       still goes to the quorum, which checks the same evidence.
 *   <li>A refused reveal is treated as cheating (otherwise refusing would be the safe cheat), but
 *       the quorum members challenge the provider themselves, so a verifier cannot slash a provider
 *       by claiming it never answered.
 *   <li>The quorum re-checks the failing samples on its own machines; JobMarket then also requires
 *       its quorum of FraudVerdict signatures on chain.
 * </ul>
 */
public final class Escalation {

  private Escalation() {}

  /**
   * Starts the check of a shard.
   *
   * @param draw the shard's escalated draw: at most {@code escalatedSamples} distinct samples, of
   *     which the first {@code initialSamples} are challenged first
   */
  public static Transition start(
      EscalationPolicy policy, EthAddress self, EthAddress accused, List<Sample> draw) {
    if (self == null || accused == null || self.equals(accused)) {
      throw new IllegalArgumentException("a verifier cannot check its own shard");
    }
    if (draw.isEmpty() || draw.size() > policy.escalatedSamples()) {
      throw new IllegalArgumentException(
          "the draw needs 1.." + policy.escalatedSamples() + " samples, got " + draw.size());
    }
    if (new HashSet<>(draw).size() != draw.size()) {
      throw new IllegalArgumentException("the draw repeats a sample");
    }
    EscalationState s =
        new EscalationState(
            policy,
            self,
            accused,
            draw,
            Phase.CHECKING,
            1,
            List.of(),
            List.of(),
            null,
            List.of(),
            List.of(),
            null);
    List<Sample> first = s.initialSamples();
    return new Transition(
        s.challenge(Phase.CHECKING, 1, first), List.of(new Effect.Challenge(1, first)));
  }

  /**
   * Starts the check of shard {@code [startLayer, endLayer)} with the policy's escalated draw from
   * {@code seed} (fixed after the commitment; see {@link SampleDrawer}).
   */
  public static Transition start(
      EscalationPolicy policy,
      EthAddress self,
      EthAddress accused,
      byte[] seed,
      String jobId,
      int positions,
      int startLayer,
      int endLayer) {
    return start(
        policy,
        self,
        accused,
        SampleDrawer.draw(seed, jobId, positions, startLayer, endLayer, policy.escalatedSamples()));
  }

  /** The next state and effects; see the class comment for every transition. */
  public static Transition apply(EscalationState state, Input input) {
    if (input == null) {
      throw new IllegalArgumentException("no input");
    }
    if (state.phase().isFinal()) {
      return ignore(state, input, "the check is over (" + state.phase() + ")");
    }
    if (input instanceof Input.Verified v) {
      return verified(state, input, v.round(), v.verdicts());
    }
    if (input instanceof Input.RevealWindowClosed c) {
      List<Verdict> missing = new ArrayList<>();
      for (Sample s : state.challenged()) {
        missing.add(
            new Verdict(
                s, Status.MISSING_REVEAL, null, "no reveal before the challenge window closed"));
      }
      return verified(state, input, c.round(), missing);
    }
    if (input instanceof Input.QuorumFormed f) {
      return quorumFormed(state, f);
    }
    if (input instanceof Input.QuorumVote v) {
      return vote(state, v);
    }
    if (input instanceof Input.QuorumWindowClosed) {
      if (state.phase() != Phase.QUORUM) {
        return ignore(state, input, "no quorum is voting");
      }
      return pass(state, Effect.PassKind.DISMISSED);
    }
    throw new IllegalStateException("unknown input " + input);
  }

  private static Transition verified(
      EscalationState s, Input input, int round, List<Verdict> roundVerdicts) {
    if (s.phase() != Phase.CHECKING && s.phase() != Phase.EXTRA_CHECKING) {
      return ignore(s, input, "no challenge is open");
    }
    if (round != s.round()) {
      return ignore(s, input, "round " + round + " is not the open round " + s.round());
    }
    List<Sample> answered = roundVerdicts.stream().map(Verdict::sample).toList();
    if (!answered.equals(s.challenged())) {
      return ignore(s, input, "the verdicts are not for the challenged samples");
    }
    List<Verdict> all = new ArrayList<>(s.verdicts());
    all.addAll(roundVerdicts);
    EscalationState next = s.withVerdicts(all);

    List<Sample> broken =
        failing(roundVerdicts, Set.of(Status.BAD_PROOF, Status.BOUNDARY_MISMATCH));
    if (!broken.isEmpty()) {
      return accuse(next, new Accusation(Ground.PROOF, round, broken));
    }
    List<Sample> missing = failing(roundVerdicts, Set.of(Status.MISSING_REVEAL));
    if (!missing.isEmpty()) {
      return accuse(next, new Accusation(Ground.REFUSAL, round, missing));
    }
    List<Sample> misses = failing(all, Set.of(Status.MISMATCH));
    if (misses.size() >= s.policy().missesToAccuse()) {
      return accuse(next, new Accusation(Ground.MISMATCH, round, misses));
    }
    if (misses.isEmpty()) {
      return pass(next, Effect.PassKind.CLEAN);
    }
    int m = s.initialSamples().size();
    if (round == 1 && s.draw().size() > m) {
      List<Sample> extra = s.draw().subList(m, s.draw().size());
      return new Transition(
          next.challenge(Phase.EXTRA_CHECKING, 2, extra), List.of(new Effect.Challenge(2, extra)));
    }
    return pass(next, Effect.PassKind.ISOLATED_MISSES);
  }

  private static Transition quorumFormed(EscalationState s, Input.QuorumFormed f) {
    if (s.phase() != Phase.QUORUM) {
      return ignore(s, f, "no accusation awaits a quorum");
    }
    if (!s.members().isEmpty()) {
      return ignore(s, f, "the quorum is already formed");
    }
    List<EthAddress> members = f.members();
    int n = s.policy().quorumSize();
    if (members.size() != n || new HashSet<>(members).size() != n) {
      return ignore(s, f, "a quorum is " + n + " distinct verifiers");
    }
    if (members.contains(s.self())) {
      return ignore(s, f, "the accuser cannot confirm its own accusation");
    }
    if (members.contains(s.accused())) {
      return ignore(s, f, "the accused cannot sit in the quorum");
    }
    return new Transition(s.withMembers(members), List.of());
  }

  private static Transition vote(EscalationState s, Input.QuorumVote v) {
    if (s.phase() != Phase.QUORUM) {
      return ignore(s, v, "no quorum is voting");
    }
    if (!s.members().contains(v.voter())) {
      return ignore(s, v, v.voter() + " is not in the quorum");
    }
    if (s.hasVoted(v.voter())) {
      return ignore(s, v, v.voter() + " has already voted");
    }
    List<Vote> votes = new ArrayList<>(s.votes());
    votes.add(new Vote(v.voter(), v.confirms()));
    EscalationState next = s.withVotes(votes);
    EscalationPolicy p = s.policy();
    if (next.confirmations() >= p.quorumThreshold()) {
      List<EthAddress> confirmers = votes.stream().filter(Vote::confirms).map(Vote::voter).toList();
      return new Transition(
          next.fraud(),
          List.of(new Effect.Convict(next.accusation(), confirmers, next.verdicts())));
    }
    if (next.rejections() > p.quorumSize() - p.quorumThreshold()) {
      return pass(next, Effect.PassKind.DISMISSED);
    }
    return new Transition(next, List.of());
  }

  private static Transition accuse(EscalationState s, Accusation a) {
    EscalationPolicy p = s.policy();
    return new Transition(
        s.accuse(a), List.of(new Effect.RequestQuorum(a, p.quorumSize(), p.quorumThreshold())));
  }

  private static Transition pass(EscalationState s, Effect.PassKind kind) {
    return new Transition(s.passed(kind), List.of(new Effect.Pass(kind, s.verdicts())));
  }

  private static Transition ignore(EscalationState s, Input input, String reason) {
    return new Transition(s, List.of(new Effect.Ignored(input, reason)));
  }

  private static List<Sample> failing(List<Verdict> verdicts, Set<Status> statuses) {
    return verdicts.stream()
        .filter(v -> statuses.contains(v.status()))
        .map(Verdict::sample)
        .toList();
  }
}
