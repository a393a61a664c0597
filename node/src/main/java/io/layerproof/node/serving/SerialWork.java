package io.layerproof.node.serving;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;

/**
 * One named daemon thread for a server's work, off the network's event loops: what it guards needs
 * no locks, requests run in arrival order, and a failed request is logged here (the requester only
 * sees its stream reset).
 */
public final class SerialWork implements AutoCloseable {

  private final ScheduledExecutorService thread;
  private final Logger log;

  public SerialWork(String threadName, Logger log) {
    this.log = log;
    this.thread =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, threadName);
              t.setDaemon(true);
              return t;
            });
  }

  /**
   * Runs {@code work} on the thread; a failure is logged as {@code what} failed. Once closed, the
   * future fails at once.
   */
  public <T> CompletableFuture<T> submit(String what, Supplier<T> work) {
    try {
      return CompletableFuture.supplyAsync(work, thread)
          .whenComplete(
              (r, e) -> {
                if (e != null) {
                  log.info("{} failed: {}", what, e.getMessage());
                }
              });
    } catch (RejectedExecutionException e) {
      return CompletableFuture.failedFuture(new IllegalStateException("closed"));
    }
  }

  /** Runs {@code work} on the thread and waits for it (never call from the thread itself). */
  public <T> T call(Supplier<T> work) {
    return CompletableFuture.supplyAsync(work, thread).join();
  }

  /** Runs {@code task} on the thread every {@code period}. */
  public void every(Duration period, Runnable task) {
    long ms = Math.max(1, period.toMillis());
    thread.scheduleWithFixedDelay(task, ms, ms, TimeUnit.MILLISECONDS);
  }

  /** Runs {@code last} on the thread after what is queued, then stops (waiting up to 10 s). */
  public void close(Runnable last) {
    try {
      thread.execute(last);
    } catch (RejectedExecutionException alreadyClosed) {
      return;
    }
    close();
  }

  @Override
  public void close() {
    thread.shutdown();
    try {
      thread.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
