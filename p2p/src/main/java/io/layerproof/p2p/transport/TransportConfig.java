package io.layerproof.p2p.transport;

import java.time.Duration;

/**
 * Limits of a {@link TcpTransport}.
 *
 * @param maxConnectionsPerIp inbound connections one remote IP may hold; more are closed at accept
 * @param maxPendingHandshakes inbound connections still upgrading; more are closed at accept
 * @param handshakeTimeout the whole upgrade (negotiations and Noise) must finish within this
 * @param connectTimeout TCP connect timeout when dialing
 */
public record TransportConfig(
    int maxConnectionsPerIp,
    int maxPendingHandshakes,
    Duration handshakeTimeout,
    Duration connectTimeout) {

  public TransportConfig {
    if (maxConnectionsPerIp < 1 || maxPendingHandshakes < 1) {
      throw new IllegalArgumentException("connection limits must be positive");
    }
    if (handshakeTimeout.isNegative()
        || handshakeTimeout.isZero()
        || connectTimeout.isNegative()
        || connectTimeout.isZero()) {
      throw new IllegalArgumentException("timeouts must be positive");
    }
  }

  public static TransportConfig defaults() {
    return new TransportConfig(8, 128, Duration.ofSeconds(10), Duration.ofSeconds(10));
  }

  public TransportConfig withMaxConnectionsPerIp(int n) {
    return new TransportConfig(n, maxPendingHandshakes, handshakeTimeout, connectTimeout);
  }

  public TransportConfig withMaxPendingHandshakes(int n) {
    return new TransportConfig(maxConnectionsPerIp, n, handshakeTimeout, connectTimeout);
  }

  public TransportConfig withHandshakeTimeout(Duration d) {
    return new TransportConfig(maxConnectionsPerIp, maxPendingHandshakes, d, connectTimeout);
  }
}
