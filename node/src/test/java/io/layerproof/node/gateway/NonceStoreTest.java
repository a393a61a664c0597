package io.layerproof.node.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.layerproof.chain.event.EthAddress;
import java.math.BigInteger;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The RocksDB nonce store: durable across reopen, pruned at expiry; the in-memory one alike. */
class NonceStoreTest {

  static final EthAddress A = EthAddress.fromHex("0x1111111111111111111111111111111111111111");
  static final EthAddress B = EthAddress.fromHex("0x2222222222222222222222222222222222222222");
  static final BigInteger MAX = BigInteger.TWO.pow(256).subtract(BigInteger.ONE);

  @TempDir Path dir;

  @Test
  void aUsedNonceIsRefusedAfterReopen() {
    TestClock clock = new TestClock(1_000_000);
    try (NonceStore s = NonceStore.open(dir, clock)) {
      assertTrue(s.tryUse(A, BigInteger.valueOf(7), 1_000_100));
      assertFalse(s.tryUse(A, BigInteger.valueOf(7), 1_000_100), "replay");
      assertTrue(s.tryUse(B, BigInteger.valueOf(7), 1_000_100), "nonces are per signer");
      assertTrue(s.tryUse(A, MAX, 1_000_100));
      assertTrue(s.tryUse(A, BigInteger.ZERO, 1_000_100));
    }
    try (NonceStore s = NonceStore.open(dir, clock)) {
      assertEquals(4, s.size());
      assertFalse(s.tryUse(A, BigInteger.valueOf(7), 1_000_100));
      assertFalse(s.tryUse(B, BigInteger.valueOf(7), 1_000_100));
      assertFalse(s.tryUse(A, MAX, 1_000_100));
      assertFalse(s.tryUse(A, BigInteger.ZERO, 1_000_100));
      assertTrue(s.tryUse(A, BigInteger.valueOf(8), 1_000_100));
    }
  }

  @Test
  void expiredEntriesArePruned() {
    TestClock clock = new TestClock(1_000);
    try (NonceStore s = NonceStore.open(dir, clock)) {
      assertTrue(s.tryUse(A, BigInteger.ONE, 1_100));
      assertTrue(s.tryUse(A, BigInteger.TWO, 2_000));
      assertTrue(s.tryUse(B, BigInteger.ONE, 1_050));
      clock.set(1_100);
      assertEquals(2, s.prune());
      assertEquals(1, s.size());
      assertFalse(s.tryUse(A, BigInteger.TWO, 2_000), "the live one is kept");
      // Past its expiry the old message is refused as expired, so its nonce may come back.
      assertTrue(s.tryUse(A, BigInteger.ONE, 1_200));
      assertEquals(2, s.size());
    }
    clock.set(5_000);
    try (NonceStore s = NonceStore.open(dir, clock)) {
      assertEquals(0, s.size(), "pruned on open");
    }
  }

  @Test
  void pruningAlsoRunsFromTryUse() {
    TestClock clock = new TestClock(1_000);
    try (NonceStore s = NonceStore.open(dir, clock)) {
      for (int i = 0; i < 50; i++) {
        assertTrue(s.tryUse(A, BigInteger.valueOf(i), 1_010));
      }
      clock.set(1_000 + RocksNonceStore.PRUNE_EVERY_SECONDS);
      assertTrue(s.tryUse(B, BigInteger.ONE, 5_000));
      assertEquals(1, s.size());
    }
  }

  @Test
  void aSecondOpenOfTheFolderIsRefused() {
    TestClock clock = new TestClock(1_000);
    try (NonceStore s = NonceStore.open(dir, clock)) {
      assertThrows(IllegalStateException.class, () -> NonceStore.open(dir, clock));
      assertTrue(s.tryUse(A, BigInteger.ONE, 2_000), "the first is still usable");
    }
  }

  @Test
  void inMemoryFollowsTheSameRules() {
    TestClock clock = new TestClock(1_000);
    NonceStore s = NonceStore.inMemory(clock);
    assertTrue(s.tryUse(A, BigInteger.ONE, 1_100));
    assertFalse(s.tryUse(A, BigInteger.ONE, 1_100));
    assertTrue(s.tryUse(B, BigInteger.ONE, 1_100));
    clock.set(1_100);
    assertEquals(2, s.prune());
    assertEquals(0, s.size());
    assertTrue(s.tryUse(A, BigInteger.ONE, 1_200));
  }
}
