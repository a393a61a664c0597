package io.layerproof.node.bus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The real-time scheduler: one named thread, in order, surviving a failing task. */
class ExecutorSchedulerTest {
  @Test
  void runsTasksInOrderOnItsThreadAndSurvivesAFailingOne() throws Exception {
    List<String> ran = new CopyOnWriteArrayList<>();
    CountDownLatch done = new CountDownLatch(1);
    try (ExecutorScheduler s = new ExecutorScheduler("node-x")) {
      s.execute(() -> ran.add("a@" + Thread.currentThread().getName()));
      s.execute(
          () -> {
            throw new IllegalStateException("a handler bug");
          });
      s.schedule(Duration.ofMillis(1), () -> ran.add("b"));
      Cancellable never = s.schedule(Duration.ofMillis(1), () -> ran.add("cancelled"));
      never.cancel();
      s.schedule(Duration.ofMillis(5), done::countDown);
      assertTrue(done.await(30, TimeUnit.SECONDS));
    }
    assertEquals(List.of("a@node-x", "b"), ran);
  }
}
