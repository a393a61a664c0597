package io.layerproof.verifier.escalation;

import static io.layerproof.verifier.escalation.EscalationTest.ACCUSED;
import static io.layerproof.verifier.escalation.EscalationTest.SELF;
import static io.layerproof.verifier.escalation.EscalationTest.addr;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.layerproof.chain.event.EthAddress;
import io.layerproof.verifier.reexec.Verdict;
import io.layerproof.verifier.reexec.Verdict.Status;
import io.layerproof.verifier.sampling.Sample;
import io.layerproof.verifier.sampling.SampleDrawer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.statistics.Statistics;

/**
 * Properties of {@link Escalation} over random schedules of inputs: whatever this verifier's own
 * verdicts say, however inputs are ordered, repeated, stale or hostile, a provider whose re-checks
 * pass for every quorum member is never convicted; and a quorum convicts exactly when {@code k}
 * members confirm.
 */
class EscalationPropertiesTest {

  /** Verifiers whose re-checks pass: as quorum members they always reject. */
  private static final List<EthAddress> HONEST =
      List.of(addr(1), addr(2), addr(3), addr(4), addr(5), addr(6), addr(7), addr(8), addr(9));

  /** Anyone else who may send a vote: they confirm at will, but are never picked for a quorum. */
  private static final List<EthAddress> OTHERS = List.of(SELF, ACCUSED, addr(0x70), addr(0x71));

  @Property(tries = 400)
  void anHonestProviderIsNeverSlashedWhateverTheSchedule(
      @ForAll long seed,
      @ForAll @IntRange(min = 1, max = 60) int steps,
      @ForAll @IntRange(min = 1, max = 7) int quorumSize,
      @ForAll @IntRange(min = 1, max = 7) int threshold,
      @ForAll @IntRange(min = 1, max = 3) int missesToAccuse) {
    Random rnd = new Random(seed);
    EscalationPolicy policy =
        new EscalationPolicy(
            1 + rnd.nextInt(12),
            12 + rnd.nextInt(30),
            missesToAccuse,
            quorumSize,
            Math.min(threshold, quorumSize));
    List<Sample> draw =
        SampleDrawer.draw(
            EscalationTest.sha256("seed " + seed),
            "job",
            1 + rnd.nextInt(10),
            0,
            1 + rnd.nextInt(6),
            policy.escalatedSamples());
    Transition t = Escalation.start(policy, SELF, ACCUSED, draw);
    boolean voted = false;
    for (int i = 0; i < steps; i++) {
      EscalationState before = t.state();
      Input input = randomInput(rnd, before);
      t = Escalation.apply(before, input);
      for (Effect e : t.effects()) {
        assertFalse(e instanceof Effect.Convict, "convicted an honest provider: " + input);
      }
      assertTrue(t.state().phase() != Phase.FRAUD);
      if (before.phase().isFinal()) {
        assertSame(before, t.state(), "a final state moved");
      }
      voted |= !t.state().votes().isEmpty();
    }
    Statistics.label("final phase").collect(t.state().phase());
    Statistics.label("a quorum member voted").collect(voted);
    // Guard against a vacuous pass: many schedules must really reach a voting quorum.
    Statistics.label("a quorum member voted").coverage(c -> c.check(true).percentage(p -> p >= 10));
  }

