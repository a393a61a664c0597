package io.layerproof.verifier.escalation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.layerproof.chain.event.EthAddress;
import io.layerproof.verifier.escalation.Accusation.Ground;
import io.layerproof.verifier.escalation.Effect.PassKind;
import io.layerproof.verifier.reexec.Verdict;
import io.layerproof.verifier.reexec.Verdict.Status;
import io.layerproof.verifier.sampling.Sample;
import io.layerproof.verifier.sampling.SampleDrawer;
import io.layerproof.verifier.tolerance.ActivationError;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Every path of {@link Escalation}, driven with verdicts as the re-execution verifier gives them.
 */
class EscalationTest {

  static final EthAddress SELF = addr(0xa0);
  static final EthAddress ACCUSED = addr(0xb0);
  static final List<EthAddress> QUORUM = List.of(addr(1), addr(2), addr(3));
  static final EscalationPolicy POLICY = EscalationPolicy.DEFAULT;
  static final byte[] SEED = sha256("anchored batch root");

  static EthAddress addr(int i) {
    byte[] b = new byte[20];
    b[19] = (byte) i;
    return EthAddress.of(b);
  }

  static byte[] sha256(String s) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static Verdict pass(Sample s) {
    return new Verdict(s, Status.PASS, new ActivationError(2.1e-4, 1e-3), "within tolerance");
  }

  static Verdict with(Sample s, Status status) {
    ActivationError e =
        status == Status.PASS
            ? new ActivationError(2.1e-4, 1e-3)
            : status == Status.MISMATCH ? new ActivationError(9.6e-3, 0.2) : null;
    return new Verdict(s, status, e, status.toString());
  }

  /** Verdicts for {@code samples}: PASS except where {@code failures} says otherwise. */
  static List<Verdict> verdicts(List<Sample> samples, Map<Integer, Status> failures) {
    List<Verdict> out = new ArrayList<>();
    for (int i = 0; i < samples.size(); i++) {
      out.add(with(samples.get(i), failures.getOrDefault(i, Status.PASS)));
    }
    return out;
  }

  /** A check in progress: the state and every effect so far. */
  static final class Run {
    EscalationState state;
    final List<Effect> effects = new ArrayList<>();

    Run(Transition t) {
      state = t.state();
      effects.addAll(t.effects());
    }

    static Run start() {
      // An 8-layer job's second shard (layers 4..8) with 30 positions: 120 cells.
      return new Run(Escalation.start(POLICY, SELF, ACCUSED, SEED, "job-1", 30, 4, 8));
    }

    List<Effect> feed(Input input) {
      Transition t = Escalation.apply(state, input);
      state = t.state();
      effects.addAll(t.effects());
      return t.effects();
    }

    Effect.Challenge lastChallenge() {
      for (int i = effects.size() - 1; i >= 0; i--) {
        if (effects.get(i) instanceof Effect.Challenge c) {
          return c;
        }
      }
      throw new AssertionError("no challenge");
    }

    /** Answers the open challenge, failing the samples at the given indexes. */
    List<Effect> answer(Map<Integer, Status> failures) {
      Effect.Challenge c = lastChallenge();
      return feed(new Input.Verified(c.round(), verdicts(c.samples(), failures)));
    }

    boolean anyConvict() {
      return effects.stream().anyMatch(e -> e instanceof Effect.Convict);
    }

    boolean anyQuorum() {
      return effects.stream().anyMatch(e -> e instanceof Effect.RequestQuorum);
    }
  }

  static <T> T only(List<Effect> effects, Class<T> type) {
    assertEquals(1, effects.size(), effects.toString());
    return assertInstanceOf(type, effects.get(0));
  }

