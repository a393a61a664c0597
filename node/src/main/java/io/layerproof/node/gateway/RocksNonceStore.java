package io.layerproof.node.gateway;

import io.layerproof.chain.event.EthAddress;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.util.Objects;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;

/**
 * The persistent {@link NonceStore}. Two key spaces, written together in one fsynced batch:
 *
 * <pre>
 * 'n' || address (20) || nonce (32, big-endian)   -> expiry (8)   the lookup
 * 'e' || expiry (8)   || address (20) || nonce     -> (empty)      by expiry, so pruning reads
 *                                                                  only what it deletes
 * </pre>
 *
 * Expired entries are pruned on open and then at most once every {@value #PRUNE_EVERY_SECONDS}
 * seconds, from {@link #tryUse}. Calls are serialised: a check and its write are one step.
 */
final class RocksNonceStore implements NonceStore {

  static final long PRUNE_EVERY_SECONDS = 60;
  private static final byte LOOKUP = 'n';
  private static final byte BY_EXPIRY = 'e';
  private static final int ENTRY = 20 + 32;

  private final Rocks rocks;
  private final Clock clock;
  private long lastPrune;

  RocksNonceStore(Rocks rocks, Clock clock) {
    this.rocks = Objects.requireNonNull(rocks, "rocks");
    this.clock = Objects.requireNonNull(clock, "clock");
    prune();
  }

  @Override
  public synchronized boolean tryUse(EthAddress signer, BigInteger nonce, long expiry) {
    long now = clock.instant().getEpochSecond();
    if (now - lastPrune >= PRUNE_EVERY_SECONDS) {
      prune();
    }
    byte[] entry = entry(signer, nonce);
    byte[] prior = rocks.get(prefixed(LOOKUP, entry));
    if (prior != null && ByteBuffer.wrap(prior).getLong() > now) {
      return false;
    }
    try (WriteBatch b = new WriteBatch()) {
      if (prior != null) {
        b.delete(byExpiry(ByteBuffer.wrap(prior).getLong(), entry));
      }
      b.put(prefixed(LOOKUP, entry), ByteBuffer.allocate(8).putLong(expiry).array());
      b.put(byExpiry(expiry, entry), new byte[0]);
      rocks.write(b);
    } catch (RocksDBException e) {
      throw new IllegalStateException("cannot stage a nonce write", e);
    }
    return true;
  }

  @Override
  public synchronized int prune() {
    long now = clock.instant().getEpochSecond();
    lastPrune = now;
    int pruned = 0;
    try (RocksIterator it = rocks.iterator();
        WriteBatch b = new WriteBatch()) {
      for (it.seek(new byte[] {BY_EXPIRY}); it.isValid(); it.next()) {
        byte[] key = it.key();
        // Expiries are non-negative, so their big-endian bytes sort as numbers.
        if (key[0] != BY_EXPIRY || ByteBuffer.wrap(key, 1, 8).getLong() > now) {
          break;
        }
        byte[] entry = java.util.Arrays.copyOfRange(key, 9, key.length);
        b.delete(key);
        b.delete(prefixed(LOOKUP, entry));
        pruned++;
      }
      if (pruned > 0) {
        rocks.write(b);
      }
    } catch (RocksDBException e) {
      throw new IllegalStateException("cannot stage a nonce prune", e);
    }
    return pruned;
  }

  @Override
  public synchronized long size() {
    long n = 0;
    try (RocksIterator it = rocks.iterator()) {
      byte[] p = {LOOKUP};
      for (it.seek(p); it.isValid() && Rocks.startsWith(it.key(), p); it.next()) {
        n++;
      }
    }
    return n;
  }

  @Override
  public synchronized void close() {
    rocks.close();
  }

  private static byte[] entry(EthAddress signer, BigInteger nonce) {
    if (nonce.signum() < 0 || nonce.bitLength() > 256) {
      throw new IllegalArgumentException("a nonce is a uint256: " + nonce);
    }
    byte[] out = new byte[ENTRY];
    signer.copyTo(out, 0);
    byte[] n = nonce.toByteArray();
    int len = Math.min(n.length, 32);
    System.arraycopy(n, n.length - len, out, ENTRY - len, len);
    return out;
  }

  private static byte[] prefixed(byte prefix, byte[] entry) {
    byte[] out = new byte[1 + entry.length];
    out[0] = prefix;
    System.arraycopy(entry, 0, out, 1, entry.length);
    return out;
  }

  private static byte[] byExpiry(long expiry, byte[] entry) {
    return ByteBuffer.allocate(1 + 8 + entry.length)
        .put(BY_EXPIRY)
        .putLong(expiry)
        .put(entry)
        .array();
  }
}
