package io.layerproof.node.sequencing;

import io.layerproof.chain.event.Bytes32;
import io.layerproof.chain.event.NodeId;
import io.layerproof.node.bus.Cancellable;
import io.layerproof.node.bus.PeerView;
import io.layerproof.node.election.Session;
import io.layerproof.node.sequencing.SequencingMessage.AnchorProposal;
import io.layerproof.node.sequencing.SequencingMessage.EventLogPage;
import io.layerproof.node.sequencing.SequencingMessage.EventsIndexed;
import io.layerproof.node.sequencing.SequencingMessage.LogAck;
import io.layerproof.node.sequencing.SequencingMessage.RequestEventLog;
import io.layerproof.node.sequencing.SequencingMessage.SequencerHeartbeat;
import io.layerproof.node.sequencing.SequencingMessage.SubmitEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sequencer role of a node, engaged while the election names it.
 *
 * <ol>
 *   <li>Catch-up: ask every reachable peer for its log from our last anchored entry, take the one
 *       with the furthest anchor mark (then a pinned batch, then the longest), and page it in. A
 *       sequencer must start from the furthest history anyone holds, or its first batch would clash
 *       with the chain; a pinned batch may be on its way there.
 *   <li>Active: index submitted events (per producer in sequence order, each once), broadcast them,
 *       cut batches of N events or T time, and anchor them one at a time once enough followers hold
 *       them: propose the batch, and once enough followers pinned it, pin it here too and send the
 *       transaction, so a batch that lands after this node died still has live copies. A refused
 *       batch means our history lost: the node steps down.
 *   <li>Dormant: elected while known to be behind the chain with no peer able to bring it up to
 *       date (a cut-off minority). It sequences nothing until the next election.
 * </ol>
 */
final class Sequencer {
  private static final Logger log = LoggerFactory.getLogger(Sequencer.class);

  /** Times a catch-up page is asked for before catch-up settles for what it has. */
  static final int PAGE_ATTEMPTS = 5;

  enum Phase {
    IDLE,
    COLLECTING,
    PULLING,
    ACTIVE,
    DORMANT
  }

  /** What the sequencer needs from the rest of its node. */
  interface Hooks {
    long electionClock();

    /** Whether this node knows the chain holds batches its history lacks. */
    boolean stale();

    /** The chain refused {@code batchIndex}: another history is anchored. */
    void staleHistory(long batchIndex, String detail);
  }

  private final Context ctx;
  private final LocalLog ledger;
  private final PeerView view;
  private final Anchoring anchoring;
  private final PinWatch pins;
  private final Hooks hooks;
  private final ReorderBuffer buffer;
  private final Backoff anchorBackoff;
  private final Map<NodeId, Long> acked = new HashMap<>();

  private Phase phase = Phase.IDLE;
  private Session session;
  private long epoch;
  private Set<NodeId> awaiting = Set.of();
  private final Map<NodeId, EventLogPage> firstPages = new HashMap<>();
  private NodeId source;
  private int attempts;
  private Cancellable deadline;
  private Cancellable heartbeatTimer;
  private Cancellable waitTimer;
  private long batchOpenedAt = -1;
  private BatchCandidate inFlight;
  private ProposedBatch inFlightPin;
  private long minoritySince = -1;

  /** The batch proposed and not yet sent, its pin, and the followers that pinned it. */
  private BatchCandidate proposed;

  private ProposedBatch proposal;
  private boolean needPins;
  private final Set<NodeId> pinnedBy = new HashSet<>();

  /** The last follower pin that sent us to catch up, so one pin does not do it twice. */
  private ProposedBatch chasedPin;

  Sequencer(
      Context ctx,
      LocalLog ledger,
      PeerView view,
      Anchoring anchoring,
      PinWatch pins,
      Hooks hooks) {
    this.ctx = ctx;
    this.ledger = ledger;
    this.view = view;
    this.anchoring = anchoring;
    this.pins = pins;
    this.hooks = hooks;
    this.buffer = new ReorderBuffer(ctx.config().reorderLimit());
    this.anchorBackoff = ctx.config().anchorRetry().create();
    onPeerChange();
  }

