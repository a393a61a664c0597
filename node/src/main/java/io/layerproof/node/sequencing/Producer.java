package io.layerproof.node.sequencing;

import io.layerproof.chain.event.NodeId;
import io.layerproof.node.bus.Cancellable;
import io.layerproof.node.sequencing.SequencingMessage.SubmitEvent;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.LongFunction;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Numbers this node's events and gets them into the log. An event is re-sent, with backoff, until
 * it shows up indexed in the local replica; it is kept until it is anchored, because until then a
 * new session may drop it with a losing provisional tail, and then it is sent again.
 */
public final class Producer implements LocalLog.Listener {
  private static final Logger log = LoggerFactory.getLogger(Producer.class);

  /** Most events re-sent in one retry round, smallest numbers first. */
  static final int RESEND_LIMIT = 64;

  private final ProducerId id;
  private final Context ctx;
  private final Supplier<Optional<NodeId>> sequencer;
  private final Backoff backoff;
  private final TreeMap<Long, Pending> outbox = new TreeMap<>();
  private long lastSeq;
  private long anchoredUpTo;
  private Cancellable timer;

  private static final class Pending {
    final ProducerEvent event;
    final LongFunction<byte[]> make; // re-creates the payload under another number; may be null
    long index = -1;

    Pending(ProducerEvent event, LongFunction<byte[]> make) {
      this.event = event;
      this.make = make;
    }
  }

  /**
   * @param lastSeq the producer's last number already in the log (0 for a new incarnation)
   */
  Producer(ProducerId id, long lastSeq, Context ctx, Supplier<Optional<NodeId>> sequencer) {
    this.id = id;
    this.lastSeq = lastSeq;
    this.ctx = ctx;
    this.sequencer = sequencer;
    this.backoff = ctx.config().producerRetry().create();
  }

  public ProducerId id() {
    return id;
  }

  /** Numbers {@code payload} and starts getting it indexed; returns its sequence number. */
  public long submit(byte[] payload) {
    byte[] copy = payload.clone();
    return enqueue(seq -> copy, false);
  }

  /**
   * Numbers an event whose payload states its own number (a signed ledger envelope): {@code make}
   * builds the payload for a given number, and is called again with a new number if the log turns
   * out to hold another event of ours under the first one (one signed before a restart and never
   * acknowledged, delivered late).
   */
  public long submit(LongFunction<byte[]> make) {
    return enqueue(make, true);
  }

  private long enqueue(LongFunction<byte[]> make, boolean renumberable) {
    long seq = lastSeq + 1;
    byte[] payload = make.apply(seq);
    if (payload.length > SequencingCodec.MAX_PAYLOAD_BYTES) {
      throw new IllegalArgumentException(
          "payload of " + payload.length + " bytes > " + SequencingCodec.MAX_PAYLOAD_BYTES);
    }
    lastSeq = seq;
    ProducerEvent e = new ProducerEvent(id, seq, payload);
    outbox.put(e.seq(), new Pending(e, renumberable ? make : null));
    sequencer.get().ifPresent(s -> ctx.send(s, new SubmitEvent(e)));
    if (timer == null) {
      arm(backoff.next());
    }
    return e.seq();
  }

  /**
   * Takes over an event of ours already in the log but not anchored (after a restart with the same
   * producer id): it stays pending until anchored and is re-sent if a re-sync drops it.
   */
  void adopt(LogEntry entry) {
    Pending p = new Pending(entry.event(), null);
    p.index = entry.index();
    outbox.put(entry.event().seq(), p);
    lastSeq = Math.max(lastSeq, entry.event().seq());
  }

  /** Highest number submitted so far (0 before the first). */
  public long lastSubmitted() {
    return lastSeq;
  }

  /** Every event up to this number is anchored (they anchor in order). */
  public long anchoredUpTo() {
    return anchoredUpTo;
  }

  /** Events not yet anchored. */
  public int pending() {
    return outbox.size();
  }

  /** A new sequencer: whatever is not indexed goes to it now. */
  void onNewSession() {
    backoff.reset();
    arm(Duration.ZERO);
  }

  @Override
  public void appended(LogEntry entry) {
    if (entry.event().producer().equals(id)) {
      long seq = entry.event().seq();
      Pending p = outbox.get(seq);
      if (p != null && !Arrays.equals(p.event.payload(), entry.event().payload())) {
        // Another event of ours holds this number: one from before a restart, delivered late.
        outbox.remove(seq);
        lastSeq = Math.max(lastSeq, seq);
        if (p.make != null) {
          long renumbered = enqueue(p.make, true);
          log.info(
              "{}: number {} was taken by an earlier event; re-sent as {}", id, seq, renumbered);
        } else {
          log.warn("{}: number {} was taken by an earlier event; event dropped", id, seq);
        }
        return;
      }
      lastSeq = Math.max(lastSeq, seq); // our own events from before a restart, seen in sync
      if (p != null) {
        p.index = entry.index();
        backoff.reset(); // progress: the next retry, if any is needed, comes soon
      }
    }
  }

  @Override
  public void truncated(long index) {
    boolean lost = false;
    for (Pending p : outbox.values()) {
      if (p.index > index) {
        p.index = -1;
        lost = true;
      }
    }
    if (lost) {
      backoff.reset();
      arm(Duration.ZERO);
    }
  }

  @Override
  public void anchored(AnchorMark mark) {
    while (!outbox.isEmpty()) {
      Pending first = outbox.firstEntry().getValue();
      if (first.index < 0 || first.index > mark.lastIndex()) {
        break;
      }
      anchoredUpTo = first.event.seq();
      outbox.pollFirstEntry();
    }
  }

  private void arm(Duration delay) {
    if (timer != null) {
      timer.cancel();
    }
    timer = ctx.scheduler().schedule(delay, this::retry);
  }

  private void retry() {
    timer = null;
    Optional<NodeId> to = sequencer.get();
    int sent = 0;
    boolean waiting = false;
    for (Pending p : outbox.values()) {
      if (p.index >= 0) {
        continue;
      }
      waiting = true;
      if (to.isPresent() && sent < RESEND_LIMIT) {
        ctx.send(to.get(), new SubmitEvent(p.event));
        sent++;
      }
    }
    if (waiting) {
      arm(backoff.next());
    }
  }
}
