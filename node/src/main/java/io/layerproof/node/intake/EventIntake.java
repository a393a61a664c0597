package io.layerproof.node.intake;

import io.layerproof.chain.event.LedgerEvent;
import io.layerproof.chain.event.NodeId;
import io.layerproof.chain.event.VerifiedEvent;
import io.layerproof.node.jobs.SequencerLedger;
import io.layerproof.node.serving.SerialWork;
import io.layerproof.p2p.P2pNetwork;
import io.layerproof.p2p.identity.PeerId;
import io.layerproof.p2p.identity.PeerPublicKey;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sequencer's door for other nodes' signed events, under {@value #PROTOCOL}. A request is one
 * kind byte: {@code 1} and an envelope's wire bytes to append (answered with its 8-byte ledger
 * index), or {@code 2} alone to ask the ledger's next sequence number for the asker's key (8
 * bytes).
 *
 * <p>A node speaks only for itself: the asker's peer id (proven by Noise) must be one of the
 * admitted authors' node keys, and an envelope must be that author's, of an admitted event type,
 * and verify (canonical form, domain, signature) before it is appended. Appends run on one thread,
 * off the network's.
 */
public final class EventIntake implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(EventIntake.class);

  public static final String PROTOCOL = "/layerproof/ledger/1.0.0";

  static final byte SUBMIT = 1;
  static final byte NEXT_SEQ = 2;

  private final SequencerLedger ledger;
  private final Map<PeerId, NodeId> authors = new HashMap<>();
  private final Set<Class<? extends LedgerEvent>> types;
  private final SerialWork thread;

  /**
   * @param authors the node keys whose events are admitted (e.g. the registered verifiers)
   * @param types the event types those nodes may put on the ledger
   */
  public EventIntake(
      SequencerLedger ledger, Set<NodeId> authors, Set<Class<? extends LedgerEvent>> types) {
    this.ledger = Objects.requireNonNull(ledger, "ledger");
    authors.forEach(a -> this.authors.put(PeerPublicKey.ofRaw(a.toByteArray()).peerId(), a));
    this.types = Set.copyOf(types);
    this.thread = new SerialWork("event-intake", log);
  }

  public EventIntake serveOn(P2pNetwork network) {
    network.onRequest(PROTOCOL, this::handle);
    return this;
  }

  /** One request; a refusal fails the future (the asker's stream is reset) and is logged here. */
  public CompletableFuture<byte[]> handle(PeerId from, byte[] request) {
    NodeId author = authors.get(from);
    if (author == null) {
      log.info("ledger request from {}, not an admitted author: refused", from);
      return CompletableFuture.failedFuture(new SecurityException("not an admitted author"));
    }
    if (request.length == 0 || (request[0] != SUBMIT && request[0] != NEXT_SEQ)) {
      return CompletableFuture.failedFuture(new IllegalArgumentException("unknown request"));
    }
    return thread.submit("ledger request from " + from, () -> answer(author, request));
  }

  private byte[] answer(NodeId author, byte[] request) {
    if (request[0] == NEXT_SEQ) {
      if (request.length != 1) {
        throw new IllegalArgumentException("next-seq carries no body");
      }
      return ByteBuffer.allocate(8).putLong(ledger.log().nextSeq(author)).array();
    }
    VerifiedEvent v = ledger.verify(Arrays.copyOfRange(request, 1, request.length));
    if (!v.author().equals(author)) {
      throw new SecurityException("an envelope by another author");
    }
    if (types.stream().noneMatch(t -> t.isInstance(v.envelope().event()))) {
      throw new SecurityException(
          v.envelope().event().getClass().getSimpleName() + " is not admitted from other nodes");
    }
    return ByteBuffer.allocate(8).putLong(ledger.append(v).index()).array();
  }

  @Override
  public void close() {
    thread.close();
  }
}
