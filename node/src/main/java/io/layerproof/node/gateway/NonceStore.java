package io.layerproof.node.gateway;

import io.layerproof.chain.event.EthAddress;
import java.math.BigInteger;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/** Nonces accepted per signer, kept until the signed message's expiry (replay protection). */
public interface NonceStore {

  /**
   * Records {@code nonce} for {@code signer} and returns true, or returns false when it was already
   * used and has not yet expired. {@code expiry} is Unix seconds.
   */
  boolean tryUse(EthAddress signer, BigInteger nonce, long expiry);

  /** An in-memory store; entries are dropped once their expiry has passed. */
  static NonceStore inMemory(Clock clock) {
    return new InMemory(clock);
  }

  /** The in-memory store. */
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
        used.values().forEach(m -> m.values().removeIf(e -> e <= now));
        used.values().removeIf(Map::isEmpty);
      }
      Map<BigInteger, Long> mine = used.computeIfAbsent(signer, k -> new HashMap<>());
      Long prior = mine.get(nonce);
      if (prior != null && prior > now) {
        return false;
      }
      mine.put(nonce, expiry);
      return true;
    }
  }
}