  Phase phase() {
    return phase;
  }

  boolean engaged() {
    return phase != Phase.IDLE;
  }

  boolean active() {
    return phase == Phase.ACTIVE;
  }

  void activate(Session s) {
    deactivate();
    session = s;
    phase = Phase.COLLECTING;
    firstPages.clear();
    awaiting = new TreeSet<>(view.peers());
    if (awaiting.isEmpty()) {
      finishCatchUp();
      return;
    }
    for (NodeId peer : awaiting) {
      ctx.send(peer, firstRequest());
    }
    deadline = after(ctx.config().catchUpTimeout(), this::chooseSource);
  }

  void deactivate() {
    phase = Phase.IDLE;
    epoch++; // every timer of the previous engagement now does nothing
    session = null;
    deadline = null;
    heartbeatTimer = null;
    waitTimer = null;
    buffer.clear();
    acked.clear();
    batchOpenedAt = -1;
    clearProposal(); // its pins stay until the chain decides the batch
    // An anchoring in flight is left to finish: its outcome is a fact about the chain.
  }

  /** The reachable set changed: track since when this side lacks a majority. */
  void onPeerChange() {
    if (view.seesMajority()) {
      minoritySince = -1;
      tryAnchor();
    } else if (minoritySince < 0) {
      minoritySince = ctx.now();
    }
  }

  /** Returns whether the page was ours to handle (an answer to a catch-up request). */
  boolean onPage(NodeId from, EventLogPage page) {
    if (phase == Phase.COLLECTING && awaiting.contains(from)) {
      firstPages.put(from, page);
      awaiting.remove(from);
      if (awaiting.isEmpty()) {
        chooseSource();
      }
      return true;
    }
    if (phase == Phase.PULLING && from.equals(source)) {
      pull(page);
      return true;
    }
    return false;
  }

  void onSubmit(NodeId from, SubmitEvent m) {
    if (phase != Phase.ACTIVE) {
      return; // not (yet, or any more) sequencing: the producer retries, maybe elsewhere
    }
    ProducerEvent e = m.event();
    if (!e.producer().node().equals(from)) {
      ctx.reject(from, "submitted an event of producer " + e.producer());
      return;
    }
    if (e.seq() <= ledger.lastSeq(e.producer())) {
      return; // already indexed: a retry that crossed our EventsIndexed
    }
    String problem = ledger.format().problem(e);
    if (problem != null) {
      ctx.reject(from, "event " + e + " refused: " + problem);
      return;
    }
    List<ProducerEvent> ready = new ArrayList<>();
    ReorderBuffer.Offer offer = buffer.offer(e, ledger.lastSeq(e.producer()), ready);
    if (offer == ReorderBuffer.Offer.OVERFLOW) {
      ctx.reject(from, "event " + e + " too far ahead of its producer's next number");
    }
    if (ready.isEmpty()) {
      return;
    }
    List<LogEntry> entries = new ArrayList<>(ready.size());
    for (ProducerEvent r : ready) {
      try {
        entries.add(ledger.appendNext(r));
      } catch (IllegalArgumentException refused) {
        // The store refused it (say, an event id already in the log under another number): the
        // producer's later events wait behind this hole; only a faulty author does this.
        ctx.reject(from, "event " + r + " refused by the log: " + refused.getMessage());
        break;
      }
    }
    if (entries.isEmpty()) {
      return;
    }
    for (int i = 0; i < entries.size(); i += SequencingCodec.MAX_ENTRIES) {
      List<LogEntry> chunk =
          entries.subList(i, Math.min(entries.size(), i + SequencingCodec.MAX_ENTRIES));
      ctx.publish(new EventsIndexed(session, chunk));
    }
    openBatch();
    tryAnchor();
  }

