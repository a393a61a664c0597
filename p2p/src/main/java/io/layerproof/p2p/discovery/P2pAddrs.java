package io.layerproof.p2p.discovery;

import io.layerproof.p2p.identity.PeerId;

/**
 * Checks on textual multiaddrs that end in {@code /p2p/<peer id>}. The Multiaddr type lives
 * elsewhere; discovery only needs to know whose address a string claims to be.
 */
public final class P2pAddrs {

  /** Generous for {@code /ip6/.../tcp/.../p2p/...}; mDNS TXT strings cap it at 247 anyway. */
  public static final int MAX_LENGTH = 1024;

  private static final String P2P = "/p2p/";

  private P2pAddrs() {}

  /**
   * The peer id in the final {@code /p2p/<id>} component.
   *
   * @throws IllegalArgumentException if the string is not a {@code /}-rooted multiaddr of printable
   *     ASCII ending in {@code /p2p/<valid peer id>}
   */
  public static PeerId peerId(String multiaddr) {
    if (multiaddr == null || multiaddr.isEmpty() || multiaddr.length() > MAX_LENGTH) {
      throw new IllegalArgumentException("not a multiaddr (empty or too long)");
    }
    if (multiaddr.charAt(0) != '/') {
      throw new IllegalArgumentException("a multiaddr starts with /: " + multiaddr);
    }
    for (int i = 0; i < multiaddr.length(); i++) {
      char c = multiaddr.charAt(i);
      if (c <= ' ' || c >= 0x7f) {
        throw new IllegalArgumentException("a multiaddr is printable ASCII");
      }
    }
    int at = multiaddr.lastIndexOf(P2P);
    String id = at < 0 ? "" : multiaddr.substring(at + P2P.length());
    if (id.isEmpty() || id.indexOf('/') >= 0) {
      throw new IllegalArgumentException("multiaddr does not end in /p2p/<peer id>: " + multiaddr);
    }
    return PeerId.fromString(id);
  }

  /** {@code multiaddr} with {@code /p2p/<self>} appended unless it already names a peer. */
  static String withPeer(String multiaddr, PeerId self) {
    return multiaddr.contains(P2P) ? multiaddr : multiaddr + P2P + self.toBase58();
  }
}
