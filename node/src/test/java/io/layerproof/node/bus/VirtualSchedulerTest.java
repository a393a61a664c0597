package io.layerproof.node.bus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class VirtualSchedulerTest {
  private final VirtualScheduler clock = new VirtualScheduler();
  private final List<String> ran = new ArrayList<>();

  @Test
  void runsTasksInTimeOrderAndSameInstantInSchedulingOrder() {
    clock.schedule(Duration.ofMillis(20), () -> ran.add("b@" + clock.nowMillis()));
    clock.schedule(Duration.ofMillis(10), () -> ran.add("a@" + clock.nowMillis()));
    clock.schedule(Duration.ofMillis(20), () -> ran.add("c@" + clock.nowMillis()));
    clock.runFor(Duration.ofMillis(15));
    assertEquals(List.of("a@10"), ran);
    assertEquals(15, clock.nowMillis());
    clock.runFor(Duration.ofMillis(100));
    assertEquals(List.of("a@10", "b@20", "c@20"), ran);
    assertEquals(115, clock.nowMillis());
  }

  @Test
  void cancelledTasksDoNotRun() {
    Cancellable c = clock.schedule(Duration.ofMillis(5), () -> ran.add("x"));
    c.cancel();
    clock.runFor(Duration.ofMillis(10));
    assertTrue(ran.isEmpty());
  }

  @Test
  void runUntilStopsTheClockWhenTheConditionFirstHolds() {
    clock.schedule(Duration.ofMillis(30), () -> ran.add("x"));
    clock.schedule(Duration.ofMillis(50), () -> ran.add("y"));
    assertTrue(clock.runUntil(() -> !ran.isEmpty(), Duration.ofSeconds(1)));
    assertEquals(30, clock.nowMillis());
    assertFalse(clock.runUntil(() -> ran.size() == 3, Duration.ofMillis(100)));
    assertEquals(130, clock.nowMillis());
  }

  @Test
  void scopedSchedulerSilencesItsTasksOnClose() {
    ScopedScheduler node = new ScopedScheduler(clock);
    node.schedule(Duration.ofMillis(5), () -> ran.add("node"));
    clock.schedule(Duration.ofMillis(5), () -> ran.add("other"));
    node.close();
    clock.runFor(Duration.ofMillis(10));
    assertEquals(List.of("other"), ran);
  }
}