  @Test
  void allInitialSamplesPassIsACleanPassAfterOneRound() {
    Run r = Run.start();
    Effect.Challenge c = only(r.effects, Effect.Challenge.class);
    assertEquals(1, c.round());
    // The first round is the first m of the draw, exactly what a draw of m gives.
    assertEquals(SampleDrawer.draw(SEED, "job-1", 30, 4, 8, 44), c.samples());
    assertEquals(Phase.CHECKING, r.state.phase());

    Effect.Pass p = only(r.answer(Map.of()), Effect.Pass.class);
    assertEquals(PassKind.CLEAN, p.kind());
    assertEquals(44, p.verdicts().size());
    assertEquals(Phase.PASSED, r.state.phase());
    assertTrue(!r.anyQuorum() && !r.anyConvict());
  }

  @Test
  void oneToleranceMissThenCleanExtraSamplesPassesAndNobodyIsSlashed() {
    Run r = Run.start();
    Effect.Challenge first = r.lastChallenge();
    Effect.Challenge extra = only(r.answer(Map.of(7, Status.MISMATCH)), Effect.Challenge.class);
    assertEquals(Phase.EXTRA_CHECKING, r.state.phase());
    assertEquals(2, extra.round());
    // The larger draw keeps the first samples: round 2 is exactly its new part.
    List<Sample> escalated = SampleDrawer.draw(SEED, "job-1", 30, 4, 8, 176);
    assertEquals(escalated.subList(0, 44), first.samples());
    assertEquals(escalated.subList(44, 120), extra.samples()); // the shard has 120 cells

    Effect.Pass p = only(r.answer(Map.of()), Effect.Pass.class);
    assertEquals(PassKind.ISOLATED_MISSES, p.kind());
    assertEquals(120, p.verdicts().size());
    assertEquals(Status.MISMATCH, p.verdicts().get(7).status());
    assertEquals(Phase.PASSED, r.state.phase());
    assertTrue(!r.anyQuorum() && !r.anyConvict(), "no accusation, no slash: " + r.effects);
  }

  @Test
  void aSecondMissInTheExtraSamplesGoesToTheQuorumWhichConvictsWithKOfN() {
    Run r = Run.start();
    Sample firstMiss = r.lastChallenge().samples().get(3);
    r.answer(Map.of(3, Status.MISMATCH));
    Sample secondMiss = r.lastChallenge().samples().get(10);
    Effect.RequestQuorum q =
        only(r.answer(Map.of(10, Status.MISMATCH)), Effect.RequestQuorum.class);
    assertEquals(
        new Accusation(Ground.MISMATCH, 2, List.of(firstMiss, secondMiss)), q.accusation());
    assertEquals(3, q.size());
    assertEquals(2, q.threshold());
    assertEquals(Phase.QUORUM, r.state.phase());

    assertTrue(r.feed(new Input.QuorumFormed(QUORUM)).isEmpty());
    assertTrue(r.feed(new Input.QuorumVote(addr(1), true)).isEmpty());
    assertTrue(r.feed(new Input.QuorumVote(addr(2), false)).isEmpty());
    assertEquals(Phase.QUORUM, r.state.phase(), "1 of 2 confirmations: not yet");
    Effect.Convict c = only(r.feed(new Input.QuorumVote(addr(3), true)), Effect.Convict.class);
    assertEquals(Phase.FRAUD, r.state.phase());
    assertEquals(List.of(addr(1), addr(3)), c.confirmers());
    assertEquals(q.accusation(), c.accusation());
    assertEquals(r.state.verdicts(), c.verdicts());
    assertEquals(44 + 76, c.verdicts().size());
  }

  @Test
  void twoMissesInTheFirstRoundSkipTheExtraSamples() {
    Run r = Run.start();
    List<Sample> s = r.lastChallenge().samples();
    Effect.RequestQuorum q =
        only(r.answer(Map.of(0, Status.MISMATCH, 40, Status.MISMATCH)), Effect.RequestQuorum.class);
    assertEquals(new Accusation(Ground.MISMATCH, 1, List.of(s.get(0), s.get(40))), q.accusation());
    assertEquals(1, r.effects.stream().filter(e -> e instanceof Effect.Challenge).count());
  }

