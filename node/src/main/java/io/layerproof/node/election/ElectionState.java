package io.layerproof.node.election;

import io.layerproof.chain.event.NodeId;
import java.util.Optional;

/**
 * Everything the election of one node knows, immutable. {@code session}, {@code campaign} and
 * {@code lastWinner} are null when there is none (no session decided yet / no campaign running / no
 * campaign decided yet).
 *
 * @param eligible false while this node knows its history is behind the chain: it then campaigns
 *     with seniority -1 so that any up-to-date node is preferred
 * @param lastWinner the winning candidacy of the last decided campaign, to notice a candidate the
 *     campaign missed
 * @param debouncing a connectivity change is waiting for its debounce timer
 */
public record ElectionState(
    NodeId self,
    long clock,
    long seniority,
    long commandsSeen,
    boolean eligible,
    Session session,
    Campaign campaign,
    ElectionMessage lastWinner,
    boolean debouncing) {

  public Optional<Session> currentSession() {
    return Optional.ofNullable(session);
  }

  public boolean campaigning() {
    return campaign != null;
  }

  /** Whether the decided session names this node as sequencer. */
  public boolean isSequencer() {
    return session != null && session.sequencer().equals(self);
  }

  PersistedElection persisted() {
    return new PersistedElection(clock, seniority);
  }

  ElectionState withClock(long v) {
    return new ElectionState(
        self, v, seniority, commandsSeen, eligible, session, campaign, lastWinner, debouncing);
  }

  ElectionState withSeniority(long v) {
    return new ElectionState(
        self, clock, v, commandsSeen, eligible, session, campaign, lastWinner, debouncing);
  }

  ElectionState withCommandsSeen(long v) {
    return new ElectionState(
        self, clock, seniority, v, eligible, session, campaign, lastWinner, debouncing);
  }

  ElectionState withEligible(boolean v) {
    return new ElectionState(
        self, clock, seniority, commandsSeen, v, session, campaign, lastWinner, debouncing);
  }

  ElectionState withSession(Session v) {
    return new ElectionState(
        self, clock, seniority, commandsSeen, eligible, v, campaign, lastWinner, debouncing);
  }

  ElectionState withCampaign(Campaign v) {
    return new ElectionState(
        self, clock, seniority, commandsSeen, eligible, session, v, lastWinner, debouncing);
  }

  ElectionState withLastWinner(ElectionMessage v) {
    return new ElectionState(
        self, clock, seniority, commandsSeen, eligible, session, campaign, v, debouncing);
  }

  ElectionState withDebouncing(boolean v) {
    return new ElectionState(
        self, clock, seniority, commandsSeen, eligible, session, campaign, lastWinner, v);
  }
}
