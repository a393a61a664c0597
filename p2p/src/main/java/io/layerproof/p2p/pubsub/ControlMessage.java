package io.layerproof.p2p.pubsub;

import com.google.protobuf.ByteString;
import java.util.List;

/** GossipSub's {@code ControlMessage}: IHAVE, IWANT, GRAFT, PRUNE and (v1.2) IDONTWANT. */
public record ControlMessage(
    List<IHave> ihave,
    List<IWant> iwant,
    List<Graft> graft,
    List<Prune> prune,
    List<IDontWant> idontwant) {

  public static final ControlMessage EMPTY =
      new ControlMessage(List.of(), List.of(), List.of(), List.of(), List.of());

  public ControlMessage {
    ihave = List.copyOf(ihave);
    iwant = List.copyOf(iwant);
    graft = List.copyOf(graft);
    prune = List.copyOf(prune);
    idontwant = List.copyOf(idontwant);
  }

  public boolean isEmpty() {
    return ihave.isEmpty()
        && iwant.isEmpty()
        && graft.isEmpty()
        && prune.isEmpty()
        && idontwant.isEmpty();
  }

  /** "I have these recent messages of {@code topic}" (gossip to non-mesh peers). */
  public record IHave(String topic, List<ByteString> messageIds) {
    public IHave {
      messageIds = List.copyOf(messageIds);
    }
  }

  /** "Send me these messages" (the answer to an IHAVE). */
  public record IWant(List<ByteString> messageIds) {
    public IWant {
      messageIds = List.copyOf(messageIds);
    }
  }

  /** "Add me to your mesh for {@code topic}". */
  public record Graft(String topic) {}

  /**
   * "You are out of my mesh for {@code topic}", with peers to try instead (v1.1 peer exchange) and
   * how long not to graft back ({@code backoffSeconds}; 0 = not sent).
   */
  public record Prune(String topic, List<PeerInfo> peers, long backoffSeconds) {
    public Prune {
      peers = List.copyOf(peers);
    }
  }

  /** A peer-exchange entry: peer id bytes and an optional signed peer record (envelope). */
  public record PeerInfo(ByteString peerId, ByteString signedPeerRecord) {}

  /** v1.2: "do not send me these, I already have them". Decoded; the router ignores it. */
  public record IDontWant(List<ByteString> messageIds) {
    public IDontWant {
      messageIds = List.copyOf(messageIds);
    }
  }
}
