package io.layerproof.node.sequencing;

import io.layerproof.chain.event.Bytes32;
import io.layerproof.chain.event.NodeId;
import io.layerproof.node.bus.Bus;
import io.layerproof.node.bus.Inbound;
import io.layerproof.node.bus.MalformedMessageException;
import io.layerproof.node.bus.Membership;
import io.layerproof.node.bus.PeerView;
import io.layerproof.node.bus.Rejections;
import io.layerproof.node.bus.Scheduler;
import io.layerproof.node.bus.Topic;
import io.layerproof.node.election.ElectionResult;
import io.layerproof.node.election.ElectionService;
import io.layerproof.node.election.Session;
import io.layerproof.node.sequencing.SequencingMessage.AnchorProposal;
import io.layerproof.node.sequencing.SequencingMessage.EventLogPage;
import io.layerproof.node.sequencing.SequencingMessage.EventsIndexed;
import io.layerproof.node.sequencing.SequencingMessage.LogAck;
import io.layerproof.node.sequencing.SequencingMessage.RequestEventLog;
import io.layerproof.node.sequencing.SequencingMessage.SequencerHeartbeat;
import io.layerproof.node.sequencing.SequencingMessage.SubmitEvent;
import java.util.List;
import java.util.Optional;

/**
 * Event routing for one node: wires its replica ({@link LocalLog}, with its mark and pin kept in a
 * {@link SequencingStore}), the {@link Follower}, the {@link Sequencer} role, the {@link PinWatch}
 * and its {@link Producer} to the bus and to the election. The election decides who sequences; this
 * reacts to each result, serves {@code RequestEventLog} to anyone, and turns a refused batch into a
 * step-down.
 */
public final class SequencingNode {
  public static final Topic TOPIC = Topic.of("layerproof/sequencing/1");

  private final Context ctx;
  private final ElectionService election;
  private final LocalLog log;
  private final PeerView view;
  private final Follower follower;
  private final Sequencer sequencer;
  private final PinWatch pins;
  private Producer producer;
  private Session current;
  private long staleBatch = -1;

  public SequencingNode(
      Bus bus,
      Scheduler scheduler,
      Membership membership,
      ElectionService election,
      OrderedLog store,
      SequencingStore state,
      EventFormat format,
      Anchoring anchoring,
      SequencingConfig config,
      Rejections rejections) {
    this.ctx = new Context(bus, scheduler, membership, config, rejections);
    this.election = election;
    this.log = new LocalLog(store, state, format);
    this.view = new PeerView(bus.self(), membership);
    this.pins = new PinWatch(ctx, log, anchoring);
    this.follower = new Follower(ctx, log, anchoring, pins);
    this.sequencer = new Sequencer(ctx, log, view, anchoring, pins, new Hooks());
  }

  /** Starts routing; the election must have been started (it gives the producer incarnation). */
  public void start() {
    if (election.state() == null) {
      throw new IllegalStateException("start the election service first");
    }
    long incarnation = log.format().numbersPerIncarnation() ? election.state().clock() : 0;
    ProducerId id = new ProducerId(ctx.self(), incarnation);
    producer = new Producer(id, log.lastSeq(id), ctx, this::sequencerId);
    if (incarnation == 0) {
      // Numbers continue across restarts: our unanchored events in the log are still ours to get
      // indexed, or a re-sync that drops them would leave a hole in our numbering for good.
      for (long i = log.anchoredThrough() + 1; i <= log.head(); i += 256) {
        for (LogEntry e : log.read(i, 256)) {
          if (e.event().producer().equals(id)) {
            producer.adopt(e);
          }
        }
      }
    }
    log.addListener(producer);
    log.addListener(
        new LocalLog.Listener() {
          @Override
          public void appended(LogEntry entry) {
            election.setCommandsSeen(log.head() + 1);
          }

          @Override
          public void truncated(long index) {
            election.setCommandsSeen(log.head() + 1);
          }

          @Override
          public void anchored(AnchorMark mark) {
            if (staleBatch >= 0 && mark.batchIndex() >= staleBatch) {
              staleBatch = -1; // we hold the anchored history again
              election.setEligible(true);
            }
          }
        });
    log.addListener(pins);
    pins.start();
    election.setCommandsSeen(log.head() + 1);
    ctx.bus().subscribe(TOPIC, this::onInbound);
    ctx.bus()
        .onPeerEvent(
            e -> {
              view.apply(e);
              sequencer.onPeerChange();
            });
    election.onResult(this::onElection);
  }

