package io.layerproof.verifier.escalation;

import io.layerproof.chain.event.EthAddress;
import io.layerproof.verifier.reexec.Verdict;
import io.layerproof.verifier.sampling.Sample;
import java.util.List;

/**
 * The immutable state of one shard's check; only {@link Escalation} makes new ones.
 *
 * @param policy the numbers in force
 * @param self this verifier's wallet address (it cannot sit in its own quorum)
 * @param accused the provider's wallet address (JobMarket refuses its signature on its own fraud)
 * @param draw the escalated draw for this shard; its first {@code initialSamples} are the first
 *     round
 * @param phase where the check stands
 * @param round the current (or last) challenge round: 1 initial, 2 escalated
 * @param challenged the samples of the current round's challenge
 * @param verdicts every verdict received, rounds in order
 * @param accusation why this verifier accuses, from {@link Phase#QUORUM} on; null before
 * @param members the quorum, once formed; empty before
 * @param votes the counted votes, in arrival order
 * @param passKind why the shard passed, in {@link Phase#PASSED}; null otherwise
 */
public record EscalationState(
    EscalationPolicy policy,
    EthAddress self,
    EthAddress accused,
    List<Sample> draw,
    Phase phase,
    int round,
    List<Sample> challenged,
    List<Verdict> verdicts,
    Accusation accusation,
    List<EthAddress> members,
    List<Vote> votes,
    Effect.PassKind passKind) {

  /** A counted vote of a quorum member. */
  public record Vote(EthAddress voter, boolean confirms) {}

  public EscalationState {
    draw = List.copyOf(draw);
    challenged = List.copyOf(challenged);
    verdicts = List.copyOf(verdicts);
    members = List.copyOf(members);
    votes = List.copyOf(votes);
  }

  /** The first round's samples: the first {@code initialSamples} of the draw. */
  public List<Sample> initialSamples() {
    return draw.subList(0, Math.min(policy.initialSamples(), draw.size()));
  }

  public long confirmations() {
    return votes.stream().filter(Vote::confirms).count();
  }

  public long rejections() {
    return votes.size() - confirmations();
  }

  public boolean hasVoted(EthAddress voter) {
    return votes.stream().anyMatch(v -> v.voter().equals(voter));
  }

  EscalationState challenge(Phase next, int nextRound, List<Sample> samples) {
    return new EscalationState(
        policy, self, accused, draw, next, nextRound, samples, verdicts, null, members, votes,
        null);
  }

  EscalationState withVerdicts(List<Verdict> all) {
    return new EscalationState(
        policy,
        self,
        accused,
        draw,
        phase,
        round,
        challenged,
        all,
        accusation,
        members,
        votes,
        passKind);
  }

  EscalationState accuse(Accusation a) {
    return new EscalationState(
        policy,
        self,
        accused,
        draw,
        Phase.QUORUM,
        round,
        challenged,
        verdicts,
        a,
        members,
        votes,
        null);
  }

  EscalationState withMembers(List<EthAddress> quorum) {
    return new EscalationState(
        policy,
        self,
        accused,
        draw,
        phase,
        round,
        challenged,
        verdicts,
        accusation,
        quorum,
        votes,
        passKind);
  }

  EscalationState withVotes(List<Vote> counted) {
    return new EscalationState(
        policy,
        self,
        accused,
        draw,
        phase,
        round,
        challenged,
        verdicts,
        accusation,
        members,
        counted,
        passKind);
  }

  EscalationState passed(Effect.PassKind kind) {
    return new EscalationState(
        policy,
        self,
        accused,
        draw,
        Phase.PASSED,
        round,
        challenged,
        verdicts,
        accusation,
        members,
        votes,
        kind);
  }

  EscalationState fraud() {
    return new EscalationState(
        policy,
        self,
        accused,
        draw,
        Phase.FRAUD,
        round,
        challenged,
        verdicts,
        accusation,
        members,
        votes,
        null);
  }
}
