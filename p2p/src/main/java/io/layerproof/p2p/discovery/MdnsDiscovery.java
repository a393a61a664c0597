package io.layerproof.p2p.discovery;

import io.layerproof.p2p.discovery.DnsMessage.Ptr;
import io.layerproof.p2p.discovery.DnsMessage.Question;
import io.layerproof.p2p.discovery.DnsMessage.ResourceRecord;
import io.layerproof.p2p.discovery.DnsMessage.Txt;
import io.layerproof.p2p.identity.PeerId;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * libp2p mDNS peer discovery (libp2p specs, discovery/mdns.md). A query is a PTR question for
 * {@code _p2p._udp.local}; the answer is a PTR from that name to {@code
 * <peer-name>._p2p._udp.local}, where peer-name is a random label (the spec dropped the peer id
 * there so that names stay within 63 chars and leak nothing), plus additional TXT records for that
 * name holding one {@code dnsaddr=<multiaddr>} each, every multiaddr ending in {@code /p2p/<peer
 * id>}.
 *
 * <p>We query at start and every {@code queryInterval}, answer every query (our own too: the spec
 * asks for that so others can learn about us passively), and report each valid response from
 * another peer to the listener. TXT records are read from the answer and additional sections, as
 * implementations differ in where they put them.
 */
