package io.layerproof.node.gateway;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.layerproof.chain.event.Bytes32;
import io.layerproof.chain.event.EthAddress;
import java.io.IOException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;

/**
 * Sessions in RocksDB, one fsynced put per change: {@code 's' || sessionId (32) -> JSON} of {@link
 * Stored} (the key's SHA-256, never the key).
 */
final class RocksSessionLog implements SessionLog {

  private static final byte PREFIX = 's';
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The stored form: amounts as decimal strings, ids and addresses as 0x hex. */
  record Stored(
      String sessionId,
      String keyHash,
      String owner,
      String cap,
      long expiry,
      String spent,
      boolean revoked,
      String grantNonce,
      String grantSignature) {

    static Stored of(Session s) {
      return new Stored(
          s.sessionId().toString(),
          s.keyHash().toString(),
          s.owner().toString(),
          s.cap().toString(),
          s.expiry(),
          s.spent().toString(),
          s.revoked(),
          s.grantNonce().toString(),
          s.grantSignature());
    }

    Session session() {
      return new Session(
          Bytes32.fromHex(sessionId),
          Bytes32.fromHex(keyHash),
          EthAddress.fromHex(owner),
          new BigInteger(cap),
          expiry,
          new BigInteger(spent),
          revoked,
          grantNonce == null ? BigInteger.ZERO : new BigInteger(grantNonce),
          grantSignature == null ? "0x" : grantSignature);
    }
  }

  private final Rocks rocks;

  RocksSessionLog(Rocks rocks) {
    this.rocks = rocks;
  }

  @Override
  public List<Session> loadAll() {
    List<Session> out = new ArrayList<>();
    byte[] p = {PREFIX};
    try (RocksIterator it = rocks.iterator()) {
      for (it.seek(p); it.isValid() && Rocks.startsWith(it.key(), p); it.next()) {
        try {
          out.add(JSON.readValue(it.value(), Stored.class).session());
        } catch (IOException | RuntimeException e) {
          throw new IllegalStateException("a stored session is unreadable", e);
        }
      }
    }
    return out;
  }

  @Override
  public void put(Session s) {
    try {
      rocks.put(key(s.sessionId()), JSON.writeValueAsBytes(Stored.of(s)));
    } catch (IOException e) {
      throw new IllegalStateException("cannot encode a session", e);
    }
  }

  @Override
  public void delete(List<Bytes32> ids) {
    try (WriteBatch b = new WriteBatch()) {
      for (Bytes32 id : ids) {
        b.delete(key(id));
      }
      rocks.write(b);
    } catch (RocksDBException e) {
      throw new IllegalStateException("cannot stage a session delete", e);
    }
  }

  @Override
  public void close() {
    rocks.close();
  }

  private static byte[] key(Bytes32 id) {
    byte[] k = new byte[33];
    k[0] = PREFIX;
    id.copyTo(k, 1);
    return k;
  }
}
