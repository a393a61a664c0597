package io.layerproof.node.sequencing;

import io.layerproof.chain.event.NodeId;
import io.layerproof.node.election.Session;
import io.layerproof.node.sequencing.Anchoring.AnchoredBatch;
import io.layerproof.node.sequencing.SequencingMessage.AnchorProposal;
import io.layerproof.node.sequencing.SequencingMessage.EventLogPage;
import io.layerproof.node.sequencing.SequencingMessage.EventsIndexed;
import io.layerproof.node.sequencing.SequencingMessage.LogAck;
import io.layerproof.node.sequencing.SequencingMessage.RequestEventLog;
import io.layerproof.node.sequencing.SequencingMessage.SequencerHeartbeat;
import java.util.List;
import java.util.Optional;

/**
 * Keeps the local replica equal to the current sequencer's log. On a new session it re-syncs: pages
 * the sequencer's log from the last anchored entry, dropping its own provisional tail where the two
 * differ. Then it applies the live stream, fills gaps by paging with backoff, adopts the anchor
 * marks it can check, and acknowledges what it holds.
 *
 * <p>Before it drops any provisional entry it asks the chain whether the next batch is exactly its
 * entries: a sequencer can die between anchoring a batch and telling anyone, and then the entries
 * it acknowledged may be the only copies of an anchored batch. If so it adopts the mark instead,
 * refuses the differing log, and its acks (which carry the mark) make the sequencer catch up from
 * it.
 *
 * <p>It pins the batch the sequencer proposes to anchor next (once it holds its entries) and acks,
 * so the sequencer's transaction is sent only when the batch has copies that outlive it. A log that
 * conflicts with pinned entries is refused and makes the {@link PinWatch} ask the chain at once.
 */
final class Follower {
  private final Context ctx;
  private final LocalLog log;
  private final Anchoring chain;
  private final PinWatch pins;
  private final Backoff gapBackoff;
  private Session session;
  private long nextRequestAt;
  private AnchorMark pendingMark;
  private ProposedBatch pendingPin;

  /** Where our log may part from the sequencer's; requests start here until a page covers it. */
  private long resyncFrom = -1;

  /** A chain check is under way; entries arriving meanwhile are left for a later request. */
  private boolean checking;

  private long epoch;

  Follower(Context ctx, LocalLog log, Anchoring chain, PinWatch pins) {
    this.ctx = ctx;
    this.log = log;
    this.chain = chain;
    this.pins = pins;
    this.gapBackoff = ctx.config().gapRetry().create();
  }

  /** Starts following {@code s}: everything after the last anchored entry is re-checked. */
  void follow(Session s) {
    session = s;
    epoch++;
    checking = false;
    pendingMark = null;
    pendingPin = null;
    gapBackoff.reset();
    // From the last anchored entry itself: its hash tells at once whether the sequencer's log
    // extends our final history or contradicts it.
    resyncFrom = Math.max(0, log.anchoredThrough());
    request(resyncFrom, true);
  }

  void stop() {
    session = null;
    epoch++;
    checking = false;
  }

  boolean following(NodeId from) {
    return session != null && session.sequencer().equals(from);
  }

  void onIndexed(NodeId from, EventsIndexed m) {
    if (fromSequencer(from, m.session())) {
      merge(from, m.entries(), () -> {});
    }
  }

  void onPage(NodeId from, EventLogPage p) {
    if (!following(from)) {
      return; // an answer to a request made in another role or session
    }
    merge(from, p.entries(), () -> afterPage(from, p));
  }

  void onProposal(NodeId from, AnchorProposal p) {
    if (fromSequencer(from, p.session())) {
      considerPin(p.batch());
    }
  }

  void onHeartbeat(NodeId from, SequencerHeartbeat h) {
    if (!fromSequencer(from, h.session())) {
      return;
    }
    considerMark(h.mark());
    if (h.head() > log.head()) {
      request(log.head() + 1, false);
    } else if (h.head() < log.head()) {
      request(h.head() + 1, false); // we hold more than it: is our tail in its log at all?
    }
    ack();
  }

  /** Applies entries from the sequencer; {@code then} runs if they fitted our log. */
  private void merge(NodeId from, List<LogEntry> entries, Runnable then) {
    if (checking) {
      return;
    }
    MergeResult r = log.merge(entries, -1);
    if (r.status() == MergeResult.Status.WOULD_REPLACE) {
      checkChainThen(() -> handle(from, log.merge(entries), then));
      return;
    }
    handle(from, r, then);
  }

  private void handle(NodeId from, MergeResult r, Runnable then) {
    switch (r.status()) {
      case MERGED -> {
        if (r.appended() > 0) {
          gapBackoff.reset();
          nextRequestAt = 0;
        }
      }
      case GAP -> {
        request(r.nextIndex(), false);
        return;
      }
      case DIVERGED -> {
        // Back to the last anchored entry, even mid re-sync: what we verified may be stale, as a
        // sequencer that is itself still catching up can change its log under us.
        if (resyncFrom != r.nextIndex()) {
          ctx.reject(from, "log " + r.reason() + ": re-syncing from " + r.nextIndex());
          resyncFrom = r.nextIndex();
        }
        request(resyncFrom, false);
        return;
      }
      case CONFLICT_ANCHORED -> {
        ctx.reject(from, "sequencer log " + r.reason() + "; waiting for a sequencer that holds it");
        pins.check(); // a pinned batch that landed becomes our mark; one that lost lets go
        ack(); // carries our mark and pin: a sequencer behind them catches up from us
        return;
      }
      case INVALID -> {
        ctx.reject(from, "invalid log entries: " + r.reason());
        return;
      }
      case WOULD_REPLACE -> throw new IllegalStateException("merge with replacement allowed");
    }
    if (pendingMark != null) {
      considerMark(pendingMark);
    }
    if (pendingPin != null) {
      considerPin(pendingPin);
    }
    if (r.changed()) {
      ack();
    }
    then.run();
  }

