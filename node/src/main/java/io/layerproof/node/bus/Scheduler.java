package io.layerproof.node.bus;

import java.time.Duration;

/**
 * Time and task execution for one node's protocol code, injected so tests run in virtual time.
 * Tasks run one at a time, in time order, which is what lets election and sequencing be plain
 * single-threaded state machines.
 */
public interface Scheduler {
  /** Milliseconds on this scheduler's clock (virtual in tests). */
  long nowMillis();

  Cancellable schedule(Duration delay, Runnable task);

  /** Runs {@code task} as soon as possible, after the task that is running now. */
  default void execute(Runnable task) {
    schedule(Duration.ZERO, task);
  }
}
