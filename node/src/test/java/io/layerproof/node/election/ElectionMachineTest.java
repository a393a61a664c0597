package io.layerproof.node.election;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.layerproof.chain.event.NodeId;
import io.layerproof.node.election.ElectionEffect.Broadcast;
import io.layerproof.node.election.ElectionEffect.Elected;
import io.layerproof.node.election.ElectionEffect.Ignored;
import io.layerproof.node.election.ElectionEffect.Persist;
import io.layerproof.node.election.ElectionEffect.StartCampaignTimer;
import io.layerproof.node.election.ElectionEffect.StartDebounceTimer;
import io.layerproof.node.election.ElectionMachine.Step;
import io.layerproof.node.testing.TestIds;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The election's transitions, stepped by hand: no bus, no clock. */
class ElectionMachineTest {
  private static final NodeId A = TestIds.named("a");
  private static final NodeId B = TestIds.named("b");
  private static final NodeId C = TestIds.named("c");
  private static final NodeId Z = TestIds.named("z");

  private final ElectionMachine machine =
      new ElectionMachine(new ElectionConfig(Duration.ofMillis(300), Duration.ofMillis(50)));

  private static ElectionMessage msg(long clock, long seniority, long commands, NodeId id) {
    return new ElectionMessage(clock, seniority, commands, id, clock);
  }

  private static <T extends ElectionEffect> List<T> of(Step s, Class<T> type) {
    return s.effects().stream().filter(type::isInstance).map(type::cast).toList();
  }

  private static Optional<ElectionResult> elected(Step s) {
    return of(s, Elected.class).stream().map(Elected::result).findFirst();
  }

  @Test
  void candidaciesCompareByClockThenSeniorityThenCommandsSeenThenNodeId() {
    assertTrue(msg(2, 0, 0, A).compareTo(msg(1, 9, 9, Z)) > 0, "clock first");
    assertTrue(msg(1, 2, 0, A).compareTo(msg(1, 1, 9, Z)) > 0, "then seniority");
    assertTrue(msg(1, 1, 5, A).compareTo(msg(1, 1, 4, Z)) > 0, "then commandsSeen");
    assertTrue(msg(1, 1, 5, Z).compareTo(msg(1, 1, 5, A)) > 0, "then node id");
  }

  @Test
  void startBumpsThePersistedClockAndCampaignsWithoutElectingItself() {
    Step s = machine.start(A, new PersistedElection(7, 3));
    assertEquals(8, s.state().clock());
    assertEquals(3, s.state().seniority());
    assertEquals(List.of(new Persist(new PersistedElection(8, 3))), of(s, Persist.class));
    assertEquals(List.of(new Broadcast(msg(8, 3, 0, A))), of(s, Broadcast.class));
    assertEquals(
        List.of(new StartCampaignTimer(8, Duration.ofMillis(300))),
        of(s, StartCampaignTimer.class));
    // EXO's start elects itself at once (timeout 0); here nothing is decided before the timeout.
    assertTrue(elected(s).isEmpty());
    assertTrue(s.state().currentSession().isEmpty());
  }

  @Test
  void aHigherClockIsAdoptedAndItsSenderCountedInTheNewCampaign() {
    ElectionState s = machine.start(A, PersistedElection.INITIAL).state();
    Step adopted = machine.onMessage(s, B, msg(5, 0, 0, B));
    assertEquals(5, adopted.state().clock());
    assertEquals(List.of(new Persist(new PersistedElection(5, 0))), of(adopted, Persist.class));
    assertEquals(List.of(new Broadcast(msg(5, 0, 0, A))), of(adopted, Broadcast.class));
    Step decided = machine.onCampaignTimeout(adopted.state(), 5);
    assertEquals(new Session(B, 5), elected(decided).orElseThrow().session());
  }

  @Test
  void aLowerClockIsIgnoredWithAReason() {
    ElectionState s = machine.start(A, new PersistedElection(4, 0)).state();
    Step r = machine.onMessage(s, B, msg(3, 99, 99, B));
    assertEquals(s, r.state());
    assertEquals(List.of(new Ignored(B, "stale clock 3 < 5")), r.effects());
  }

  @Test
  void aMessageWhoseNodeIdIsNotItsSenderIsIgnored() {
    ElectionState s = machine.start(A, PersistedElection.INITIAL).state();
    Step r = machine.onMessage(s, B, msg(9, 0, 0, C));
    assertEquals(s, r.state());
    assertEquals(1, of(r, Ignored.class).size());
  }

  @Test
  void candidatesAreCollectedOnlyWhileACampaignRuns() {
    ElectionState s = machine.start(A, PersistedElection.INITIAL).state(); // clock 1
    s = machine.onMessage(s, B, msg(1, 0, 0, B)).state();
    Step decided = machine.onCampaignTimeout(s, 1);
    assertEquals(new Session(B, 1), elected(decided).orElseThrow().session());
    s = decided.state();
    assertFalse(s.campaigning());

    // A candidacy at clock 1 that loses to b arrives after the decision. EXO would append it to
    // the finished campaign's list; here it is dropped and the next campaign starts from scratch.
    NodeId aa = TestIds.named("aa");
    Step late = machine.onMessage(s, aa, msg(1, 0, 0, aa));
    assertEquals(s, late.state());
    assertTrue(late.effects().isEmpty());
    Step next = machine.onDebounceElapsed(machine.onConnectivityChange(late.state()).state());
    assertEquals(java.util.Set.of(A), next.state().campaign().candidates().keySet());
  }

