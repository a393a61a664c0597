package io.layerproof.p2p.discovery;

import io.layerproof.p2p.identity.PeerId;
import java.util.List;

/** Told about every valid announcement of another peer; the same peer recurs each interval. */
@FunctionalInterface
public interface PeerListener {

  /**
   * @param multiaddrs the peer's announced addresses, each ending in {@code /p2p/<peer>}
   */
  void peerDiscovered(PeerId peer, List<String> multiaddrs);
}