  void onAck(NodeId from, LogAck a) {
    if (phase != Phase.ACTIVE || !a.session().equals(session)) {
      return;
    }
    if (a.anchoredBatch() > markBatch(ledger.mark().orElse(null))) {
      // A follower holds anchored history we lack: our log is behind the chain. Catch up
      // again before indexing anything more (what we indexed since is provisional anyway).
      log.info(
          "{} is behind {}'s anchored batch {}: catching up", ctx.self(), from, a.anchoredBatch());
      activate(session);
      return;
    }
    ProposedBatch pin = a.pin();
    if (pin != null && proposal != null && pin.covers(proposal) && holds(pin)) {
      pinnedBy.add(from);
    } else if (pin != null
        && pin.batchIndex() > markBatch(ledger.mark().orElse(null))
        && !holds(pin)
        && ledger.pinned().isEmpty()
        && !pin.equals(chasedPin)) {
      // It keeps a batch we lack that may land on chain: take that history before we propose a
      // rival one it would refuse (catch-up prefers pinned logs).
      chasedPin = pin;
      log.info("{} lacks {}'s pinned batch {}: catching up", ctx.self(), from, pin.batchIndex());
      activate(session);
      return;
    }
    if (ledger.hashAt(a.head()).map(h -> h.equals(a.headHash())).orElse(false)) {
      acked.merge(from, a.head(), Math::max);
    }
    tryAnchor();
  }

  private RequestEventLog firstRequest() {
    return new RequestEventLog(Math.max(0, ledger.anchoredThrough()), ctx.config().pageSize());
  }

  private void chooseSource() {
    if (phase != Phase.COLLECTING) {
      return;
    }
    cancelDeadline();
    NodeId best = null;
    AnchorMark ours = ledger.mark().orElse(null);
    long[] bestKey = {markBatch(ours), pinBatch(ours, ledger.pinned().orElse(null)), ledger.head()};
    for (Map.Entry<NodeId, EventLogPage> e : firstPages.entrySet()) {
      EventLogPage p = e.getValue();
      long[] key = {markBatch(p.mark()), pinBatch(p.mark(), p.pin()), p.head()};
      if (Arrays.compare(key, bestKey) > 0) {
        best = e.getKey();
        bestKey = key;
      }
    }
    if (best == null) {
      finishCatchUp();
      return;
    }
    source = best;
    phase = Phase.PULLING;
    pull(firstPages.get(best));
  }

  /** Asks the source for the page at {@code since}, again if the answer does not come. */
  private void requestPage(long since) {
    if (phase != Phase.PULLING) {
      return;
    }
    if (++attempts > PAGE_ATTEMPTS) {
      log.info("{} gives up catching up from {} at {}", ctx.self(), source, since);
      finishCatchUp();
      return;
    }
    ctx.send(source, new RequestEventLog(since, ctx.config().pageSize()));
    deadline = after(ctx.config().catchUpTimeout(), () -> requestPage(since));
  }

  private void pull(EventLogPage page) {
    cancelDeadline();
    // Only the source's anchor mark proves its history, and only up to the mark: our differing
    // entries there cannot be anchored. Past it, ours may be what the chain took from a
    // sequencer that died before saying so (possibly this node before a restart), so there we
    // only take an extension of our log; our first batch then tells whether the chain has ours.
    // Its pinned batch may be landing: ours there is not (we would have pinned it), so take it.
    long proven = page.mark() == null ? -1 : page.mark().lastIndex();
    if (pinBatch(page.mark(), page.pin()) >= 0) {
      proven = Math.max(proven, page.pin().lastIndex());
    }
    MergeResult r = ledger.merge(page.entries(), proven);
    if (r.status() == MergeResult.Status.WOULD_REPLACE) {
      finishCatchUp(); // its log parts from ours at an equal mark: keep ours
      return;
    }
    if (r.status() == MergeResult.Status.CONFLICT_ANCHORED
        || r.status() == MergeResult.Status.DIVERGED
        || r.status() == MergeResult.Status.INVALID) {
      ctx.reject(source, "catch-up log unusable: " + r.reason());
      pins.check(); // if our pin is what blocked it, the chain may have decided it
      finishCatchUp();
      return;
    }
    ledger.adoptMark(page.mark());
    List<LogEntry> got = page.entries();
    long pageEnd = got.isEmpty() ? -1 : got.get(got.size() - 1).index();
    if (r.status() == MergeResult.Status.MERGED && pageEnd >= 0 && pageEnd < page.head()) {
      attempts = 0;
      requestPage(pageEnd + 1);
      return;
    }
    finishCatchUp();
  }

