package io.layerproof.p2p.pubsub;

import com.google.protobuf.ByteString;
import io.layerproof.p2p.identity.PeerId;
import io.layerproof.p2p.identity.PeerKey;
import io.layerproof.p2p.pubsub.ControlMessage.Graft;
import io.layerproof.p2p.pubsub.ControlMessage.IHave;
import io.layerproof.p2p.pubsub.ControlMessage.IWant;
import io.layerproof.p2p.pubsub.ControlMessage.PeerInfo;
import io.layerproof.p2p.pubsub.ControlMessage.Prune;
import io.layerproof.p2p.pubsub.Rpc.SubOpts;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The GossipSub v1.1 router as a state machine: peers, meshes, fanout, gossip, scoring. It knows
 * nothing of streams: the transport calls {@link #addPeer}, {@link #removePeer} and {@link #onRpc}
 * and writes what {@link RpcSender} is given; timers go through {@link Scheduler}.
 *
 * <p>Not thread-safe by design: every method must be called on the one executor the caller owns
 * (and that {@link Scheduler} runs tasks on).
 */
public final class GossipRouter {

  private static final Logger LOG = LoggerFactory.getLogger(GossipRouter.class);

  /** Receives peer-exchange offers from PRUNEs of well-scored peers; dialling them is optional. */
  @FunctionalInterface
  public interface PeerExchangeListener {
    void onPeerExchange(String topic, List<PeerInfo> peers);
  }

  private static final class PeerState {
    final boolean outbound;
    final boolean v11;
    final Set<String> topics = new HashSet<>();

    PeerState(boolean outbound, boolean v11) {
      this.outbound = outbound;
      this.v11 = v11;
    }
  }

  private final PeerKey key;
  private final PeerId self;
  private final GossipConfig config;
  private final Scheduler scheduler;
  private final RpcSender sender;
  private final Random random;
  private final MessageIdFunction messageId;
  private final SeqnoGenerator seqno;

  private final Map<PeerId, PeerState> peers = new HashMap<>();
  private final Map<String, Set<PeerId>> topicPeers = new HashMap<>();
  private final Map<String, Set<PeerId>> mesh = new LinkedHashMap<>();
  private final Map<String, MessageHandler> handlers = new HashMap<>();
  private final Map<String, TopicValidator> validators = new HashMap<>();
  private final Map<String, Set<PeerId>> fanout = new LinkedHashMap<>();
  private final Map<String, Long> lastPublished = new HashMap<>();
  private final Map<String, Map<PeerId, Long>> backoff = new HashMap<>();
  private final Map<PeerId, Integer> ihaveReceived = new HashMap<>();
  private final Map<PeerId, Integer> idsAsked = new HashMap<>();
  private final SeenCache seen;
  private final MessageCache mcache;
  private final GossipPromises promises;
  private final PeerScore score;
  private PeerExchangeListener peerExchange = (topic, offered) -> {};
  private Scheduler.Cancellable heartbeatTask;
  private long ticks;

  private long delivered;
  private long duplicates;
  private long invalidSignatures;
  private long rejected;
  private long ignored;
  private long graylistedRpcs;
  private long ihaveSent;
  private long iwantSent;
  private long servedByIWant;
  private long grafts;
  private long prunes;
  private long brokenPromises;

  public GossipRouter(PeerKey key, GossipConfig config, Scheduler scheduler, RpcSender sender) {
    this(
        key,
        config,
        scheduler,
        sender,
        new Random(),
        MessageIdFunction.FROM_AND_SEQNO,
        SeqnoGenerator.fromClock());
  }

  public GossipRouter(
      PeerKey key,
      GossipConfig config,
      Scheduler scheduler,
      RpcSender sender,
      Random random,
      MessageIdFunction messageId,
      SeqnoGenerator seqno) {
    this.key = key;
    this.self = key.peerId();
    this.config = config;
    this.scheduler = scheduler;
    this.sender = sender;
    this.random = random;
    this.messageId = messageId;
    this.seqno = seqno;
    this.seen = new SeenCache(config.seenTtl().toMillis(), config.seenCapacity());
    this.mcache =
        new MessageCache(
            config.mcacheLength(), config.mcacheGossip(), config.mcacheWindowCapacity());
    this.promises =
        new GossipPromises(config.iwantFollowupTime().toMillis(), config.promiseCapacity());
    this.score =
        new PeerScore(config.scoreParams(), config.maxPeers() * 2, config.maxTopicsPerPeer());
  }

  // ------------------------------------------------------------------ lifecycle and peers

  /** Starts the heartbeat timer on the scheduler. */
  public void start() {
    if (heartbeatTask == null) {
      heartbeatTask = scheduler.schedule(this::tick, config.heartbeatInitialDelay().toMillis());
    }
  }

  public void stop() {
    if (heartbeatTask != null) {
      heartbeatTask.cancel();
      heartbeatTask = null;
    }
  }

  private void tick() {
    heartbeatTask = scheduler.schedule(this::tick, config.heartbeatInterval().toMillis());
    heartbeat();
  }

  public PeerId peerId() {
    return self;
  }

  public void setPeerExchangeListener(PeerExchangeListener listener) {
    this.peerExchange = listener;
  }

  /** A new pubsub stream to a peer speaking {@link GossipProtocols#MESHSUB_V11}. */
  public boolean addPeer(PeerId peer, boolean outbound) {
    return addPeer(peer, outbound, GossipProtocols.MESHSUB_V11);
  }

  /**
   * A peer whose pubsub stream negotiated {@code protocol}; sends it our subscriptions.
   *
   * @return false if the peer is already known or the peer table is full
   */
  public boolean addPeer(PeerId peer, boolean outbound, String protocol) {
    if (!GossipProtocols.isSupported(protocol)) {
      throw new IllegalArgumentException("unsupported protocol " + protocol);
    }
    if (peers.containsKey(peer) || peers.size() >= config.maxPeers() || peer.equals(self)) {
      return false;
    }
    peers.put(peer, new PeerState(outbound, GossipProtocols.MESHSUB_V11.equals(protocol)));
    score.addPeer(peer);
    if (!mesh.isEmpty()) {
      List<SubOpts> subs = new ArrayList<>();
      mesh.keySet().forEach(t -> subs.add(new SubOpts(true, t)));
      sender.send(peer, Rpc.ofSubscriptions(subs));
    }
    return true;
  }

  public void removePeer(PeerId peer) {
    PeerState state = peers.remove(peer);
    if (state == null) {
      return;
    }
    for (String topic : state.topics) {
      removeFrom(topicPeers, topic, peer);
    }
    for (Set<PeerId> m : mesh.values()) {
      m.remove(peer);
    }
    for (Set<PeerId> f : fanout.values()) {
      f.remove(peer);
    }
    score.removePeer(peer, now());
    ihaveReceived.remove(peer);
    idsAsked.remove(peer);
  }

  // ------------------------------------------------------------------ subscriptions and publishing

  /** Joins {@code topic}: announces it, builds a mesh (from fanout first) and grafts. */
  public void subscribe(String topic, MessageHandler handler) {
    handlers.put(topic, handler);
    if (mesh.containsKey(topic)) {
      return;
    }
    if (mesh.size() >= config.maxTopics()) {
      throw new IllegalStateException("subscribed to " + config.maxTopics() + " topics already");
    }
    announce(topic, true);
    Set<PeerId> m = new LinkedHashSet<>();
    Set<PeerId> fromFanout = fanout.remove(topic);
    lastPublished.remove(topic);
    long now = now();
    if (fromFanout != null) {
      fromFanout.stream().filter(p -> score(p) >= 0 && !backedOff(topic, p, now)).forEach(m::add);
    }
    if (m.size() < config.d()) {
      m.addAll(
          pick(
              topic,
              config.d() - m.size(),
              p -> !m.contains(p) && !backedOff(topic, p, now) && score(p) >= 0));
    }
    mesh.put(topic, m);
    for (PeerId p : m) {
      score.graft(p, topic, now);
      grafts++;
      sender.send(p, Rpc.ofControl(control(List.of(), List.of(new Graft(topic)), List.of())));
    }
  }

  /** Leaves {@code topic}: announces it and prunes the mesh with the unsubscribe backoff. */
  public void unsubscribe(String topic) {
    handlers.remove(topic);
    Set<PeerId> m = mesh.remove(topic);
    if (m == null) {
      return;
    }
    announce(topic, false);
    long backoffMs = config.unsubscribeBackoff().toMillis();
    for (PeerId p : m) {
      score.prune(p, topic, now());
      addBackoff(p, topic, backoffMs);
      prunes++;
      sender.send(
          p,
          Rpc.ofControl(control(List.of(), List.of(), List.of(prune(p, topic, true, backoffMs)))));
    }
  }

  public void setValidator(String topic, TopicValidator validator) {
    validators.put(topic, validator);
  }

  public void removeValidator(String topic) {
    validators.remove(topic);
  }

  /**
   * Signs and sends a message: to every topic peer above the publish threshold (flood publishing,
   * v1.1), or else to the mesh or the topic's fanout. Not delivered to our own handler.
   *
   * @return the signed message
   */
  public PubsubMessage publish(String topic, byte[] data) {
    PubsubMessage m = MessageSigning.sign(key, topic, data, seqno.next());
    ByteString id = messageId.apply(m);
    long now = now();
    seen.add(id, now);
    mcache.put(id, m);
    Set<PeerId> targets;
    if (config.floodPublish()) {
      targets =
          new HashSet<>(
              pick(topic, Integer.MAX_VALUE, p -> score(p) >= config.thresholds().publish()));
    } else if (mesh.containsKey(topic)) {
      targets = mesh.get(topic);
    } else {
      if (!fanout.containsKey(topic) && fanout.size() >= config.maxTopics()) {
        String oldest = fanout.keySet().iterator().next(); // bounded: drop the oldest fanout
        fanout.remove(oldest);
        lastPublished.remove(oldest);
      }
      targets =
          fanout.computeIfAbsent(
              topic,
              t ->
                  new LinkedHashSet<>(
                      pick(t, config.d(), p -> score(p) >= config.thresholds().publish())));
      lastPublished.put(topic, now);
    }
    Rpc rpc = Rpc.ofMessages(List.of(m));
    for (PeerId p : targets) {
      sender.send(p, rpc);
    }
    return m;
  }

  // ------------------------------------------------------------------ incoming

  /** An RPC decoded from {@code from}'s stream. RPCs of unknown or graylisted peers are dropped. */
  public void onRpc(PeerId from, Rpc rpc) {
    PeerState state = peers.get(from);
    if (state == null) {
      LOG.debug("RPC from unknown peer {}", from);
      return;
    }
    if (score(from) < config.thresholds().graylist()) {
      graylistedRpcs++;
      return;
    }
    for (SubOpts s : rpc.subscriptions()) {
      onSubscription(from, state, s);
    }
    for (PubsubMessage m : rpc.messages()) {
      onMessage(from, m);
    }
    ControlMessage c = rpc.control();
    if (c.isEmpty()) {
      return;
    }
    List<ByteString> iwant = onIHave(from, c.ihave());
    List<PubsubMessage> answers = onIWant(from, c.iwant());
    List<Prune> refused = onGraft(from, c.graft());
    onPrune(from, c.prune());
    if (!iwant.isEmpty() || !answers.isEmpty() || !refused.isEmpty()) {
      List<IWant> want = iwant.isEmpty() ? List.of() : List.of(new IWant(iwant));
      sender.send(
          from,
          new Rpc(
              List.of(),
              answers,
              new ControlMessage(List.of(), want, List.of(), refused, List.of())));
    }
  }

  private void onSubscription(PeerId from, PeerState state, SubOpts s) {
    String topic = s.topic();
    if (topic == null) {
      return;
    }
    if (s.subscribe()) {
      if (state.topics.contains(topic)
          || state.topics.size() >= config.maxTopicsPerPeer()
          || (!topicPeers.containsKey(topic) && topicPeers.size() >= config.maxTopics())) {
        return;
      }
      state.topics.add(topic);
      topicPeers.computeIfAbsent(topic, t -> new LinkedHashSet<>()).add(from);
    } else if (state.topics.remove(topic)) {
      removeFrom(topicPeers, topic, from);
      Set<PeerId> m = mesh.get(topic);
      if (m != null && m.remove(from)) {
        score.prune(from, topic, now());
      }
      Set<PeerId> f = fanout.get(topic);
      if (f != null) {
        f.remove(from);
      }
    }
  }

  private void onMessage(PeerId from, PubsubMessage m) {
    String topic = m.topic();
    if (topic == null || !mesh.containsKey(topic)) {
      return; // not ours: neither delivered nor forwarded
    }
    long now = now();
    ByteString id = messageId.apply(m);
    if (seen.contains(id, now)) {
      duplicates++;
      score.duplicateDelivery(from, topic, id, now);
      return;
    }
    // Checked before marking seen: a forged copy must not shadow the genuine message.
    MessageSigning.Check check = MessageSigning.verify(m);
    if (check != MessageSigning.Check.VALID) {
      invalidSignatures++;
      score.invalidMessage(from, topic);
      LOG.debug("message from {} refused: {}", from, check);
      return;
    }
    seen.add(id, now);
    promises.fulfil(id);
    ValidationResult verdict = validate(from, topic, m);
    if (verdict == ValidationResult.REJECT) {
      rejected++;
      score.invalidMessage(from, topic);
      return;
    }
    if (verdict == ValidationResult.IGNORE) {
      ignored++;
      return;
    }
    score.firstDelivery(from, topic, id, now);
    mcache.put(id, m);
    delivered++;
    MessageHandler handler = handlers.get(topic);
    if (handler != null) {
      try {
        handler.onMessage(topic, m);
      } catch (RuntimeException e) {
        LOG.warn("handler of {} failed", topic, e);
      }
    }
    forward(from, m);
  }

  private ValidationResult validate(PeerId from, String topic, PubsubMessage m) {
    TopicValidator v = validators.get(topic);
    if (v == null) {
      return ValidationResult.ACCEPT;
    }
    try {
      return v.validate(from, m);
    } catch (RuntimeException e) {
      LOG.warn("validator of {} failed; ignoring the message", topic, e);
      return ValidationResult.IGNORE;
    }
  }

  private void forward(PeerId from, PubsubMessage m) {
    Set<PeerId> meshPeers = mesh.get(m.topic());
    Rpc rpc = Rpc.ofMessages(List.of(m));
    for (PeerId p : meshPeers) {
      if (!p.equals(from) && !ByteString.copyFrom(p.toBytes()).equals(m.from())) {
        sender.send(p, rpc);
      }
    }
  }

  private List<ByteString> onIHave(PeerId from, List<IHave> ihaves) {
    if (ihaves.isEmpty() || score(from) < config.thresholds().gossip()) {
      return List.of();
    }
    if (ihaveReceived.merge(from, 1, Integer::sum) > config.maxIHaveMessages()) {
      return List.of();
    }
    int asked = idsAsked.getOrDefault(from, 0);
    if (asked >= config.maxIHaveLength()) {
      return List.of();
    }
    long now = now();
    Set<ByteString> want = new LinkedHashSet<>();
    for (IHave h : ihaves) {
      if (h.topic() == null || !mesh.containsKey(h.topic())) {
        continue;
      }
      for (ByteString id : h.messageIds()) {
        if (!seen.contains(id, now)) {
          want.add(id);
        }
      }
    }
    List<ByteString> ids = new ArrayList<>(want);
    Collections.shuffle(ids, random);
    ids = new ArrayList<>(ids.subList(0, Math.min(ids.size(), config.maxIHaveLength() - asked)));
    if (!ids.isEmpty()) {
      idsAsked.put(from, asked + ids.size());
      promises.add(from, ids, now, random);
      iwantSent++;
    }
    return ids;
  }

  private List<PubsubMessage> onIWant(PeerId from, List<IWant> iwants) {
    if (iwants.isEmpty() || score(from) < config.thresholds().gossip()) {
      return List.of();
    }
    Map<ByteString, PubsubMessage> out = new LinkedHashMap<>();
    for (IWant w : iwants) {
      for (ByteString id : w.messageIds()) {
        if (out.containsKey(id) || out.size() >= config.maxIHaveLength()) {
          continue;
        }
        PubsubMessage m = mcache.serve(id, from, config.gossipRetransmission());
        if (m != null) {
          out.put(id, m);
        }
      }
    }
    servedByIWant += out.size();
    return new ArrayList<>(out.values());
  }

  private List<Prune> onGraft(PeerId from, List<Graft> grafted) {
    List<Prune> refused = new ArrayList<>();
    long now = now();
    for (Graft g : grafted) {
      String topic = g.topic();
      Set<PeerId> m = topic == null ? null : mesh.get(topic);
      if (m == null || m.contains(from)) {
        continue; // unknown topics are ignored, not answered: no peers leaked
      }
      long pruneMs = config.pruneBackoff().toMillis();
      Long until = backoffOf(topic, from);
      if (until != null && until > now) {
        score.addPenalty(from, 1);
        if (now < until - pruneMs + config.graftFloodThreshold().toMillis()) {
          score.addPenalty(from, 1); // grafting right after our prune: flooding
        }
        addBackoff(from, topic, pruneMs);
        refused.add(prune(from, topic, false, pruneMs));
      } else if (score(from) < 0) {
        addBackoff(from, topic, pruneMs);
        refused.add(prune(from, topic, false, pruneMs));
      } else if (m.size() >= config.dHi() && !peers.get(from).outbound) {
        addBackoff(from, topic, pruneMs);
        refused.add(prune(from, topic, true, pruneMs));
      } else {
        m.add(from);
        score.graft(from, topic, now);
        grafts++;
      }
    }
    prunes += refused.size();
    return refused;
  }

  private void onPrune(PeerId from, List<Prune> pruned) {
    for (Prune p : pruned) {
      String topic = p.topic();
      Set<PeerId> m = topic == null ? null : mesh.get(topic);
      if (m == null) {
        continue;
      }
      if (m.remove(from)) {
        score.prune(from, topic, now());
      }
      // Honour the peer's backoff, bounded so a peer cannot exile itself for ever from our mesh.
      long asked = Math.min(p.backoffSeconds(), 3600) * 1000;
      addBackoff(from, topic, asked > 0 ? asked : config.pruneBackoff().toMillis());
      if (!p.peers().isEmpty() && score(from) >= config.thresholds().acceptPx()) {
        peerExchange.onPeerExchange(
            topic, p.peers().subList(0, Math.min(p.peers().size(), config.prunePeers())));
      }
    }
  }

  // ------------------------------------------------------------------ heartbeat

  /** Mesh and fanout maintenance, gossip emission, score decay and cache rotation. */
  public void heartbeat() {
    long now = now();
    ticks++;
    ihaveReceived.clear();
    idsAsked.clear();
    score.refresh(now);
    promises
        .broken(now)
        .forEach(
            (p, n) -> {
              score.addPenalty(p, n);
              brokenPromises += n;
            });
    expireBackoffs(now);
    Map<PeerId, List<Graft>> toGraft = new HashMap<>();
    Map<PeerId, List<Prune>> toPrune = new HashMap<>();
    Map<PeerId, List<IHave>> gossip = new HashMap<>();
    Map<PeerId, Double> scores = new HashMap<>();
    java.util.function.ToDoubleFunction<PeerId> scoreOf =
        p -> scores.computeIfAbsent(p, this::score);

    for (Map.Entry<String, Set<PeerId>> e : mesh.entrySet()) {
      String topic = e.getKey();
      Set<PeerId> m = e.getValue();
      for (PeerId p : new ArrayList<>(m)) {
        if (scoreOf.applyAsDouble(p) < 0) {
          m.remove(p);
          schedulePrune(p, topic, false, toPrune);
        }
      }
      if (m.size() < config.dLo()) {
        for (PeerId p :
            pick(
                topic,
                config.d() - m.size(),
                p ->
                    !m.contains(p) && !backedOff(topic, p, now) && scoreOf.applyAsDouble(p) >= 0)) {
          scheduleGraft(p, topic, m, toGraft, now);
        }
      }
      if (m.size() > config.dHi()) {
        for (PeerId p : surplus(m, scoreOf)) {
          m.remove(p);
          schedulePrune(p, topic, true, toPrune);
        }
      }
      if (m.size() >= config.dLo()) {
        long out = m.stream().filter(this::isOutbound).count();
        if (out < config.dOut()) {
          for (PeerId p :
              pick(
                  topic,
                  (int) (config.dOut() - out),
                  p ->
                      isOutbound(p)
                          && !m.contains(p)
                          && !backedOff(topic, p, now)
                          && scoreOf.applyAsDouble(p) >= 0)) {
            scheduleGraft(p, topic, m, toGraft, now);
          }
        }
      }
      if (ticks % config.opportunisticGraftTicks() == 0 && m.size() > 1) {
        List<Double> sorted = m.stream().map(scoreOf::applyAsDouble).sorted().toList();
        double median = sorted.get(sorted.size() / 2);
        if (median < config.thresholds().opportunisticGraft()) {
          for (PeerId p :
              pick(
                  topic,
                  config.opportunisticGraftPeers(),
                  p ->
                      !m.contains(p)
                          && !backedOff(topic, p, now)
                          && scoreOf.applyAsDouble(p) > median)) {
            scheduleGraft(p, topic, m, toGraft, now);
          }
        }
      }
      emitGossip(topic, m, gossip, scoreOf);
    }

    Iterator<Map.Entry<String, Set<PeerId>>> it = fanout.entrySet().iterator();
    while (it.hasNext()) {
      Map.Entry<String, Set<PeerId>> e = it.next();
      String topic = e.getKey();
      if (lastPublished.getOrDefault(topic, 0L) + config.fanoutTtl().toMillis() < now) {
        it.remove();
        lastPublished.remove(topic);
        continue;
      }
      Set<PeerId> f = e.getValue();
      Set<PeerId> known = topicPeers.getOrDefault(topic, Set.of());
      f.removeIf(
          p -> !known.contains(p) || scoreOf.applyAsDouble(p) < config.thresholds().publish());
      if (f.size() < config.d()) {
        f.addAll(
            pick(
                topic,
                config.d() - f.size(),
                p -> !f.contains(p) && scoreOf.applyAsDouble(p) >= config.thresholds().publish()));
      }
      emitGossip(topic, f, gossip, scoreOf);
    }

    Set<PeerId> targets = new HashSet<>(toGraft.keySet());
    targets.addAll(toPrune.keySet());
    targets.addAll(gossip.keySet());
    for (PeerId p : targets) {
      ControlMessage c =
          new ControlMessage(
              gossip.getOrDefault(p, List.of()),
              List.of(),
              toGraft.getOrDefault(p, List.of()),
              toPrune.getOrDefault(p, List.of()),
              List.of());
      sender.send(p, Rpc.ofControl(c));
    }
    mcache.shift();
    seen.evictExpired(now);
  }

  /**
   * Mesh members to drop when over D_hi: keep the best D_score, fill to D at random, keep D_out
   * outbound.
   */
  private List<PeerId> surplus(Set<PeerId> m, java.util.function.ToDoubleFunction<PeerId> scoreOf) {
    List<PeerId> all = new ArrayList<>(m);
    Collections.shuffle(all, random);
    all.sort(Comparator.comparingDouble(scoreOf).reversed());
    List<PeerId> rest = new ArrayList<>(all.subList(config.dScore(), all.size()));
    Collections.shuffle(rest, random);
    List<PeerId> keep = new ArrayList<>(all.subList(0, config.dScore()));
    keep.addAll(rest.subList(0, config.d() - config.dScore()));
    List<PeerId> drop = new ArrayList<>(rest.subList(config.d() - config.dScore(), rest.size()));
    long out = keep.stream().filter(this::isOutbound).count();
    for (PeerId candidate : new ArrayList<>(drop)) {
      if (out >= config.dOut()) {
        break;
      }
      if (!isOutbound(candidate)) {
        continue;
      }
      int victim = -1;
      for (int i = keep.size() - 1; i >= 0 && victim < 0; i--) {
        victim = isOutbound(keep.get(i)) ? -1 : i;
      }
      if (victim < 0) {
        break;
      }
      drop.add(keep.set(victim, candidate));
      drop.remove(candidate);
      out++;
    }
    return drop;
  }

  private void emitGossip(
      String topic,
      Set<PeerId> exclude,
      Map<PeerId, List<IHave>> gossip,
      java.util.function.ToDoubleFunction<PeerId> scoreOf) {
    List<ByteString> ids = mcache.gossipIds(topic);
    if (ids.isEmpty()) {
      return;
    }
    if (ids.size() > config.maxIHaveLength()) {
      Collections.shuffle(ids, random);
      ids = ids.subList(0, config.maxIHaveLength());
    }
    List<PeerId> candidates =
        pick(
            topic,
            Integer.MAX_VALUE,
            p -> !exclude.contains(p) && scoreOf.applyAsDouble(p) >= config.thresholds().gossip());
    int target = Math.max(config.dLazy(), (int) (config.gossipFactor() * candidates.size()));
    IHave have = new IHave(topic, ids);
    for (PeerId p : candidates.subList(0, Math.min(target, candidates.size()))) {
      gossip.computeIfAbsent(p, k -> new ArrayList<>()).add(have);
      ihaveSent++;
    }
  }

  private void scheduleGraft(
      PeerId p, String topic, Set<PeerId> m, Map<PeerId, List<Graft>> toGraft, long now) {
    m.add(p);
    score.graft(p, topic, now);
    grafts++;
    toGraft.computeIfAbsent(p, k -> new ArrayList<>()).add(new Graft(topic));
  }

  private void schedulePrune(PeerId p, String topic, boolean px, Map<PeerId, List<Prune>> toPrune) {
    long ms = config.pruneBackoff().toMillis();
    score.prune(p, topic, now());
    addBackoff(p, topic, ms);
    prunes++;
    toPrune.computeIfAbsent(p, k -> new ArrayList<>()).add(prune(p, topic, px, ms));
  }

  // ------------------------------------------------------------------ helpers

  /** A PRUNE for {@code peer}: v1.0 peers get neither backoff nor peer exchange. */
  private Prune prune(PeerId peer, String topic, boolean px, long backoffMs) {
    PeerState state = peers.get(peer);
    if (state == null || !state.v11) {
      return new Prune(topic, List.of(), 0);
    }
    List<PeerInfo> offered = List.of();
    if (px && config.doPx()) {
      offered =
          pick(topic, config.prunePeers(), p -> !p.equals(peer) && score(p) >= 0).stream()
              .map(p -> new PeerInfo(ByteString.copyFrom(p.toBytes()), null))
              .toList();
    }
    return new Prune(topic, offered, backoffMs / 1000);
  }

  /** Up to {@code n} random subscribers of {@code topic} matching {@code filter}. */
  private List<PeerId> pick(String topic, int n, Predicate<PeerId> filter) {
    Set<PeerId> subscribers = topicPeers.get(topic);
    if (subscribers == null || n <= 0) {
      return new ArrayList<>();
    }
    List<PeerId> out = new ArrayList<>();
    for (PeerId p : subscribers) {
      if (filter.test(p)) {
        out.add(p);
      }
    }
    Collections.shuffle(out, random);
    return n >= out.size() ? out : new ArrayList<>(out.subList(0, n));
  }

  private void announce(String topic, boolean subscribe) {
    Rpc rpc = Rpc.ofSubscriptions(List.of(new SubOpts(subscribe, topic)));
    for (PeerId p : new ArrayList<>(peers.keySet())) {
      sender.send(p, rpc);
    }
  }

  private static ControlMessage control(List<IHave> ihave, List<Graft> graft, List<Prune> prune) {
    return new ControlMessage(ihave, List.of(), graft, prune, List.of());
  }

  private boolean isOutbound(PeerId p) {
    PeerState s = peers.get(p);
    return s != null && s.outbound;
  }

  private void addBackoff(PeerId peer, String topic, long ms) {
    long until = now() + ms;
    backoff.computeIfAbsent(topic, t -> new HashMap<>()).merge(peer, until, Math::max);
  }

  private Long backoffOf(String topic, PeerId peer) {
    Map<PeerId, Long> b = backoff.get(topic);
    return b == null ? null : b.get(peer);
  }

  private boolean backedOff(String topic, PeerId peer, long now) {
    Long until = backoffOf(topic, peer);
    return until != null && until > now;
  }

  private void expireBackoffs(long now) {
    // One heartbeat of slack so a GRAFT racing the expiry is not penalised.
    long slack = config.heartbeatInterval().toMillis();
    backoff.values().forEach(b -> b.values().removeIf(until -> until + slack < now));
    backoff.values().removeIf(Map::isEmpty);
  }

  private static void removeFrom(Map<String, Set<PeerId>> map, String topic, PeerId peer) {
    Set<PeerId> s = map.get(topic);
    if (s != null) {
      s.remove(peer);
      if (s.isEmpty()) {
        map.remove(topic);
      }
    }
  }

  private long now() {
    return scheduler.nowMillis();
  }

  // ------------------------------------------------------------------ views

  /** The peer's current score (0 for unknown peers). */
  public double score(PeerId peer) {
    return score.score(peer, now());
  }

  public Set<PeerId> meshPeers(String topic) {
    return Set.copyOf(mesh.getOrDefault(topic, Set.of()));
  }

  /** Peers our own messages go to for a topic we publish to without subscribing (flood off). */
  public Set<PeerId> fanoutPeers(String topic) {
    return Set.copyOf(fanout.getOrDefault(topic, Set.of()));
  }

  public Set<PeerId> topicPeers(String topic) {
    return Set.copyOf(topicPeers.getOrDefault(topic, Set.of()));
  }

  public Set<String> subscriptions() {
    return Set.copyOf(mesh.keySet());
  }

  public Optional<PubsubMessage> cachedMessage(ByteString id) {
    return Optional.ofNullable(mcache.get(id));
  }

  public GossipConfig config() {
    return config;
  }

  public GossipStats stats() {
    return new GossipStats(
        delivered,
        duplicates,
        invalidSignatures,
        rejected,
        ignored,
        graylistedRpcs,
        ihaveSent,
        iwantSent,
        servedByIWant,
        grafts,
        prunes,
        brokenPromises);
  }
}