  /** This node's producer (one per incarnation). */
  public Producer producer() {
    return producer;
  }

  public LocalLog log() {
    return log;
  }

  /** Bytes32 of the whole log (its head's chain hash): equal on two nodes iff the logs are. */
  public Bytes32 stateHash() {
    return log.stateHash();
  }

  public Optional<Session> session() {
    return Optional.ofNullable(current);
  }

  /** Whether this node is the sequencer and is indexing events now. */
  public boolean isActiveSequencer() {
    return sequencer.active();
  }

  /** Whether this node knows the chain holds a batch its history lacks. */
  public boolean isStale() {
    return staleBatch >= 0;
  }

  private Optional<NodeId> sequencerId() {
    return Optional.ofNullable(current).map(Session::sequencer);
  }

  private void onElection(ElectionResult r) {
    Session s = r.session();
    boolean changed = !s.equals(current);
    current = s;
    if (s.sequencer().equals(ctx.self())) {
      if (changed || !sequencer.engaged()) {
        follower.stop();
        sequencer.activate(s);
      }
    } else {
      if (sequencer.engaged()) {
        sequencer.deactivate();
      }
      if (changed || !follower.following(s.sequencer())) {
        follower.follow(s);
      }
    }
    if (changed) {
      producer.onNewSession();
    }
  }

  private void onInbound(Inbound in) {
    if (!ctx.membership().contains(in.from())) {
      ctx.reject(in.from(), "sequencing message from unknown sender");
      return;
    }
    SequencingMessage m;
    try {
      m = SequencingCodec.decode(in.payload());
    } catch (MalformedMessageException e) {
      ctx.reject(in.from(), "malformed sequencing message: " + e.getMessage());
      return;
    }
    if (m instanceof SubmitEvent s) {
      sequencer.onSubmit(in.from(), s);
    } else if (m instanceof EventsIndexed e) {
      if (claimsOwnSession(in.from(), e.session())) {
        follower.onIndexed(in.from(), e);
      }
    } else if (m instanceof RequestEventLog r) {
      serve(in.from(), r);
    } else if (m instanceof EventLogPage p) {
      if (!sequencer.onPage(in.from(), p)) {
        follower.onPage(in.from(), p);
      }
    } else if (m instanceof LogAck a) {
      sequencer.onAck(in.from(), a);
    } else if (m instanceof SequencerHeartbeat h) {
      if (claimsOwnSession(in.from(), h.session())) {
        if (current != null && !h.session().equals(current)) {
          election.onSessionConflict(h.clock());
        }
        follower.onHeartbeat(in.from(), h);
      }
    } else if (m instanceof AnchorProposal p) {
      if (claimsOwnSession(in.from(), p.session())) {
        follower.onProposal(in.from(), p);
      }
    }
  }

  /** Only a session's own sequencer speaks for it. */
  private boolean claimsOwnSession(NodeId from, Session claimed) {
    if (!claimed.sequencer().equals(from)) {
      ctx.reject(from, "speaks for session " + claimed + " of another node");
      return false;
    }
    return true;
  }

  private void serve(NodeId from, RequestEventLog r) {
    if (r.max() < 1) {
      ctx.reject(from, "RequestEventLog for " + r.max() + " entries");
      return;
    }
    List<LogEntry> entries = log.read(r.sinceIdx(), Math.min(r.max(), ctx.config().pageSize()));
    ctx.send(
        from,
        new EventLogPage(
            r.sinceIdx(),
            entries,
            log.head(),
            log.stateHash(),
            log.mark().orElse(null),
            log.pinned().orElse(null)));
  }

  private final class Hooks implements Sequencer.Hooks {
    @Override
    public long electionClock() {
      return election.state().clock();
    }

    @Override
    public boolean stale() {
      return staleBatch >= 0;
    }

    @Override
    public void staleHistory(long batchIndex, String detail) {
      staleBatch = Math.max(staleBatch, batchIndex);
      election.setEligible(false);
      if (sequencer.engaged()) {
        // The log stays as it is: re-syncing from the next sequencer drops what differs. Dropping
        // it here could destroy the last copy of entries that another batch anchored.
        sequencer.deactivate();
        current = null;
        election.stepDown("batch " + batchIndex + " refused by the chain: " + detail);
      }
    }
  }
}
