package io.layerproof.node.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.layerproof.chain.event.Bytes32;
import io.layerproof.chain.event.EthAddress;
import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksIterator;

/** The RocksDB session store: keys, spending and revocations survive a restart; keys are hashed. */
class SessionStoreTest {

  static final EthAddress OWNER = EthAddress.fromHex("0x1111111111111111111111111111111111111111");
  static final Bytes32 ID1 = id(1);
  static final Bytes32 ID2 = id(2);

  @TempDir Path dir;

  static Bytes32 id(int n) {
    byte[] b = new byte[32];
    b[31] = (byte) n;
    return Bytes32.of(b);
  }

  static String code(Runnable r) {
    return assertThrows(GatewayException.class, r::run).code();
  }

  @Test
  void sessionsSurviveARestart() {
    TestClock clock = new TestClock(1_000);
    String key;
    String key2;
    try (SessionStore s = SessionStore.open(dir, clock)) {
      key = s.openSession(ID1, OWNER, BigInteger.valueOf(100), 5_000);
      key2 = s.openSession(ID2, OWNER, BigInteger.valueOf(100), 5_000);
      assertNull(s.openSession(ID1, OWNER, BigInteger.ONE, 5_000), "id taken");
      assertEquals(BigInteger.valueOf(30), s.charge(key, BigInteger.valueOf(30)).spent());
      s.revoke(s.revocable(ID2, OWNER));
    }
    try (SessionStore s = SessionStore.open(dir, clock)) {
      Session one = s.lookup(key);
      assertEquals(ID1, one.sessionId());
      assertEquals(OWNER, one.owner());
      assertEquals(BigInteger.valueOf(30), one.spent(), "spent kept");
      assertEquals(BigInteger.valueOf(100), one.cap());
      assertEquals(5_000, one.expiry());
      assertEquals("session_revoked", code(() -> s.lookup(key2)), "revoked stays revoked");
      assertNull(s.openSession(ID1, OWNER, BigInteger.ONE, 5_000), "id still taken");
      assertEquals(BigInteger.valueOf(100), s.charge(key, BigInteger.valueOf(70)).spent());
      assertEquals("session_cap_exhausted", code(() -> s.charge(key, BigInteger.ONE)));
      assertEquals("invalid_api_key", code(() -> s.lookup("lp-unknown")));
    }
    try (SessionStore s = SessionStore.open(dir, clock)) {
      assertEquals(BigInteger.valueOf(100), s.lookup(key).spent(), "the last charge is durable");
    }
  }

  @Test
  void onlyTheKeysHashIsStored() throws Exception {
    TestClock clock = new TestClock(1_000);
    String key;
    try (SessionStore s = SessionStore.open(dir, clock)) {
      key = s.openSession(ID1, OWNER, BigInteger.valueOf(100), 5_000);
    }
    String hashHex = SessionStore.hash(key).toString().substring(2);
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    try (RocksDB db = RocksDB.openReadOnly(dir.toString());
        RocksIterator it = db.newIterator()) {
      for (it.seekToFirst(); it.isValid(); it.next()) {
        all.write(it.key());
        all.write(it.value());
      }
    }
    String stored = all.toString(StandardCharsets.ISO_8859_1);
    assertTrue(stored.toLowerCase().contains(hashHex.toLowerCase()), "the hash is stored");
    String secret = key.substring(3);
    assertFalse(stored.contains(secret), "the key is not in the store");
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
        String raw = new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1);
        assertFalse(raw.contains(secret), "the key is in no file: " + f);
      }
    }
  }

  @Test
  void expiredSessionsArePruned() {
    TestClock clock = new TestClock(1_000);
    String key;
    try (SessionStore s = SessionStore.open(dir, clock)) {
      key = s.openSession(ID1, OWNER, BigInteger.valueOf(100), 2_000);
      assertNotNull(s.openSession(ID2, OWNER, BigInteger.valueOf(100), 9_000));
      clock.set(2_000);
      assertEquals("session_expired", code(() -> s.lookup(key)));
      assertEquals(1, s.prune());
      assertEquals(1, s.size());
      assertTrue(s.find(ID1).isEmpty());
    }
    try (SessionStore s = SessionStore.open(dir, clock)) {
      assertEquals(1, s.size(), "the pruned session stays gone");
      assertTrue(s.find(ID2).isPresent());
    }
  }

  @Test
  void inMemoryKeepsTheSameRules() {
    TestClock clock = new TestClock(1_000);
    SessionStore s = SessionStore.inMemory(clock);
    String key = s.openSession(ID1, OWNER, BigInteger.TEN, 2_000);
    assertEquals(BigInteger.TEN, s.charge(key, BigInteger.TEN).spent());
    assertEquals("session_cap_exhausted", code(() -> s.charge(key, BigInteger.ONE)));
    EthAddress other = EthAddress.fromHex("0x2222222222222222222222222222222222222222");
    assertEquals("not_session_owner", code(() -> s.revocable(ID1, other)));
    assertEquals("session_not_found", code(() -> s.revocable(ID2, OWNER)));
  }
}