  @Test
  void aLateCandidateThatBeatsTheWinnerStartsANewRound() {
    ElectionState s = machine.start(A, PersistedElection.INITIAL).state();
    s = machine.onMessage(s, B, msg(1, 0, 0, B)).state();
    s = machine.onCampaignTimeout(s, 1).state(); // elected b
    Step r = machine.onMessage(s, Z, msg(1, 0, 0, Z)); // z > b: our campaign missed it
    assertEquals(2, r.state().clock());
    assertTrue(r.state().campaigning());
  }

  @Test
  void theWinnersSeniorityGrowsToTheCandidatesItBeatAndIsPersisted() {
    ElectionState s = machine.start(Z, PersistedElection.INITIAL).state();
    s = machine.onMessage(s, A, msg(1, 0, 0, A)).state();
    s = machine.onMessage(s, B, msg(1, 0, 0, B)).state();
    Step decided = machine.onCampaignTimeout(s, 1);
    assertEquals(2, decided.state().seniority());
    assertEquals(List.of(new Persist(new PersistedElection(1, 2))), of(decided, Persist.class));
    assertEquals(new ElectionResult(new Session(Z, 1), 1, true), elected(decided).orElseThrow());
  }

  @Test
  void anIncumbentWithSeniorityKeepsItsSessionAgainstANewcomer() {
    // a has been sequencer since clock 1 with seniority 4.
    ElectionState a = machine.start(A, new PersistedElection(0, 4)).state();
    a = machine.onCampaignTimeout(a, 1).state();
    assertEquals(new Session(A, 1), a.session());
    // z restarts: larger id and more commands seen, but no seniority. Its campaign at clock 2:
    Step joined = machine.onMessage(a, Z, msg(2, 0, 1000, Z));
    ElectionMessage aCandidacy = of(joined, Broadcast.class).get(0).message();
    assertEquals(1, aCandidacy.sessionClock(), "the incumbent proposes its running session");
    Step decided = machine.onCampaignTimeout(joined.state(), 2);
    ElectionResult r = elected(decided).orElseThrow();
    assertEquals(new Session(A, 1), r.session());
    assertFalse(r.newSession(), "followers need not re-sync");
  }

  @Test
  void connectivityChangesWithinTheDebounceCostOneClockBump() {
    ElectionState s = machine.start(A, PersistedElection.INITIAL).state();
    Step first = machine.onConnectivityChange(s);
    assertEquals(List.of(new StartDebounceTimer(Duration.ofMillis(50))), first.effects());
    Step second = machine.onConnectivityChange(first.state());
    assertTrue(second.effects().isEmpty());
    Step bumped = machine.onDebounceElapsed(second.state());
    assertEquals(2, bumped.state().clock());
    assertFalse(bumped.state().debouncing());
    assertEquals(1, of(bumped, Broadcast.class).size());
  }

  @Test
  void steppingDownForfeitsSeniorityLeavesTheSessionAndCampaignsAsANonCandidate() {
    ElectionState a = machine.start(A, new PersistedElection(0, 4)).state();
    a = machine.onCampaignTimeout(a, 1).state();
    Step down = machine.stepDown(a);
    assertEquals(0, down.state().seniority());
    assertFalse(down.state().eligible());
    assertTrue(down.state().currentSession().isEmpty());
    assertEquals(List.of(new Persist(new PersistedElection(2, 0))), of(down, Persist.class));
    ElectionMessage candidacy = of(down, Broadcast.class).get(0).message();
    assertEquals(-1, candidacy.seniority());
    assertEquals(2, candidacy.sessionClock(), "no longer proposes its old session");
    // Any eligible peer, however junior, now wins.
    Step decided =
        machine.onCampaignTimeout(machine.onMessage(down.state(), B, msg(2, 0, 0, B)).state(), 2);
    assertEquals(new Session(B, 2), elected(decided).orElseThrow().session());
  }

  @Test
  void aSessionConflictStartsARoundOnlyWhenSettledAndNotOlder() {
    ElectionState s = machine.start(A, PersistedElection.INITIAL).state();
    assertTrue(machine.onSessionConflict(s, 5).effects().isEmpty(), "campaigning already");
    s = machine.onCampaignTimeout(s, 1).state();
    assertTrue(machine.onSessionConflict(s, 0).effects().isEmpty(), "an older session's echo");
    Step r = machine.onSessionConflict(s, 1);
    assertEquals(2, r.state().clock());
    assertTrue(r.state().campaigning());
  }

  @Test
  void aSupersededCampaignsTimerDoesNothing() {
    ElectionState s = machine.start(A, PersistedElection.INITIAL).state();
    s = machine.onMessage(s, B, msg(3, 0, 0, B)).state();
    Step stale = machine.onCampaignTimeout(s, 1);
    assertEquals(s, stale.state());
    assertTrue(stale.effects().isEmpty());
  }
}
