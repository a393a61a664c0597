package io.layerproof.node.election;

import io.layerproof.chain.event.NodeId;
import io.layerproof.node.election.ElectionEffect.Broadcast;
import io.layerproof.node.election.ElectionEffect.Elected;
import io.layerproof.node.election.ElectionEffect.Ignored;
import io.layerproof.node.election.ElectionEffect.Persist;
import io.layerproof.node.election.ElectionEffect.StartCampaignTimer;
import io.layerproof.node.election.ElectionEffect.StartDebounceTimer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * EXO's election as pure transitions: each input and the current {@link ElectionState} give a new
 * state and the {@link ElectionEffect}s to carry out. No clock, no I/O, no threads; the driver
 * ({@link ElectionService}) feeds timers and messages in, so tests can step it by hand.
 *
 * <p>Where it departs from EXO (each is a fault there):
 *
 * <ul>
 *   <li>A start is not an instant self-election at clock 0: the persisted clock is bumped and a
 *       full campaign runs, so a restarted node never briefly believes itself sequencer and never
 *       reuses a clock (hence never a session id).
 *   <li>Candidates are collected only while a campaign runs; a late message at the current clock is
 *       dropped, unless it beats the candidate this node elected, which proves the campaign missed
 *       it: then the node starts a new round rather than keep a split decision.
 *   <li>{@link #stepDown}: a sequencer whose batch the chain refused gives up its seniority and
 *       campaigns as a non-candidate until its history has caught up with the chain.
 * </ul>
 */
public final class ElectionMachine {
  private final ElectionConfig config;

  public ElectionMachine(ElectionConfig config) {
    this.config = config;
  }

  /** The outcome of one transition. */
  public record Step(ElectionState state, List<ElectionEffect> effects) {
    public Step {
      effects = List.copyOf(effects);
    }
  }

  /** A (re)start: one past the persisted clock, persisted seniority, and a campaign. */
  public Step start(NodeId self, PersistedElection persisted) {
    ElectionState s =
        new ElectionState(
            self, persisted.clock() + 1, persisted.seniority(), 0, true, null, null, null, false);
    List<ElectionEffect> fx = new ArrayList<>();
    fx.add(new Persist(s.persisted()));
    return campaign(s, Map.of(), fx);
  }

  public Step onMessage(ElectionState s, NodeId from, ElectionMessage m) {
    if (from.equals(s.self())) {
      return ignore(s, from, "own election message echoed back");
    }
    if (!from.equals(m.nodeId())) {
      return ignore(s, from, "election message names node " + m.nodeId() + ", not its sender");
    }
    if (m.clock() < s.clock()) {
      return ignore(s, from, "stale clock " + m.clock() + " < " + s.clock());
    }
    if (m.clock() > s.clock()) {
      // A new round started elsewhere: join it, counting the message that announced it.
      ElectionState next = s.withClock(m.clock());
      List<ElectionEffect> fx = new ArrayList<>();
      fx.add(new Persist(next.persisted()));
      return campaign(next, Map.of(m.nodeId(), m), fx);
    }
    if (s.campaign() != null) {
      return new Step(s.withCampaign(s.campaign().with(m)), List.of());
    }
    ElectionMessage won = s.lastWinner();
    if (won != null && !won.nodeId().equals(m.nodeId()) && m.compareTo(won) > 0) {
      // Our campaign never heard this candidate, yet it beats whom we elected: the nodes may now
      // disagree on the sequencer. A new round settles it for everyone.
      return bump(s, new ArrayList<>());
    }
    // A peer's end-of-campaign re-broadcast that lost to our winner: nothing to learn.
    return new Step(s, List.of());
  }

  /** A peer came or went; several changes within the debounce cost one clock bump. */
  public Step onConnectivityChange(ElectionState s) {
    if (s.debouncing()) {
      return new Step(s, List.of());
    }
    return new Step(
        s.withDebouncing(true), List.of(new StartDebounceTimer(config.connectivityDebounce())));
  }

  public Step onDebounceElapsed(ElectionState s) {
    return bump(s.withDebouncing(false), new ArrayList<>());
  }

  /** End of the campaign at {@code clock}: re-broadcast, pick the largest candidate, decide. */
  public Step onCampaignTimeout(ElectionState s, long clock) {
    Campaign c = s.campaign();
    if (c == null || c.clock() != clock) {
      return new Step(s, List.of()); // a superseded campaign's timer
    }
    List<ElectionEffect> fx = new ArrayList<>();
    fx.add(new Broadcast(c.own())); // for peers whose campaign started after ours
    ElectionMessage winner = c.winner();
    ElectionState next = s.withCampaign(null).withLastWinner(winner);
    if (winner.nodeId().equals(s.self()) && s.eligible()) {
      // Seniority grows to the number of candidates beaten, so a long-serving sequencer is not
      // displaced by a newcomer that merely has a larger id or has seen more.
      long grown = Math.max(s.seniority(), c.candidates().size() - 1L);
      if (grown != s.seniority()) {
        next = next.withSeniority(grown);
        fx.add(new Persist(next.persisted()));
      }
    }
    Session session = winner.proposedSession();
    boolean isNew = !session.equals(s.session());
    next = next.withSession(session);
    fx.add(new Elected(new ElectionResult(session, clock, isNew)));
    return new Step(next, fx);
  }

  /**
   * This node's sequencer lost the race to anchor (the chain holds another history): forfeit
   * seniority, leave the session, become a non-candidate and start a new round.
   */
  public Step stepDown(ElectionState s) {
    ElectionState next = s.withSeniority(0).withEligible(false).withSession(null);
    return bump(next, new ArrayList<>());
  }

  /**
   * A sequencer of another session announced itself at election clock {@code theirClock}, which is
   * not older than ours: nodes disagree on who sequences (a campaign missed messages). Unless a
   * round is already under way, start one; everyone joins it through the higher clock.
   */
  public Step onSessionConflict(ElectionState s, long theirClock) {
    if (s.campaigning() || s.debouncing() || theirClock < s.clock()) {
      return new Step(s, List.of());
    }
    return bump(s, new ArrayList<>());
  }

  /** Whether this node may be preferred as sequencer (its history is not known to be stale). */
  public Step setEligible(ElectionState s, boolean eligible) {
    return new Step(s.withEligible(eligible), List.of());
  }

  /** The tie-break after seniority: how many log entries this node holds. */
  public Step setCommandsSeen(ElectionState s, long commandsSeen) {
    return new Step(s.withCommandsSeen(commandsSeen), List.of());
  }

  private Step bump(ElectionState s, List<ElectionEffect> fx) {
    ElectionState next = s.withClock(s.clock() + 1);
    fx.add(new Persist(next.persisted()));
    return campaign(next, Map.of(), fx);
  }

  private Step campaign(
      ElectionState s, Map<NodeId, ElectionMessage> heard, List<ElectionEffect> fx) {
    ElectionMessage own = candidacy(s);
    Campaign c = Campaign.start(own, heard);
    fx.add(new Broadcast(own));
    fx.add(new StartCampaignTimer(s.clock(), config.campaignTimeout()));
    return new Step(s.withCampaign(c), fx);
  }

  private static ElectionMessage candidacy(ElectionState s) {
    long sessionClock = s.isSequencer() ? s.session().clock() : s.clock();
    long seniority = s.eligible() ? s.seniority() : -1;
    return new ElectionMessage(s.clock(), seniority, s.commandsSeen(), s.self(), sessionClock);
  }

  private static Step ignore(ElectionState s, NodeId from, String reason) {
    return new Step(s, List.of(new Ignored(from, reason)));
  }
}
