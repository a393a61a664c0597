package io.layerproof.p2p.transport;

import java.net.InetAddress;
import java.util.HashMap;
import java.util.Map;

/**
 * Counts inbound connections per remote IP and inbound upgrades in progress, so one host cannot
 * take every socket or keep the event loops busy with handshakes. The map holds only IPs with live
 * connections, so it is bounded by the open sockets.
 */
final class ConnectionLimiter {

  private final int maxPerIp;
  private final int maxPending;
  private final Map<InetAddress, Integer> perIp = new HashMap<>();
  private int pending;

  ConnectionLimiter(int maxPerIp, int maxPending) {
    this.maxPerIp = maxPerIp;
    this.maxPending = maxPending;
  }

  /** Admits a new inbound connection (counted as pending) or refuses it. */
  synchronized boolean tryAccept(InetAddress ip) {
    int n = perIp.getOrDefault(ip, 0);
    if (n >= maxPerIp || pending >= maxPending) {
      return false;
    }
    perIp.put(ip, n + 1);
    pending++;
    return true;
  }

  /** The connection's upgrade finished, either way. */
  synchronized void upgradeDone() {
    pending--;
  }

  /** The connection closed. */
  synchronized void closed(InetAddress ip) {
    perIp.computeIfPresent(ip, (k, n) -> n == 1 ? null : n - 1);
  }

  synchronized int connections(InetAddress ip) {
    return perIp.getOrDefault(ip, 0);
  }

  synchronized int pending() {
    return pending;
  }
}