  @Test
  void oneMissIsEnoughWhenThePolicySaysSo() {
    EscalationPolicy strict = new EscalationPolicy(44, 176, 1, 3, 2);
    Run r = new Run(Escalation.start(strict, SELF, ACCUSED, SEED, "job-1", 30, 4, 8));
    Effect.RequestQuorum q = only(r.answer(Map.of(5, Status.MISMATCH)), Effect.RequestQuorum.class);
    assertEquals(Ground.MISMATCH, q.accusation().ground());
  }

  @Test
  void aRefusedRevealGoesToTheQuorumAndIsDismissedWhenTheProviderAnswersIt() {
    Run r = Run.start();
    List<Sample> asked = r.lastChallenge().samples();
    Effect.RequestQuorum q =
        only(r.feed(new Input.RevealWindowClosed(1)), Effect.RequestQuorum.class);
    assertEquals(new Accusation(Ground.REFUSAL, 1, asked), q.accusation());
    assertTrue(r.state.verdicts().stream().allMatch(v -> v.status() == Status.MISSING_REVEAL));
    assertTrue(!r.anyConvict(), "a refusal alone slashes nobody");

    r.feed(new Input.QuorumFormed(QUORUM));
    // The quorum asked the provider itself and got valid reveals: 2 rejections of 3 leave k=2
    // out of reach.
    assertTrue(r.feed(new Input.QuorumVote(addr(2), false)).isEmpty());
    Effect.Pass p = only(r.feed(new Input.QuorumVote(addr(3), false)), Effect.Pass.class);
    assertEquals(PassKind.DISMISSED, p.kind());
    assertEquals(Phase.PASSED, r.state.phase());
    assertTrue(!r.anyConvict());
  }

  @Test
  void aRefusalConfirmedByTheQuorumConvicts() {
    Run r = Run.start();
    r.feed(new Input.RevealWindowClosed(1));
    r.feed(new Input.QuorumFormed(QUORUM));
    r.feed(new Input.QuorumVote(addr(3), true));
    Effect.Convict c = only(r.feed(new Input.QuorumVote(addr(2), true)), Effect.Convict.class);
    assertEquals(Ground.REFUSAL, c.accusation().ground());
    assertEquals(List.of(addr(3), addr(2)), c.confirmers());
  }

  @Test
  void aPartialAnswerIsARefusalOfTheSamplesLeftOut() {
    Run r = Run.start();
    List<Sample> s = r.lastChallenge().samples();
    Effect.RequestQuorum q =
        only(
            r.answer(
                Map.of(2, Status.MISSING_REVEAL, 9, Status.MISMATCH, 20, Status.MISSING_REVEAL)),
            Effect.RequestQuorum.class);
    assertEquals(new Accusation(Ground.REFUSAL, 1, List.of(s.get(2), s.get(20))), q.accusation());
  }

  @Test
  void badProofsAndBoundaryMismatchesSkipTheExtraSamplesButNotTheQuorum() {
    for (Status broken : List.of(Status.BAD_PROOF, Status.BOUNDARY_MISMATCH)) {
      Run r = Run.start();
      List<Sample> s = r.lastChallenge().samples();
      // A broken proof outranks a refusal and a miss in the same round.
      Effect.RequestQuorum q =
          only(
              r.answer(Map.of(1, Status.MISMATCH, 4, broken, 6, Status.MISSING_REVEAL, 8, broken)),
              Effect.RequestQuorum.class);
      assertEquals(new Accusation(Ground.PROOF, 1, List.of(s.get(4), s.get(8))), q.accusation());
      assertTrue(!r.anyConvict());
    }
    // In the extra round too.
    Run r = Run.start();
    r.answer(Map.of(0, Status.MISMATCH));
    Sample bad = r.lastChallenge().samples().get(5);
    Effect.RequestQuorum q =
        only(r.answer(Map.of(5, Status.BAD_PROOF)), Effect.RequestQuorum.class);
    assertEquals(new Accusation(Ground.PROOF, 2, List.of(bad)), q.accusation());
  }

