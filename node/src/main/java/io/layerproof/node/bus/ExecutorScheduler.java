package io.layerproof.node.bus;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Real time on one thread: the production counterpart of {@link VirtualScheduler}. */
public final class ExecutorScheduler implements Scheduler, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ExecutorScheduler.class);

  private final ScheduledExecutorService executor;

  public ExecutorScheduler(String threadName) {
    this.executor =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, threadName);
              t.setDaemon(true);
              return t;
            });
  }

  @Override
  public long nowMillis() {
    // Monotonic: timeouts must not jump with wall-clock adjustments.
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime());
  }

  @Override
  public Cancellable schedule(Duration delay, Runnable task) {
    ScheduledFuture<?> f =
        executor.schedule(
            () -> runLogged(task), Math.max(0, delay.toMillis()), TimeUnit.MILLISECONDS);
    return () -> f.cancel(false);
  }

  private static void runLogged(Runnable task) {
    try {
      task.run();
    } catch (RuntimeException e) {
      // One failing handler must not stop the node's protocol thread.
      log.error("scheduled task failed", e);
    }
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }
}
