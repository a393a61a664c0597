package io.layerproof.node.sequencing;

import io.layerproof.node.sequencing.SequencingPropertyTest.Action;
import io.layerproof.node.sequencing.SequencingPropertyTest.Heal;
import io.layerproof.node.sequencing.SequencingPropertyTest.Kill;
import io.layerproof.node.sequencing.SequencingPropertyTest.Partition;
import io.layerproof.node.sequencing.SequencingPropertyTest.Restart;
import io.layerproof.node.sequencing.SequencingPropertyTest.Wait;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Schedules the property test shrank to, each of which once left the cluster stuck; kept so the fix
 * for each stays fixed. The name says what went wrong.
 */
class SequencingRegressionTest {
  static Stream<Arguments> schedules() {
    return Stream.of(
        Arguments.of(
            "a follower whose tail diverged never re-paged from its anchored entry",
            2L,
            List.of(new Restart(0), new Wait(661), new Kill(1)),
            0.05,
            0.0),
        Arguments.of(
            "a new sequencer gave up catching up after one lost page",
            2L,
            List.of(
                new Restart(0),
                new Kill(0),
                new Restart(0),
                new Wait(427),
                new Wait(79),
                new Partition(0, 1),
                new Partition(2, 1),
                new Wait(918),
                new Wait(2057),
                new Kill(4),
                new Wait(230),
                new Wait(106),
                new Heal(),
                new Wait(1051),
                new Wait(61)),
            0.14,
            0.05),
        Arguments.of(
            "followers kept a rival session's tail longer than the sequencer's log",
            2L,
            List.of(
                new Wait(1625),
                new Restart(0),
                new Kill(3),
                new Restart(0),
                new Kill(0),
                new Heal(),
                new Wait(52),
                new Kill(0),
                new Kill(1)),
            0.27,
            0.08),
        Arguments.of(
            "a re-sync's verified point went stale while the sequencer caught up",
            317805L,
            List.of(new Kill(2), new Partition(0, 2), new Restart(1), new Wait(980)),
            0.04,
            0.0),
        Arguments.of(
            "catch-up preferred a longer rival log over its own copy of an anchored batch",
            1L,
            List.of(new Kill(0), new Kill(1), new Wait(499), new Kill(4)),
            0.12,
            0.0),
        Arguments.of(
            "a deposed sequencer dropped the entries of its own anchoring still in flight",
            -54L,
            List.of(
                new Kill(0),
                new Kill(1),
                new Restart(2),
                new Wait(166),
                new Restart(3),
                new Restart(4)),
            0.13,
            0.0),
        Arguments.of(
            "followers dropped an anchored batch whose sequencer died before announcing it",
            144L,
            List.of(
                new Kill(0),
                new Partition(1, 2),
                new Restart(1),
                new Wait(347),
                new Restart(0),
                new Wait(91),
                new Kill(0),
                new Kill(4)),
            0.05,
            0.0),
        Arguments.of(
            "catch-up replaced entries past the source's anchor mark",
            0L,
            List.of(
                new Wait(427),
                new Kill(0),
                new Kill(0),
                new Kill(1),
                new Restart(0),
                new Kill(0),
                new Kill(0),
                new Wait(53),
                new Restart(0),
                new Wait(441),
                new Kill(0),
                new Kill(0),
                new Kill(4),
                new Restart(3),
                new Restart(1),
                new Restart(2),
                new Partition(1, 1),
                new Kill(2),
                new Wait(78),
                new Wait(283)),
            0.0,
            0.18),
        Arguments.of(
            "a chain check answered for a batch the node's mark had already moved past",
            -377L,
            List.of(
                new Partition(3, 2),
                new Wait(3074),
                new Kill(2),
                new Wait(1316),
                new Kill(1),
                new Kill(1),
                new Restart(1),
                new Kill(1),
                new Wait(50),
                new Restart(4),
                new Kill(1),
                new Kill(1),
                new Heal(),
                new Kill(1),
                new Wait(50),
                new Restart(3),
                new Kill(1),
                new Wait(55),
                new Restart(0)),
            0.22,
            0.0));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("schedules")
  void converges(String what, long seed, List<Action> schedule, double drop, double anchorFail) {
    SequencingPropertyTest.runAndCheck(seed, schedule, drop, anchorFail);
  }
}
