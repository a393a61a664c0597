package io.layerproof.node.sequencing;

import io.layerproof.node.bus.Cancellable;
import io.layerproof.node.sequencing.Anchoring.AnchoredBatch;
import java.util.List;
import java.util.Optional;

/**
 * While this node holds a pin, asks the chain how the pinned batch ended, in any role: anchored
 * with our entries (they become the anchor mark, which catch-up prefers) or with others (the pin is
 * released, so a re-sync may drop them); not yet anchored keeps the pin. It asks at once when a
 * conflicting log arrives, otherwise with the anchor-retry backoff, so a pin whose transaction
 * never lands costs one read every few seconds.
 */
final class PinWatch implements LocalLog.Listener {
  private final Context ctx;
  private final LocalLog log;
  private final Anchoring chain;
  private final Backoff backoff;
  private boolean asking;
  private Cancellable timer;

  PinWatch(Context ctx, LocalLog log, Anchoring chain) {
    this.ctx = ctx;
    this.log = log;
    this.chain = chain;
    this.backoff = ctx.config().anchorRetry().create();
  }

  /** Starts watching a pin kept from before a restart. */
  void start() {
    log.pinned().ifPresent(this::pinned);
  }

  @Override
  public void pinned(ProposedBatch pin) {
    backoff.reset();
    if (timer != null) {
      timer.cancel();
    }
    timer = ctx.scheduler().schedule(backoff.next(), this::tick);
  }

  /** Asks the chain now, unless a question is already out or nothing is pinned. */
  void check() {
    Optional<ProposedBatch> pin = log.pinned();
    if (asking || pin.isEmpty()) {
      return;
    }
    asking = true;
    ProposedBatch asked = pin.get();
    try {
      chain
          .anchored(asked.batchIndex())
          .whenComplete(
              (b, t) ->
                  ctx.scheduler()
                      .execute(
                          () -> {
                            asking = false;
                            if (t == null) {
                              settle(asked, b);
                            }
                          }));
    } catch (RuntimeException e) {
      asking = false; // chain unreachable: the timer asks again
    }
  }

  private void tick() {
    timer = null;
    if (log.pinned().isEmpty()) {
      return;
    }
    check();
    timer = ctx.scheduler().schedule(backoff.next(), this::tick);
  }

  private void settle(ProposedBatch asked, Optional<AnchoredBatch> onChain) {
    if (onChain.isEmpty() || !log.pinned().map(asked::equals).orElse(false)) {
      return; // still in flight (or the pin changed meanwhile: the timer asks about the new one)
    }
    AnchoredBatch b = onChain.get();
    // The chain may hold our entries cut differently (a retry, or another sequencer's cut of the
    // same history): ours iff its root is that of our entries from the batch's first index.
    long last = asked.firstIndex() + b.eventCount() - 1;
    if (b.eventCount() > 0 && b.eventCount() <= Integer.MAX_VALUE && last <= log.head()) {
      List<LogEntry> ours = log.read(asked.firstIndex(), (int) b.eventCount());
      if (ours.size() == b.eventCount() && chain.root(ours).equals(b.root())) {
        LogEntry end = ours.get(ours.size() - 1);
        log.adoptMark(new AnchorMark(asked.batchIndex(), end.index(), end.chainHash(), b.root()));
        log.releasePin(asked); // no-op if the mark took it
        return;
      }
    }
    log.releasePin(asked);
  }
}