  /**
   * Any input of any kind in any phase, but weighted toward what the phase waits for, so that most
   * schedules get as far as a voting quorum.
   */
  private static Input randomInput(Random rnd, EscalationState s) {
    int round = rnd.nextInt(8) == 0 ? s.round() + 1 : s.round();
    int[] weights =
        switch (s.phase()) {
          case CHECKING, EXTRA_CHECKING -> new int[] {10, 3, 1, 2, 1};
          case QUORUM -> new int[] {1, 1, s.members().isEmpty() ? 6 : 1, 12, 1};
          default -> new int[] {1, 1, 1, 1, 1};
        };
    int total = 0;
    for (int w : weights) {
      total += w;
    }
    int pick = rnd.nextInt(total);
    int kind = 0;
    while (pick >= weights[kind]) {
      pick -= weights[kind++];
    }
    switch (kind) {
      case 0:
        {
          List<Sample> samples = new ArrayList<>(s.challenged());
          if (rnd.nextInt(10) == 0 && samples.size() > 1) {
            Collections.swap(samples, 0, 1);
          }
          return new Input.Verified(round, verdicts(rnd, samples));
        }
      case 1:
        return new Input.RevealWindowClosed(round);
      case 2:
        {
          // Honest verifiers, now and then with the accuser, the accused or a repeat mixed in.
          List<EthAddress> pool = new ArrayList<>(HONEST);
          Collections.shuffle(pool, rnd);
          int size = s.policy().quorumSize() + (rnd.nextInt(6) == 0 ? rnd.nextInt(3) - 1 : 0);
          List<EthAddress> members = new ArrayList<>(pool.subList(0, Math.max(0, size)));
          if (rnd.nextInt(6) == 0 && !members.isEmpty()) {
            members.set(rnd.nextInt(members.size()), rnd.nextBoolean() ? SELF : ACCUSED);
          }
          if (rnd.nextInt(10) == 0 && members.size() > 1) {
            members.set(0, members.get(1));
          }
          return new Input.QuorumFormed(members);
        }
      case 3:
        {
          if (rnd.nextBoolean()) {
            List<EthAddress> from =
                s.members().isEmpty() || rnd.nextInt(4) == 0 ? HONEST : s.members();
            // Its re-check passed.
            return new Input.QuorumVote(from.get(rnd.nextInt(from.size())), false);
          }
          return new Input.QuorumVote(OTHERS.get(rnd.nextInt(OTHERS.size())), rnd.nextBoolean());
        }
      default:
        return new Input.QuorumWindowClosed();
    }
  }

  /** Whatever this verifier concluded: from all passing to every kind of failure. */
  private static List<Verdict> verdicts(Random rnd, List<Sample> samples) {
    Status[] all = Status.values();
    int profile = rnd.nextInt(6);
    List<Verdict> out = new ArrayList<>();
    for (Sample s : samples) {
      Status status =
          switch (profile) {
            case 0 -> Status.PASS;
            case 1, 5 -> rnd.nextInt(samples.size()) == 0 ? Status.MISMATCH : Status.PASS;
            case 2 -> rnd.nextInt(4) == 0 ? Status.MISMATCH : Status.PASS;
            case 3 -> rnd.nextInt(8) == 0 ? all[rnd.nextInt(all.length)] : Status.PASS;
            default -> all[rnd.nextInt(all.length)];
          };
      out.add(EscalationTest.with(s, status));
    }
    return out;
  }

  @Property(tries = 300)
  void aQuorumConvictsExactlyWhenKMembersConfirm(
      @ForAll long seed,
      @ForAll @IntRange(min = 1, max = 9) int quorumSize,
      @ForAll @IntRange(min = 1, max = 9) int threshold) {
    Random rnd = new Random(seed);
    int k = Math.min(threshold, quorumSize);
    EscalationPolicy policy = new EscalationPolicy(4, 8, 2, quorumSize, k);
    List<Sample> draw =
        SampleDrawer.draw(
            EscalationTest.sha256("q" + seed), "job", 4, 0, 4, policy.escalatedSamples());
    Transition t = Escalation.start(policy, SELF, ACCUSED, draw);
    t = Escalation.apply(t.state(), new Input.RevealWindowClosed(1));
    List<EthAddress> members = new ArrayList<>();
    for (int i = 0; i < quorumSize; i++) {
      members.add(addr(10 + i));
    }
    t = Escalation.apply(t.state(), new Input.QuorumFormed(members));
    Collections.shuffle(members, rnd);
    List<EthAddress> confirmers = new ArrayList<>();
    List<Effect.Convict> convictions = new ArrayList<>();
    for (EthAddress m : members) {
      boolean confirms = rnd.nextBoolean();
      if (confirms) {
        confirmers.add(m);
      }
      t = Escalation.apply(t.state(), new Input.QuorumVote(m, confirms));
      t.effects().stream()
          .filter(e -> e instanceof Effect.Convict)
          .forEach(e -> convictions.add((Effect.Convict) e));
    }
    t = Escalation.apply(t.state(), new Input.QuorumWindowClosed());
    if (confirmers.size() >= k) {
      assertEquals(Phase.FRAUD, t.state().phase());
      assertEquals(1, convictions.size());
      assertEquals(confirmers.subList(0, k), convictions.get(0).confirmers());
    } else {
      assertEquals(Phase.PASSED, t.state().phase());
      assertEquals(Effect.PassKind.DISMISSED, t.state().passKind());
      assertTrue(convictions.isEmpty());
    }
  }
}
