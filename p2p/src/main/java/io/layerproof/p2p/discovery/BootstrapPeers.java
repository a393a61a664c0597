package io.layerproof.p2p.discovery;

import io.layerproof.p2p.identity.PeerId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Configured peers to dial at start, from {@code /ip4/.../tcp/.../p2p/<id>} strings. Addresses of
 * the same peer are grouped, in the order given.
 */
public final class BootstrapPeers {

  /** A configuration list, not network input, but still bounded. */
  public static final int MAX_ADDRESSES = 1024;

  /** One bootstrap peer and its addresses. */
  public record Peer(PeerId id, List<String> multiaddrs) {
    public Peer {
      multiaddrs = List.copyOf(multiaddrs);
    }
  }

  private BootstrapPeers() {}

  /**
   * @throws IllegalArgumentException naming the first entry that does not end in {@code /p2p/<valid
   *     peer id>}, or if there are more than {@link #MAX_ADDRESSES}
   */
  public static List<Peer> parse(List<String> multiaddrs) {
    if (multiaddrs.size() > MAX_ADDRESSES) {
      throw new IllegalArgumentException("more than " + MAX_ADDRESSES + " bootstrap addresses");
    }
    Map<PeerId, List<String>> byPeer = new LinkedHashMap<>();
    for (String raw : multiaddrs) {
      String addr = raw == null ? null : raw.strip();
      PeerId id;
      try {
        id = P2pAddrs.peerId(addr);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "bad bootstrap address '" + raw + "': " + e.getMessage(), e);
      }
      List<String> addrs = byPeer.computeIfAbsent(id, k -> new ArrayList<>());
      if (!addrs.contains(addr)) {
        addrs.add(addr);
      }
    }
    List<Peer> out = new ArrayList<>();
    byPeer.forEach((id, addrs) -> out.add(new Peer(id, addrs)));
    return List.copyOf(out);
  }
}
