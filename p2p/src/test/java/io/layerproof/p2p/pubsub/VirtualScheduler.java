package io.layerproof.p2p.pubsub;

import java.util.PriorityQueue;

/** A deterministic clock: tasks run in (time, insertion) order when the test advances time. */
final class VirtualScheduler implements Scheduler {

  private static final class Task implements Cancellable {
    final long at;
    final long seq;
    final Runnable body;
    boolean cancelled;

    Task(long at, long seq, Runnable body) {
      this.at = at;
      this.seq = seq;
      this.body = body;
    }

    @Override
    public void cancel() {
      cancelled = true;
    }
  }

  private final PriorityQueue<Task> queue =
      new PriorityQueue<>(
          (a, b) -> a.at != b.at ? Long.compare(a.at, b.at) : Long.compare(a.seq, b.seq));
  private long now;
  private long seq;

  @Override
  public long nowMillis() {
    return now;
  }

  @Override
  public Cancellable schedule(Runnable task, long delayMillis) {
    Task t = new Task(now + Math.max(0, delayMillis), seq++, task);
    queue.add(t);
    return t;
  }

  void advance(long millis) {
    long until = now + millis;
    while (!queue.isEmpty() && queue.peek().at <= until) {
      Task t = queue.poll();
      now = t.at;
      if (!t.cancelled) {
        t.body.run();
      }
    }
    now = until;
  }
}
