package io.layerproof.node.bus;

import java.time.Duration;
import java.util.PriorityQueue;
import java.util.function.BooleanSupplier;

/**
 * A scheduler on a virtual clock: time moves only when tests run it, tasks at the same instant run
 * in the order they were scheduled. With a seeded network on top, a whole simulated cluster is
 * deterministic and a minute of protocol time takes milliseconds.
 */
public final class VirtualScheduler implements Scheduler {
  private final PriorityQueue<Task> queue = new PriorityQueue<>();
  private long now;
  private long sequence;

  @Override
  public long nowMillis() {
    return now;
  }

  @Override
  public Cancellable schedule(Duration delay, Runnable task) {
    long millis = Math.max(0, delay.toMillis());
    Task t = new Task(now + millis, sequence++, task);
    queue.add(t);
    return () -> t.cancelled = true;
  }

  /** Runs every task due within {@code duration} from now; the clock ends exactly there. */
  public void runFor(Duration duration) {
    long end = now + duration.toMillis();
    while (!queue.isEmpty() && queue.peek().at <= end) {
      runNext();
    }
    now = end;
  }

  /**
   * Runs tasks until {@code condition} holds (checked after each task) or {@code timeout} of
   * virtual time passed. Returns whether it holds; the clock stops at the moment it first held.
   */
  public boolean runUntil(BooleanSupplier condition, Duration timeout) {
    long end = now + timeout.toMillis();
    if (condition.getAsBoolean()) {
      return true;
    }
    while (!queue.isEmpty() && queue.peek().at <= end) {
      runNext();
      if (condition.getAsBoolean()) {
        return true;
      }
    }
    now = end;
    return condition.getAsBoolean();
  }

  private void runNext() {
    Task t = queue.poll();
    now = Math.max(now, t.at);
    if (!t.cancelled) {
      t.runnable.run();
    }
  }

  private static final class Task implements Comparable<Task> {
    final long at;
    final long seq;
    final Runnable runnable;
    boolean cancelled;

    Task(long at, long seq, Runnable runnable) {
      this.at = at;
      this.seq = seq;
      this.runnable = runnable;
    }

    @Override
    public int compareTo(Task o) {
      return at != o.at ? Long.compare(at, o.at) : Long.compare(seq, o.seq);
    }
  }
}