public final class MdnsDiscovery implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(MdnsDiscovery.class);

  public static final String SERVICE_NAME = "_p2p._udp.local";
  public static final String GROUP = "224.0.0.251";
  public static final int PORT = 5353;

  /** RFC 6762 section 10 recommends 120 s for records that name hosts and services. */
  public static final long TTL_SECONDS = 120;

  public static final Duration DEFAULT_QUERY_INTERVAL = Duration.ofSeconds(10);

  /** The DNS-SD meta-query name, answered so that browsing tools list the service. */
  public static final String SERVICES_NAME = "_services._dns-sd._udp.local";

  /**
   * Answers sent per second at most, whoever asks: bounds what a query flood makes us multicast.
   * Every answer is multicast, so one answer serves all nodes that asked meanwhile.
   */
  static final int MAX_RESPONSES_PER_SECOND = 10;

  private static final byte[] QUERY =
      DnsMessage.query(new Question(SERVICE_NAME, DnsMessage.TYPE_PTR)).encode();

  static final String DNSADDR = "dnsaddr=";

  /** A TXT character-string is at most 255 bytes, {@code dnsaddr=} included. */
  static final int MAX_ADDR_LENGTH = 255 - DNSADDR.length();

  /** Addresses taken from, or sent in, one response. */
  static final int MAX_ADDRS = 64;

  /** Peers reported from one response (each PTR names one). */
  static final int MAX_PEERS_PER_PACKET = 16;

  private static final SecureRandom RANDOM = new SecureRandom();
  private static final String ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";

  private final PeerId self;
  private final Supplier<List<String>> listenAddrs;
  private final Duration queryInterval;
  private final MdnsTransport transport;
  private final PeerListener listener;
  private final String peerName;
  private final ScheduledExecutorService timer;
  private volatile boolean started;
  private volatile boolean closed;
  private long windowStart = System.nanoTime();
  private int responsesInWindow;
  private final Set<String> warned = ConcurrentHashMap.newKeySet();

  /**
   * @param listenAddrs our addresses, asked for at each answer so that new ones get announced; an
   *     address without {@code /p2p/} gets ours appended, one naming another peer is skipped
   */
  public MdnsDiscovery(
      PeerId self,
      Supplier<List<String>> listenAddrs,
      Duration queryInterval,
      MdnsTransport transport,
      PeerListener listener) {
    this.self = Objects.requireNonNull(self);
    this.listenAddrs = Objects.requireNonNull(listenAddrs);
    if (queryInterval.isNegative() || queryInterval.isZero()) {
      throw new IllegalArgumentException("the query interval is positive");
    }
    this.queryInterval = queryInterval;
    this.transport = Objects.requireNonNull(transport);
    this.listener = Objects.requireNonNull(listener);
    this.peerName = randomPeerName();
    this.timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              String id = self.toBase58();
              Thread t = new Thread(r, "mdns-query-" + id.substring(Math.max(0, id.length() - 8)));
              t.setDaemon(true);
              return t;
            });
  }

  /**
   * Discovery on 224.0.0.251:5353 over {@link MulticastTransport#defaultInterface()}, querying
   * every {@link #DEFAULT_QUERY_INTERVAL}; call {@link #start()} next.
   *
   * @throws IOException if no interface can join the group
   */
  public static MdnsDiscovery onMulticast(
      PeerId self, Supplier<List<String>> listenAddrs, PeerListener listener) throws IOException {
    return new MdnsDiscovery(
        self, listenAddrs, DEFAULT_QUERY_INTERVAL, MulticastTransport.open(), listener);
  }

  /** Starts receiving, then queries now and every interval. */
  public synchronized void start() {
    if (started || closed) {
      throw new IllegalStateException("start once, before close");
    }
    started = true;
    transport.start(this::onPacket);
    timer.scheduleAtFixedRate(this::query, 0, queryInterval.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Sends one query now (the timer does this every interval). */
  public void query() {
    // Never throws: an exception would silently cancel the periodic task.
    try {
      if (!closed) {
        transport.send(QUERY.clone());
      }
    } catch (RuntimeException e) {
      LOG.warn("mDNS query not sent", e);
    }
  }

  /** The random first label of our instance name, 32 to 63 chars. */
  public String peerName() {
    return peerName;
  }

  @Override
  public synchronized void close() {
    closed = true;
    timer.shutdownNow();
    transport.close();
  }

  /** Handles one received packet; never throws, so a hostile packet cannot stop the receiver. */
  void onPacket(byte[] packet, InetSocketAddress from) {
    if (closed) {
      return;
    }
    DnsMessage m;
    try {
      m = DnsMessage.decode(packet);
    } catch (IllegalArgumentException e) {
      LOG.debug("ignoring a malformed mDNS packet from {}: {}", from, e.getMessage());
      return;
    }
    try {
      if (m.isResponse()) {
        onResponse(m, from);
      } else if (asks(m, SERVICE_NAME) && mayRespond()) {
        transport.send(response().encode());
      } else if (asks(m, SERVICES_NAME) && mayRespond()) {
        transport.send(servicesResponse().encode());
      }
    } catch (RuntimeException e) {
      LOG.warn("mDNS packet from {} not handled", from, e);
    }
  }

  private synchronized boolean mayRespond() {
    long now = System.nanoTime();
    if (now - windowStart >= 1_000_000_000L) {
      windowStart = now;
      responsesInWindow = 0;
    }
    if (responsesInWindow >= MAX_RESPONSES_PER_SECOND) {
      LOG.debug("mDNS answer suppressed: {} sent this second", MAX_RESPONSES_PER_SECOND);
      return false;
    }
    responsesInWindow++;
    return true;
  }

  /** Whether {@code query} asks for PTR (or ANY, 255) records of {@code name}. */
  private static boolean asks(DnsMessage query, String name) {
    for (Question q : query.questions()) {
      if (DnsMessage.sameName(q.name(), name)
          && (q.type() == DnsMessage.TYPE_PTR || q.type() == 255)) {
        return true;
      }
    }
    return false;
  }

  /** Our announcement: the PTR answer and one TXT per address, within the packet limit. */
  DnsMessage response() {
    String instance = peerName + "." + SERVICE_NAME;
    List<ResourceRecord> answers =
        List.of(new ResourceRecord(SERVICE_NAME, TTL_SECONDS, new Ptr(instance)));
    List<ResourceRecord> txts = new ArrayList<>();
    int size = 12 + 2 * (SERVICE_NAME.length() + 2) + 10 + peerName.length() + 1;
    for (String addr : ownAddrs()) {
      // Name (uncompressed), fixed fields, one length octet and the string.
      int recordSize = instance.length() + 2 + 10 + 1 + DNSADDR.length() + addr.length();
      if (size + recordSize > DnsMessage.MAX_PACKET) {
        warnOnce(addr, "the response is full: not announcing {} and later addresses");
        break;
      }
      size += recordSize;
      // Cache-flush: this TXT set is unique to us (RFC 6762 section 10.2).
      txts.add(
          new ResourceRecord(
              instance, DnsMessage.CLASS_IN, true, TTL_SECONDS, new Txt(List.of(DNSADDR + addr))));
    }
    return DnsMessage.response(answers, txts);
  }

  /** The DNS-SD meta-query answer: this host offers {@code _p2p._udp.local}. */
  static DnsMessage servicesResponse() {
    return DnsMessage.response(
        List.of(new ResourceRecord(SERVICES_NAME, TTL_SECONDS, new Ptr(SERVICE_NAME))), List.of());
  }

  private List<String> ownAddrs() {
    Set<String> out = new LinkedHashSet<>();
    for (String raw : listenAddrs.get()) {
      String addr = P2pAddrs.withPeer(raw, self);
      try {
        if (!P2pAddrs.peerId(addr).equals(self)) {
          warnOnce(addr, "not announcing {}: it names another peer");
          continue;
        }
      } catch (IllegalArgumentException e) {
        warnOnce(addr, "not announcing {}: not a multiaddr ending in /p2p/<id>");
        continue;
      }
      if (addr.length() > MAX_ADDR_LENGTH) {
        warnOnce(addr, "not announcing {}: longer than a TXT string holds");
      } else if (out.size() < MAX_ADDRS) {
        out.add(addr);
      }
    }
    return List.copyOf(out);
  }

  /** Every answer rebuilds the list: say what is wrong with an address once, not every time. */
  private void warnOnce(String addr, String message) {
    if (warned.size() < MAX_ADDRS && warned.add(addr)) {
      LOG.warn(message, addr);
    } else {
      LOG.debug(message, addr);
    }
  }

  private void onResponse(DnsMessage m, InetSocketAddress from) {
    int peers = 0;
    for (ResourceRecord r : m.answers()) {
      if (r.data() instanceof Ptr ptr
          && DnsMessage.sameName(r.name(), SERVICE_NAME)
          && peers++ < MAX_PEERS_PER_PACKET) {
        onInstance(m, ptr.target(), from);
      }
    }
  }

  /** One announced instance: its dnsaddr TXT strings must all name one peer, not us. */
  private void onInstance(DnsMessage m, String instance, InetSocketAddress from) {
    String suffix = "." + SERVICE_NAME;
    String label =
        instance.length() > suffix.length()
            ? instance.substring(0, instance.length() - suffix.length())
            : "";
    if (!DnsMessage.sameName(instance.substring(label.length()), suffix)
        || label.isEmpty()
        || label.contains(".")) {
      LOG.debug("ignoring PTR to {} from {}: not <peer-name>.{}", instance, from, SERVICE_NAME);
      return;
    }
    PeerId peer = null;
    Set<String> addrs = new LinkedHashSet<>();
    List<ResourceRecord> records = new ArrayList<>(m.answers());
    records.addAll(m.additionals());
    for (ResourceRecord r : records) {
      if (!(r.data() instanceof Txt txt) || !DnsMessage.sameName(r.name(), instance)) {
        continue;
      }
      for (String s : txt.strings()) {
        if (!s.regionMatches(true, 0, DNSADDR, 0, DNSADDR.length())) {
          continue; // other DNS-SD attributes are allowed and not ours to judge
        }
        String addr = s.substring(DNSADDR.length());
        PeerId id;
        try {
          id = P2pAddrs.peerId(addr);
        } catch (IllegalArgumentException e) {
          LOG.debug(
              "ignoring {} from {}: bad dnsaddr {}: {}", instance, from, addr, e.getMessage());
          return;
        }
        if (peer != null && !peer.equals(id)) {
          // A peer-name stands for one peer; mixed ids mean a broken or spoofing responder.
          LOG.debug("ignoring {} from {}: its addresses name {} and {}", instance, from, peer, id);
          return;
        }
        peer = id;
        if (addrs.size() >= MAX_ADDRS) {
          LOG.debug("ignoring {} from {}: more than {} addresses", instance, from, MAX_ADDRS);
          return;
        }
        addrs.add(addr);
      }
    }
    if (peer == null) {
      LOG.debug("ignoring {} from {}: no dnsaddr", instance, from);
      return;
    }
    if (legacyNameDisagrees(label, peer)) {
      LOG.debug("ignoring {} from {}: the name is another peer's id than {}", instance, from, peer);
      return;
    }
    if (peer.equals(self)) {
      return; // our own announcement, looped back
    }
    try {
      listener.peerDiscovered(peer, List.copyOf(addrs));
    } catch (RuntimeException e) {
      LOG.warn("mDNS listener failed on {}", peer, e);
    }
  }

  /**
   * Older responders used the peer id itself as peer-name. A label that parses as a peer id must
   * then be this peer's; a random label never parses as one.
   */
  private static boolean legacyNameDisagrees(String label, PeerId peer) {
    if (!(label.startsWith("Qm") || label.startsWith("12D3") || label.startsWith("bafz"))) {
      return false;
    }
    try {
      return !PeerId.fromString(label).equals(peer);
    } catch (IllegalArgumentException notAnId) {
      return false;
    }
  }

  private static String randomPeerName() {
    int length = 32 + RANDOM.nextInt(32);
    StringBuilder s = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      s.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
    }
    return s.toString();
  }
}