  @Test
  void aQuorumThatRunsOutOfTimeDismisses() {
    Run r = Run.start();
    r.feed(new Input.RevealWindowClosed(1));
    // Before the quorum is even formed.
    Effect.Pass p = only(r.feed(new Input.QuorumWindowClosed()), Effect.Pass.class);
    assertEquals(PassKind.DISMISSED, p.kind());

    r = Run.start();
    r.answer(Map.of(0, Status.BAD_PROOF));
    r.feed(new Input.QuorumFormed(QUORUM));
    r.feed(new Input.QuorumVote(addr(1), true));
    p = only(r.feed(new Input.QuorumWindowClosed()), Effect.Pass.class);
    assertEquals(PassKind.DISMISSED, p.kind(), "1 confirmation of the 2 needed");
    assertTrue(!r.anyConvict());
  }

  @Test
  void votesAndQuorumsThatDoNotCountAreIgnored() {
    Run r = Run.start();
    r.feed(new Input.RevealWindowClosed(1));
    EscalationState accused = r.state;

    only(r.feed(new Input.QuorumVote(addr(1), true)), Effect.Ignored.class); // not formed yet
    only(r.feed(new Input.QuorumFormed(List.of(addr(1), addr(2), SELF))), Effect.Ignored.class);
    only(r.feed(new Input.QuorumFormed(List.of(addr(1), ACCUSED, addr(2)))), Effect.Ignored.class);
    only(r.feed(new Input.QuorumFormed(List.of(addr(1), addr(2)))), Effect.Ignored.class);
    only(r.feed(new Input.QuorumFormed(List.of(addr(1), addr(1), addr(2)))), Effect.Ignored.class);
    assertEquals(accused, r.state, "nothing above changed the state");

    r.feed(new Input.QuorumFormed(QUORUM));
    only(r.feed(new Input.QuorumFormed(List.of(addr(4), addr(5), addr(6)))), Effect.Ignored.class);
    assertEquals(QUORUM, r.state.members());
    only(r.feed(new Input.QuorumVote(addr(9), true)), Effect.Ignored.class); // not a member
    only(r.feed(new Input.QuorumVote(SELF, true)), Effect.Ignored.class);
    only(r.feed(new Input.QuorumVote(ACCUSED, true)), Effect.Ignored.class);
    assertTrue(r.feed(new Input.QuorumVote(addr(2), true)).isEmpty());
    Effect.Ignored twice = only(r.feed(new Input.QuorumVote(addr(2), true)), Effect.Ignored.class);
    assertTrue(twice.reason().contains("already voted"), twice.reason());
    assertEquals(1, r.state.confirmations(), "one member, one vote");
    assertEquals(Phase.QUORUM, r.state.phase());
    assertTrue(!r.anyConvict());
  }

  @Test
  void staleAndMisfitInputsAreIgnored() {
    Run r = Run.start();
    List<Sample> s = r.lastChallenge().samples();
    EscalationState open = r.state;
    only(r.feed(new Input.Verified(2, verdicts(s, Map.of()))), Effect.Ignored.class);
    only(r.feed(new Input.RevealWindowClosed(2)), Effect.Ignored.class);
    only(r.feed(new Input.Verified(1, verdicts(s.subList(1, 44), Map.of()))), Effect.Ignored.class);
    List<Sample> reordered = new ArrayList<>(s);
    Collections.swap(reordered, 0, 1);
    only(r.feed(new Input.Verified(1, verdicts(reordered, Map.of()))), Effect.Ignored.class);
    only(r.feed(new Input.QuorumFormed(QUORUM)), Effect.Ignored.class);
    only(r.feed(new Input.QuorumVote(addr(1), true)), Effect.Ignored.class);
    only(r.feed(new Input.QuorumWindowClosed()), Effect.Ignored.class);
    assertEquals(open, r.state);

    r.answer(Map.of());
    EscalationState done = r.state;
    for (Input late :
        List.of(
            new Input.Verified(1, verdicts(s, Map.of(0, Status.BAD_PROOF))),
            new Input.RevealWindowClosed(1),
            new Input.QuorumFormed(QUORUM),
            new Input.QuorumVote(addr(1), true),
            new Input.QuorumWindowClosed())) {
      Transition t = Escalation.apply(done, late);
      assertSame(done, t.state(), "a final state never moves: " + late);
      only(t.effects(), Effect.Ignored.class);
    }
  }

