package io.layerproof.chain.ledger;

import io.layerproof.chain.event.EventRejectedException;
import io.layerproof.chain.event.VerifiedEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Group commit: many producers submit, one writer thread drains whatever is queued (up to {@code
 * maxGroup}) into a single fsynced {@link EventLog#appendAll}, then completes each producer's
 * future. A future completes only after the write that holds its event is synced, so an
 * acknowledgement is never ahead of the disk; under load one fsync covers hundreds of events.
 *
 * <p>Verify before submitting ({@code EnvelopeVerifier}, on the producer's thread): the writer does
 * only what needs the log, so verification scales with the producers' threads.
 *
 * <p>While idle the writer seals batches that reached the policy's age ({@link
 * EventLog#sealIfDue}).
 */
public final class GroupCommitAppender implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(GroupCommitAppender.class);

  private record Pending(VerifiedEvent event, CompletableFuture<IndexedEvent> done) {}

  private final EventLog ledger;
  private final int maxGroup;
  private final long idleTickMillis;
  private final BlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
  private final Thread writer;
  private volatile boolean closing;

  /**
   * @param maxGroup most events per synced write
   * @param idleTick how often an idle writer checks the batch age rule
   */
  public GroupCommitAppender(EventLog ledger, int maxGroup, Duration idleTick) {
    if (maxGroup <= 0) {
      throw new IllegalArgumentException("maxGroup must be > 0");
    }
    this.ledger = ledger;
    this.maxGroup = maxGroup;
    this.idleTickMillis = Math.max(1, idleTick.toMillis());
    this.writer = new Thread(this::run, "ledger-group-commit");
    this.writer.setDaemon(true);
    this.writer.start();
  }

  public GroupCommitAppender(EventLog ledger) {
    this(ledger, 4096, Duration.ofMillis(100));
  }

  /**
   * Queues a verified event. The future completes with its index once durable, or exceptionally
   * with an {@link EventRejectedException} (duplicate id, sequence out of order) or a {@link
   * LedgerException} (the write failed: not stored).
   */
  public CompletableFuture<IndexedEvent> submit(VerifiedEvent event) {
    CompletableFuture<IndexedEvent> done = new CompletableFuture<>();
    if (closing) {
      done.completeExceptionally(new IllegalStateException("the appender is closed"));
      return done;
    }
    queue.add(new Pending(event, done));
    if (closing && !writer.isAlive()) {
      failRemaining(new IllegalStateException("the appender is closed")); // raced with close()
    }
    return done;
  }

  private void run() {
    List<Pending> group = new ArrayList<>(maxGroup);
    while (!closing || !queue.isEmpty()) {
      try {
        Pending first = queue.poll(idleTickMillis, TimeUnit.MILLISECONDS);
        if (first == null) {
          ledger.sealIfDue();
          continue;
        }
        group.add(first);
        queue.drainTo(group, maxGroup - 1);
        write(group);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      } catch (RuntimeException e) {
        log.error("ledger group commit: {}", e.toString());
      } finally {
        group.clear();
      }
    }
    failRemaining(
        new IllegalStateException("the appender was closed before this event was written"));
  }

  private void write(List<Pending> group) {
    List<VerifiedEvent> events = new ArrayList<>(group.size());
    group.forEach(p -> events.add(p.event()));
    List<AppendResult> results;
    try {
      results = ledger.appendAll(events);
    } catch (RuntimeException failure) {
      group.forEach(p -> p.done().completeExceptionally(failure));
      throw failure;
    }
    for (int i = 0; i < group.size(); i++) {
      AppendResult r = results.get(i);
      if (r instanceof AppendResult.Appended a) {
        group.get(i).done().complete(a.event());
      } else {
        group
            .get(i)
            .done()
            .completeExceptionally(
                new EventRejectedException(((AppendResult.Rejected) r).rejection()));
      }
    }
  }

  private void failRemaining(RuntimeException why) {
    for (Pending p; (p = queue.poll()) != null; ) {
      p.done().completeExceptionally(why);
    }
  }

  /** Writes what is queued, then stops the writer. */
  @Override
  public void close() {
    closing = true;
    try {
      writer.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    failRemaining(new IllegalStateException("the appender is closed"));
  }
}
