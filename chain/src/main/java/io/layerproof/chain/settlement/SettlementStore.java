package io.layerproof.chain.settlement;

import io.layerproof.chain.event.CanonicalJson;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/**
 * The settlement module's own RocksDB: string keys, canonical-JSON values, and atomic, fsynced
 * write batches, so that a job's settlement, the balances it raises and the ledger event it owes
 * are recorded together or not at all. RocksDB's lock keeps a second process out of the folder.
 *
 * <pre>
 * job/&lt;jobId&gt;                 JobRecord           every job seen on chain
 * open/&lt;jobId&gt;                (empty)             jobs not settled yet
 * bal/&lt;account&gt;               decimal             cumulative earnings accounted so far
 * seq                         decimal             settlement counter (last used)
 * scan                        decimal             last block scanned for JobOpened
 * epoch/&lt;epoch, 20 digits&gt;    EpochRecord         frozen balances, root, posting status
 * lastEpoch                   decimal             the newest epoch recorded
 * claim/&lt;account&gt;/&lt;epoch&gt;     ClaimRecord         one claim attempt per account and epoch
 * outbox/&lt;seq, 20 digits&gt;     SettledJob          ledger events the caller has not appended yet
 * </pre>
 */
public final class SettlementStore implements AutoCloseable {

  static {
    RocksDB.loadLibrary();
  }

  private final Path dir;
  private final Options options;
  private final WriteOptions synced;
  private final RocksDB db;
  private volatile boolean closed;

  private SettlementStore(Path dir) {
    this.dir = dir;
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new SettlementException("cannot create the settlement folder " + dir, e);
    }
    options = new Options().setCreateIfMissing(true);
    synced = new WriteOptions().setSync(true);
    try {
      db = RocksDB.open(options, dir.toString());
    } catch (RocksDBException e) {
      synced.close();
      options.close();
      throw new SettlementException(
          "cannot open the settlement store at "
              + dir
              + " (is another process using it?): "
              + e.getMessage(),
          e);
    }
  }

  /** Opens (or creates) the store in {@code dir}. */
  public static SettlementStore open(Path dir) {
    return new SettlementStore(dir);
  }

  public Path dir() {
    return dir;
  }

  <T> Optional<T> get(String key, Class<T> type) {
    byte[] raw = getRaw(key);
    return raw == null ? Optional.empty() : Optional.of(decode(key, raw, type));
  }

  byte[] getRaw(String key) {
    ensureOpen();
    try {
      return db.get(bytes(key));
    } catch (RocksDBException e) {
      throw new SettlementException("settlement store read of " + key + " failed", e);
    }
  }

  /** Keys starting with {@code prefix}, in byte order, with their values. */
  List<Entry> scan(String prefix) {
    ensureOpen();
    byte[] p = bytes(prefix);
    List<Entry> out = new ArrayList<>();
    try (RocksIterator it = db.newIterator()) {
      for (it.seek(p); it.isValid() && startsWith(it.key(), p); it.next()) {
        out.add(new Entry(new String(it.key(), StandardCharsets.UTF_8), it.value()));
      }
    }
    return out;
  }

  record Entry(String key, byte[] value) {
    <T> T as(Class<T> type) {
      return decode(key, value, type);
    }
  }

  /** A write that becomes visible, fsynced, all at once on {@link Batch#commit()}. */
  Batch batch() {
    ensureOpen();
    return new Batch();
  }

  final class Batch implements AutoCloseable {
    private final WriteBatch batch = new WriteBatch();

    Batch put(String key, Object value) {
      return putRaw(key, CanonicalJson.encode(value));
    }

    Batch putRaw(String key, byte[] value) {
      try {
        batch.put(bytes(key), value);
      } catch (RocksDBException e) {
        throw new SettlementException("cannot stage a write of " + key, e);
      }
      return this;
    }

    Batch delete(String key) {
      try {
        batch.delete(bytes(key));
      } catch (RocksDBException e) {
        throw new SettlementException("cannot stage a delete of " + key, e);
      }
      return this;
    }

    void commit() {
      ensureOpen();
      try {
        db.write(synced, batch);
      } catch (RocksDBException e) {
        throw new SettlementException("settlement store write failed: " + e.getMessage(), e);
      }
    }

    @Override
    public void close() {
      batch.close();
    }
  }

  private static <T> T decode(String key, byte[] raw, Class<T> type) {
    try {
      return CanonicalJson.decode(raw, type);
    } catch (IOException | RuntimeException e) {
      throw new SettlementException(
          "settlement store: the value of " + key + " is not a valid " + type.getSimpleName(), e);
    }
  }

  private static byte[] bytes(String key) {
    return key.getBytes(StandardCharsets.UTF_8);
  }

  private static boolean startsWith(byte[] key, byte[] prefix) {
    return key.length >= prefix.length
        && java.util.Arrays.equals(key, 0, prefix.length, prefix, 0, prefix.length);
  }

  private void ensureOpen() {
    if (closed) {
      throw new SettlementException("the settlement store at " + dir + " is closed");
    }
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    db.close();
    synced.close();
    options.close();
  }
}