  private void finishCatchUp() {
    if (phase != Phase.COLLECTING && phase != Phase.PULLING) {
      return;
    }
    cancelDeadline();
    if (hooks.stale()) {
      phase = Phase.DORMANT;
      log.info(
          "{} elected but its history is behind the chain and no peer holds more: not sequencing",
          ctx.self());
      return;
    }
    phase = Phase.ACTIVE;
    buffer.clear();
    acked.clear();
    anchorBackoff.reset();
    batchOpenedAt = -1;
    heartbeat();
    openBatch();
    tryAnchor();
  }

  private void heartbeat() {
    if (phase != Phase.ACTIVE) {
      return;
    }
    ctx.publish(
        new SequencerHeartbeat(
            session,
            hooks.electionClock(),
            ledger.head(),
            ledger.stateHash(),
            ledger.mark().orElse(null)));
    if (proposal != null && inFlight == null) {
      ctx.publish(new AnchorProposal(session, proposal)); // until enough followers pinned it
    }
    if (heartbeatTimer != null) {
      heartbeatTimer.cancel();
    }
    heartbeatTimer = after(ctx.config().heartbeatInterval(), this::heartbeat);
  }

  /** Starts the batch clock when there are unanchored entries and it is not running. */
  private void openBatch() {
    if (batchOpenedAt < 0 && ledger.head() > ledger.anchoredThrough()) {
      batchOpenedAt = ctx.now();
      after(ctx.config().batchMaxAge(), this::tryAnchor);
    }
  }

  private void tryAnchor() {
    if (phase != Phase.ACTIVE || inFlight != null) {
      return;
    }
    if (proposed == null && !propose()) {
      return;
    }
    if (needPins && pinnedBy.size() < need()) {
      return; // a pinning ack calls again; heartbeats re-send the proposal meanwhile
    }
    if (minorityWaits()) {
      return;
    }
    // Pinned here only now: an unsent proposal cannot land, so it need not hold our log back.
    if (needPins && !ledger.pin(proposal)) {
      log.warn("{} could not pin its batch {}", ctx.self(), proposal.batchIndex());
      clearProposal();
      return;
    }
    BatchCandidate batch = proposed;
    inFlight = batch;
    inFlightPin = proposal;
    try {
      anchoring
          .anchor(batch)
          .whenComplete(
              (r, t) ->
                  ctx.scheduler()
                      .execute(
                          () ->
                              onAnchored(
                                  batch, r != null ? r : AnchorResult.failed(String.valueOf(t)))));
    } catch (RuntimeException e) {
      ctx.scheduler().execute(() -> onAnchored(batch, AnchorResult.failed(e.toString())));
    }
  }

  /**
   * Cuts the next batch if it is due, enough followers hold it and a minority may anchor, and
   * proposes it to the followers. Returns whether there is a proposal.
   */
  private boolean propose() {
    SequencingConfig cfg = ctx.config();
    long start = ledger.anchoredThrough() + 1;
    long end = Math.min(ledger.head(), start + cfg.batchMaxEvents() - 1);
    if (end < start) {
      return false;
    }
    boolean full = end - start + 1 >= cfg.batchMaxEvents();
    boolean aged = batchOpenedAt >= 0 && ctx.now() - batchOpenedAt >= cfg.batchMaxAge().toMillis();
    if (!full && !aged) {
      return false;
    }
    long holders = acked.values().stream().filter(h -> h >= end).count();
    if (holders < need() || minorityWaits()) {
      return false; // an ack or the wait calls again; a minority's pins would stall the majority
    }
    AnchorMark mark = ledger.mark().orElse(null);
    BatchCandidate batch =
        new BatchCandidate(
            markBatch(mark) + 1,
            mark == null ? Bytes32.ZERO : mark.root(),
            ledger.read(start, (int) (end - start + 1)));
    LogEntry last = batch.entries().get(batch.entries().size() - 1);
    ProposedBatch p =
        new ProposedBatch(
            batch.batchIndex(), start, end, last.chainHash(), anchoring.root(batch.entries()));
    // A pin on a later batch means someone proposed it on top of this one, which is therefore
    // anchored already: sending it only confirms that, so no pins are needed.
    boolean decided = ledger.pinned().map(q -> q.batchIndex() > p.batchIndex()).orElse(false);
    proposed = batch;
    proposal = p;
    needPins = !decided;
    pinnedBy.clear();
    ctx.publish(new AnchorProposal(session, p));
    return true;
  }

