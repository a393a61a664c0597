package io.layerproof.node.gateway;

import io.layerproof.chain.event.EthAddress;
import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Nonces accepted per signer, kept until the signed message's expiry (replay protection). After its
 * expiry a message is refused as expired anyway, so an entry can be forgotten then; the gateway's
 * {@link GatewayConfig#maxRequestValidity()} and {@link GatewayConfig#maxSessionValidity()} bound
 * how long that is.
 */
public interface NonceStore extends AutoCloseable {

  /**
   * Records {@code nonce} for {@code signer} and returns true, or returns false when it was already
   * used and has not yet expired. {@code expiry} is Unix seconds. A true answer is durable for the
   * persistent store.
   */
  boolean tryUse(EthAddress signer, BigInteger nonce, long expiry);

  /** Forgets the entries whose expiry has passed; returns how many. */
  int prune();

  /** Entries held now (expired ones not yet pruned included). */
  long size();

  @Override
  default void close() {}

  /** An in-memory store (tests, benchmarks): forgotten on restart. */
  static NonceStore inMemory(Clock clock) {
    return new InMemory(clock);
  }

  /** A RocksDB store in {@code dir} that survives a restart. */
  static NonceStore open(Path dir, Clock clock) {
    return new RocksNonceStore(Rocks.open(dir, "nonce store"), clock);
  }

  /** {@link #open(Path, Clock)} on the system clock. */
  static NonceStore open(Path dir) {
    return open(dir, Clock.systemUTC());
  }

  /** The in-memory store; sweeps expired entries at most once a second. */
  final class InMemory implements NonceStore {
    private final Clock clock;
    private final Map<EthAddress, Map<BigInteger, Long>> used = new HashMap<>();
    private long lastSweep;

    InMemory(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public synchronized boolean tryUse(EthAddress signer, BigInteger nonce, long expiry) {
      long now = clock.instant().getEpochSecond();
      if (now != lastSweep) {
        lastSweep = now;
        prune();
      }
      Map<BigInteger, Long> mine = used.computeIfAbsent(signer, k -> new HashMap<>());
      Long prior = mine.get(nonce);
      if (prior != null && prior > now) {
        return false;
      }
      mine.put(nonce, expiry);
      return true;
    }

    @Override
    public synchronized int prune() {
      long now = clock.instant().getEpochSecond();
      int before = (int) size();
      used.values().forEach(m -> m.values().removeIf(e -> e <= now));
      used.values().removeIf(Map::isEmpty);
      return before - (int) size();
    }

    @Override
    public synchronized long size() {
      return used.values().stream().mapToLong(Map::size).sum();
    }
  }
}