  @Test
  void anIsolatedMissInAShardWithNoMoreCellsToDrawPasses() {
    // 2 positions x 2 layers: the draw holds all 4 cells, there is nothing left to escalate to.
    Run r = new Run(Escalation.start(POLICY, SELF, ACCUSED, SEED, "job-1", 2, 6, 8));
    assertEquals(4, r.lastChallenge().samples().size());
    Effect.Pass p = only(r.answer(Map.of(1, Status.MISMATCH)), Effect.Pass.class);
    assertEquals(PassKind.ISOLATED_MISSES, p.kind());
  }

  @Test
  void theSameInputsGiveTheSameStatesAndEffects() {
    List<Transition> first = replay();
    List<Transition> second = replay();
    assertEquals(first, second);
    assertNotEquals(first.get(0), first.get(1));
  }

  /** Start, a miss, no answer to the extra round, a quorum, one vote: every transition. */
  private static List<Transition> replay() {
    Transition t = Escalation.start(POLICY, SELF, ACCUSED, SEED, "job-1", 30, 4, 8);
    List<Transition> out = new ArrayList<>(List.of(t));
    List<Input> inputs =
        List.of(
            new Input.Verified(1, verdicts(t.state().challenged(), Map.of(3, Status.MISMATCH))),
            new Input.RevealWindowClosed(2),
            new Input.QuorumFormed(QUORUM),
            new Input.QuorumVote(addr(1), true));
    for (Input in : inputs) {
      t = Escalation.apply(t.state(), in);
      out.add(t);
    }
    return out;
  }

  @Test
  void policiesAndStartsAreChecked() {
    assertEquals(new EscalationPolicy(44, 176, 2, 3, 2), EscalationPolicy.DEFAULT);
    assertThrows(IllegalArgumentException.class, () -> new EscalationPolicy(0, 10, 2, 3, 2));
    assertThrows(IllegalArgumentException.class, () -> new EscalationPolicy(44, 43, 2, 3, 2));
    assertThrows(IllegalArgumentException.class, () -> new EscalationPolicy(44, 176, 0, 3, 2));
    assertThrows(IllegalArgumentException.class, () -> new EscalationPolicy(44, 176, 2, 3, 4));
    assertThrows(IllegalArgumentException.class, () -> new EscalationPolicy(44, 176, 2, 3, 0));
    assertThrows(IllegalArgumentException.class, () -> new EscalationPolicy(44, 176, 2, 32, 2));
    List<Sample> draw = SampleDrawer.draw(SEED, "job-1", 30, 4, 8, 176);
    assertThrows(IllegalArgumentException.class, () -> Escalation.start(POLICY, SELF, SELF, draw));
    assertThrows(
        IllegalArgumentException.class, () -> Escalation.start(POLICY, SELF, ACCUSED, List.of()));
    assertThrows(
        IllegalArgumentException.class,
        () -> Escalation.start(POLICY, SELF, ACCUSED, List.of(draw.get(0), draw.get(0))));
    List<Sample> tooMany = SampleDrawer.draw(SEED, "job-1", 100, 0, 8, 177);
    assertThrows(
        IllegalArgumentException.class, () -> Escalation.start(POLICY, SELF, ACCUSED, tooMany));
  }
}
