package io.layerproof.p2p.pubsub;

/**
 * Time and timers for the router. Tasks must run on the router's single executor; tests pass a
 * virtual clock that runs them in time order, with no threads.
 */
public interface Scheduler {

  long nowMillis();

  Cancellable schedule(Runnable task, long delayMillis);

  /** A scheduled task that can be called off. */
  interface Cancellable {
    void cancel();
  }
}
