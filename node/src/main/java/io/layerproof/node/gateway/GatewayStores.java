package io.layerproof.node.gateway;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Objects;

/**
 * The gateway's state: accepted nonces and open sessions. The caller owns it (the gateway does not
 * close it), so a node can keep it across gateway restarts.
 */
public record GatewayStores(NonceStore nonces, SessionStore sessions) implements AutoCloseable {

  public GatewayStores {
    Objects.requireNonNull(nonces, "nonces");
    Objects.requireNonNull(sessions, "sessions");
  }

  /** Both in memory (tests, benchmarks): forgotten on restart. */
  public static GatewayStores inMemory(Clock clock) {
    return new GatewayStores(NonceStore.inMemory(clock), SessionStore.inMemory(clock));
  }

  /** Both in RocksDB under {@code dir} ({@code nonces/} and {@code sessions/}). */
  public static GatewayStores open(Path dir, Clock clock) {
    NonceStore nonces = NonceStore.open(dir.resolve("nonces"), clock);
    try {
      return new GatewayStores(nonces, SessionStore.open(dir.resolve("sessions"), clock));
    } catch (RuntimeException e) {
      nonces.close();
      throw e;
    }
  }

  @Override
  public void close() {
    try {
      sessions.close();
    } finally {
      nonces.close();
    }
  }
}
