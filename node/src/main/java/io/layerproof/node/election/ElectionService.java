package io.layerproof.node.election;

import io.layerproof.node.bus.Bus;
import io.layerproof.node.bus.Inbound;
import io.layerproof.node.bus.MalformedMessageException;
import io.layerproof.node.bus.Membership;
import io.layerproof.node.bus.PeerEvent;
import io.layerproof.node.bus.Rejections;
import io.layerproof.node.bus.Scheduler;
import io.layerproof.node.bus.Topic;
import io.layerproof.node.election.ElectionEffect.Broadcast;
import io.layerproof.node.election.ElectionEffect.Elected;
import io.layerproof.node.election.ElectionEffect.Ignored;
import io.layerproof.node.election.ElectionEffect.Persist;
import io.layerproof.node.election.ElectionEffect.StartCampaignTimer;
import io.layerproof.node.election.ElectionEffect.StartDebounceTimer;
import io.layerproof.node.election.ElectionMachine.Step;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one node's {@link ElectionMachine} on a bus: checks and decodes incoming messages, turns
 * peer events into connectivity changes, and carries out the machine's effects (persist first, then
 * broadcast, timers, results). Everything runs on the node's {@link Scheduler} thread.
 */
public final class ElectionService {
  public static final Topic TOPIC = Topic.of("layerproof/election/1");

  private static final Logger log = LoggerFactory.getLogger(ElectionService.class);

  private final Bus bus;
  private final Scheduler scheduler;
  private final Membership membership;
  private final ElectionStore store;
  private final ElectionMachine machine;
  private final Rejections rejections;
  private final List<Consumer<ElectionResult>> listeners = new ArrayList<>();
  private ElectionState state;

  public ElectionService(
      Bus bus,
      Scheduler scheduler,
      Membership membership,
      ElectionStore store,
      ElectionConfig config,
      Rejections rejections) {
    this.bus = bus;
    this.scheduler = scheduler;
    this.membership = membership;
    this.store = store;
    this.machine = new ElectionMachine(config);
    this.rejections = rejections;
  }

  /** Loads the persisted clock and seniority, joins the topic and opens the first campaign. */
  public void start() {
    bus.subscribe(TOPIC, this::onInbound);
    bus.onPeerEvent(this::onPeer);
    Step first = machine.start(bus.self(), store.load());
    state = first.state();
    apply(first);
  }

  public void onResult(Consumer<ElectionResult> listener) {
    listeners.add(listener);
  }

  public ElectionState state() {
    return state;
  }

  public Optional<Session> session() {
    return state.currentSession();
  }

  /** See {@link ElectionMachine#stepDown}. */
  public void stepDown(String reason) {
    log.warn("{} steps down as sequencer: {}", bus.self(), reason);
    apply(machine.stepDown(state));
  }

  /** See {@link ElectionMachine#onSessionConflict}. */
  public void onSessionConflict(long theirClock) {
    apply(machine.onSessionConflict(state, theirClock));
  }

  public void setEligible(boolean eligible) {
    if (eligible != state.eligible()) {
      apply(machine.setEligible(state, eligible));
    }
  }

  public void setCommandsSeen(long commandsSeen) {
    apply(machine.setCommandsSeen(state, commandsSeen));
  }

  private void onInbound(Inbound in) {
    if (!membership.contains(in.from())) {
      rejections.reject(bus.self(), in.from(), "election message from unknown sender");
      return;
    }
    ElectionMessage m;
    try {
      m = ElectionCodec.decode(in.payload());
    } catch (MalformedMessageException e) {
      rejections.reject(bus.self(), in.from(), "malformed election message: " + e.getMessage());
      return;
    }
    apply(machine.onMessage(state, in.from(), m));
  }

  private void onPeer(PeerEvent e) {
    if (membership.contains(e.peer())) {
      apply(machine.onConnectivityChange(state));
    }
  }

  private void apply(Step step) {
    state = step.state();
    for (ElectionEffect fx : step.effects()) {
      if (fx instanceof Persist p) {
        store.save(p.state());
      } else if (fx instanceof Broadcast b) {
        bus.publish(TOPIC, ElectionCodec.encode(b.message()));
      } else if (fx instanceof StartCampaignTimer t) {
        scheduler.schedule(t.delay(), () -> apply(machine.onCampaignTimeout(state, t.clock())));
      } else if (fx instanceof StartDebounceTimer t) {
        scheduler.schedule(t.delay(), () -> apply(machine.onDebounceElapsed(state)));
      } else if (fx instanceof Elected e) {
        log.debug(
            "{} elected {} at clock {}", bus.self(), e.result().session(), e.result().clock());
        for (Consumer<ElectionResult> l : List.copyOf(listeners)) {
          l.accept(e.result());
        }
      } else if (fx instanceof Ignored i) {
        rejections.reject(bus.self(), i.from(), i.reason());
      }
    }
  }
}