  /** Whether this side lacks a majority and must still hold its batches back (then retries). */
  private boolean minorityWaits() {
    if (view.seesMajority()) {
      return false;
    }
    long readyAt = minoritySince + ctx.config().minorityAnchorDelay().toMillis();
    if (ctx.now() >= readyAt) {
      return false;
    }
    waitThen(Duration.ofMillis(readyAt - ctx.now()));
    return true;
  }

  private void clearProposal() {
    proposed = null;
    proposal = null;
    pinnedBy.clear();
  }

  /** Followers that must hold (and pin) a batch before it is sent. */
  private int need() {
    return Math.min(ctx.config().minAcks(), Math.max(0, ctx.membership().size() - 1));
  }

  private boolean holds(ProposedBatch p) {
    return ledger.hashAt(p.lastIndex()).map(h -> h.equals(p.lastHash())).orElse(false);
  }

  private void onAnchored(BatchCandidate batch, AnchorResult r) {
    inFlight = null;
    ProposedBatch sent = inFlightPin;
    inFlightPin = null;
    if (batch == proposed) {
      clearProposal(); // after a failure the batch is cut and proposed again (maybe longer)
    }
    switch (r.outcome()) {
      case ANCHORED -> {
        LogEntry last = batch.entries().get(Math.min(r.eventCount(), batch.entries().size()) - 1);
        ledger.adoptMark(
            new AnchorMark(batch.batchIndex(), last.index(), last.chainHash(), r.root()));
        if (phase == Phase.ACTIVE) {
          anchorBackoff.reset();
          batchOpenedAt = -1;
          heartbeat(); // tell followers at once: their producers wait for it
          openBatch();
          tryAnchor();
        }
      }
      case FAILED -> {
        log.warn("{} could not anchor batch {}: {}", ctx.self(), batch.batchIndex(), r.detail());
        if (phase == Phase.ACTIVE) {
          waitThen(anchorBackoff.next());
        }
      }
      case REJECTED_STALE_HISTORY -> {
        log.warn(
            "{} batch {} refused by the chain: {}", ctx.self(), batch.batchIndex(), r.detail());
        ledger.releasePin(sent); // the chain holds another batch there
        hooks.staleHistory(batch.batchIndex(), r.detail());
      }
    }
  }

  /** Retries anchoring after {@code delay}; one such wait at a time. */
  private void waitThen(Duration delay) {
    if (waitTimer != null) {
      waitTimer.cancel();
    }
    waitTimer = after(delay, this::tryAnchor);
  }

  /** Runs {@code task} after {@code delay} unless the role was left or re-entered meanwhile. */
  private Cancellable after(Duration delay, Runnable task) {
    long e = epoch;
    return ctx.scheduler()
        .schedule(
            delay,
            () -> {
              if (e == epoch) {
                task.run();
              }
            });
  }

  private void cancelDeadline() {
    if (deadline != null) {
      deadline.cancel();
      deadline = null;
    }
  }

  private static long markBatch(AnchorMark m) {
    return m == null ? -1 : m.batchIndex();
  }

  /** The batch a page's pin keeps, if it is past its mark (-1 otherwise). */
  private static long pinBatch(AnchorMark m, ProposedBatch pin) {
    return pin == null || pin.batchIndex() <= markBatch(m) ? -1 : pin.batchIndex();
  }
}