  /** A page that fitted: keep paging, or note that we hold the sequencer's whole log. */
  private void afterPage(NodeId from, EventLogPage p) {
    gapBackoff.reset(); // a verified page is progress even when every entry was already ours
    nextRequestAt = 0;
    considerMark(p.mark());
    List<LogEntry> got = p.entries();
    long pageEnd = got.isEmpty() ? p.sinceIdx() - 1 : got.get(got.size() - 1).index();
    if (pageEnd < p.head()) {
      if (resyncFrom >= 0 && p.sinceIdx() <= resyncFrom) {
        resyncFrom = pageEnd; // verified up to here: a lost next page resumes from here
      }
      request(pageEnd + 1, true); // keep paging, also past entries we already held
      return;
    }
    resyncFrom = -1; // we now hold the sequencer's log as far as it goes
    if (log.head() > p.head()
        && log.hashAt(p.head()).map(h -> h.equals(p.headHash())).orElse(false)) {
      // Ours goes further, with equal entries up to its head: our extra entries came from
      // another session and are in no one's future, unless the chain took them.
      checkChainThen(() -> dropBeyond(from, p.head()));
    }
  }

  private void dropBeyond(NodeId from, long index) {
    if (log.dropProvisionalAfter(index)) {
      ack();
    } else {
      ctx.reject(from, "sequencer log ends at " + index + ", before our protected entries");
      pins.check();
      ack();
    }
  }

  /**
   * Runs {@code drop} (which may drop provisional entries) unless the chain's next batch is made of
   * exactly our entries; then adopts it as our anchor mark and checks the batch after it.
   */
  private void checkChainThen(Runnable drop) {
    checking = true;
    long e = epoch;
    long k = log.mark().map(m -> m.batchIndex() + 1).orElse(0L);
    chain
        .anchored(k)
        .whenComplete(
            (b, t) ->
                ctx.scheduler()
                    .execute(
                        () -> {
                          if (e != epoch) {
                            return; // another session meanwhile; it re-syncs from scratch
                          }
                          checking = false;
                          if (t != null) {
                            return; // chain unreachable: drop nothing; a later request retries
                          }
                          if (log.mark().map(m -> m.batchIndex() + 1).orElse(0L) != k) {
                            checkChainThen(drop); // our mark moved meanwhile: ask about the next
                          } else if (adoptIfOurs(k, b)) {
                            checkChainThen(drop);
                          } else {
                            drop.run();
                          }
                        }));
  }

  private boolean adoptIfOurs(long k, Optional<AnchoredBatch> batch) {
    if (batch.isEmpty()) {
      return false;
    }
    long first = log.anchoredThrough() + 1;
    long count = batch.get().eventCount();
    if (first + count - 1 > log.head() || count > Integer.MAX_VALUE) {
      return false;
    }
    List<LogEntry> ours = log.read(first, (int) count);
    if (!chain.root(ours).equals(batch.get().root())) {
      return false;
    }
    LogEntry last = ours.get(ours.size() - 1);
    return log.adoptMark(new AnchorMark(k, last.index(), last.chainHash(), batch.get().root()));
  }

  private void considerMark(AnchorMark m) {
    if (m == null) {
      return;
    }
    if (log.adoptMark(m) || log.mark().map(x -> x.batchIndex() >= m.batchIndex()).orElse(false)) {
      pendingMark = null;
    } else {
      pendingMark = m; // we do not hold its last entry yet
    }
  }

  /** Pins {@code p} and acks, or waits until its entries arrive. */
  private void considerPin(ProposedBatch p) {
    if (log.pin(p)) {
      pendingPin = null;
      ack();
    } else {
      pendingPin = log.mark().map(m -> m.batchIndex() >= p.batchIndex()).orElse(false) ? null : p;
    }
  }

  private boolean fromSequencer(NodeId from, Session claimed) {
    return following(from) && session.equals(claimed);
  }

  private void request(long since, boolean force) {
    if (resyncFrom >= 0) {
      since = Math.min(since, resyncFrom);
    }
    long now = ctx.now();
    if (!force && now < nextRequestAt) {
      return;
    }
    nextRequestAt = now + gapBackoff.next().toMillis();
    ctx.send(session.sequencer(), new RequestEventLog(since, ctx.config().pageSize()));
  }

  private void ack() {
    long batch = log.mark().map(AnchorMark::batchIndex).orElse(-1L);
    ctx.send(
        session.sequencer(),
        new LogAck(session, log.head(), log.stateHash(), batch, log.pinned().orElse(null)));
  }
}
