package io.layerproof.node.bus;

import java.time.Duration;

/**
 * One node's share of a scheduler: closing it silences every task the node scheduled, which is how
 * a simulated node is killed without its timers firing afterwards.
 */
public final class ScopedScheduler implements Scheduler, AutoCloseable {
  private final Scheduler delegate;
  private boolean closed;

  public ScopedScheduler(Scheduler delegate) {
    this.delegate = delegate;
  }

  @Override
  public long nowMillis() {
    return delegate.nowMillis();
  }

  @Override
  public Cancellable schedule(Duration delay, Runnable task) {
    return delegate.schedule(
        delay,
        () -> {
          if (!closed) {
            task.run();
          }
        });
  }

  public boolean isClosed() {
    return closed;
  }

  @Override
  public void close() {
    closed = true;
  }
}
