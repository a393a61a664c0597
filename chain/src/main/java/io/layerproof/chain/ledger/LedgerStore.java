package io.layerproof.chain.ledger;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.BloomFilter;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.CompressionType;
import org.rocksdb.DBOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/**
 * The ledger's RocksDB: one column family per kind of record, big-endian keys so that RocksDB's
 * byte order is index order. Owns every native handle and closes them in one place.
 *
 * <pre>
 * default       "head"                       -> index(8) | entryHash(32)     commit marker
 * entries       index(8)                     -> entryHash(32) | envelopeHash(32) | wire
 * event_ids     eventId(16)                  -> index(8)                     dedup
 * by_author     author(32) | index(8)        -> seq(8)                       author sequence
 * by_job        jobId(32) | index(8)         -> (empty)
 * by_node       nodeId(32) | index(8)        -> (empty)                      author + named nodes
 * by_type       type(ascii) | 0 | index(8)   -> (empty)
 * batches       batchIndex(8)                -> BatchRecord (canonical JSON)
 * batch_starts  firstIndex(8)                -> batchIndex(8)                index -> batch
 * anchors       batchIndex(8)                -> AnchorStatus (canonical JSON)
 * snapshots     index(8)                     -> LedgerState (canonical JSON)
 * </pre>
 */
final class LedgerStore implements AutoCloseable {

  static final byte[] HEAD_KEY = "head".getBytes(StandardCharsets.US_ASCII);

  static {
    RocksDB.loadLibrary();
  }

  private final DBOptions dbOptions;
  private final ColumnFamilyOptions plain;
  private final ColumnFamilyOptions bloom;
  private final BloomFilter bloomFilter;
  private final List<ColumnFamilyHandle> handles = new ArrayList<>();
  private final RocksDB db;
  private final WriteOptions synced = new WriteOptions().setSync(true);
  final ColumnFamilyHandle meta;
  final ColumnFamilyHandle entries;
  final ColumnFamilyHandle eventIds;
  final ColumnFamilyHandle byAuthor;
  final ColumnFamilyHandle byJob;
  final ColumnFamilyHandle byNode;
  final ColumnFamilyHandle byType;
  final ColumnFamilyHandle batches;
  final ColumnFamilyHandle batchStarts;
  final ColumnFamilyHandle anchors;
  final ColumnFamilyHandle snapshots;

  /** True when opened read-only: another process may be writing, nothing here writes. */
  final boolean readOnly;

  private LedgerStore(Path dir, boolean readOnly) {
    this.readOnly = readOnly;
    if (!readOnly) {
      try {
        Files.createDirectories(dir);
      } catch (java.io.IOException e) {
        throw new LedgerException("cannot create ledger folder " + dir, e);
      }
    }
    dbOptions = new DBOptions().setCreateIfMissing(true).setCreateMissingColumnFamilies(true);
    // Ingest is CPU-bound on signature checks: spend no CPU compressing (signatures and hashes
    // do not compress anyway).
    plain = new ColumnFamilyOptions().setCompressionType(CompressionType.NO_COMPRESSION);
    // Dedup looks up every incoming id, almost always a miss: a Bloom filter answers from memory.
    bloomFilter = new BloomFilter(10, false);
    bloom =
        new ColumnFamilyOptions()
            .setCompressionType(CompressionType.NO_COMPRESSION)
            .setTableFormatConfig(new BlockBasedTableConfig().setFilterPolicy(bloomFilter));
    String[] names = {
      "default",
      "entries",
      "event_ids",
      "by_author",
      "by_job",
      "by_node",
      "by_type",
      "batches",
      "batch_starts",
      "anchors",
      "snapshots"
    };
    List<ColumnFamilyDescriptor> descriptors = new ArrayList<>();
    for (String name : names) {
      descriptors.add(
          new ColumnFamilyDescriptor(
              name.getBytes(StandardCharsets.US_ASCII), name.equals("event_ids") ? bloom : plain));
    }
    try {
      db =
          readOnly
              ? RocksDB.openReadOnly(dbOptions, dir.toString(), descriptors, handles)
              : RocksDB.open(dbOptions, dir.toString(), descriptors, handles);
    } catch (RocksDBException e) {
      closeOptions();
      throw new LedgerException(
          "cannot open the ledger at " + dir + " (is another process using it?): " + e.getMessage(),
          e);
    }
    meta = handles.get(0);
    entries = handles.get(1);
    eventIds = handles.get(2);
    byAuthor = handles.get(3);
    byJob = handles.get(4);
    byNode = handles.get(5);
    byType = handles.get(6);
    batches = handles.get(7);
    batchStarts = handles.get(8);
    anchors = handles.get(9);
    snapshots = handles.get(10);
  }

  static LedgerStore open(Path dir) {
    return new LedgerStore(dir, false);
  }

  /**
   * Opens a ledger another process may be writing, as it stands now (RocksDB's read-only mode takes
   * no lock and sees what was durable at open).
   */
  static LedgerStore openReadOnly(Path dir) {
    return new LedgerStore(dir, true);
  }

  byte[] get(ColumnFamilyHandle cf, byte[] key) {
    try {
      return db.get(cf, key);
    } catch (RocksDBException e) {
      throw new LedgerException("read failed: " + e.getMessage(), e);
    }
  }

  /** A new atomic write; nothing of it is visible until {@link Write#commit()}. */
  Write write() {
    return new Write();
  }

  /**
   * A RocksDB write batch with unchecked errors; {@link #commit()} applies it atomically and
   * returns only after it is fsynced.
   */
  final class Write implements AutoCloseable {
    private final WriteBatch batch = new WriteBatch();

    void put(ColumnFamilyHandle cf, byte[] key, byte[] value) {
      try {
        batch.put(cf, key, value);
      } catch (RocksDBException e) {
        throw new LedgerException("cannot stage a write: " + e.getMessage(), e);
      }
    }

    void delete(ColumnFamilyHandle cf, byte[] key) {
      try {
        batch.delete(cf, key);
      } catch (RocksDBException e) {
        throw new LedgerException("cannot stage a delete: " + e.getMessage(), e);
      }
    }

    /** Deletes keys from {@code from} (inclusive) on. */
    void deleteFrom(ColumnFamilyHandle cf, byte[] from) {
      try {
        batch.deleteRange(cf, from, be(Long.MAX_VALUE));
      } catch (RocksDBException e) {
        throw new LedgerException("cannot stage a range delete: " + e.getMessage(), e);
      }
    }

    void commit() {
      try {
        db.write(synced, batch);
      } catch (RocksDBException e) {
        throw new LedgerException("write failed: " + e.getMessage(), e);
      }
    }

    @Override
    public void close() {
      batch.close();
    }
  }

  RocksIterator iterator(ColumnFamilyHandle cf) {
    return db.newIterator(cf);
  }

  /**
   * Keys of {@code cf} that start with {@code prefix}, in order, as the index in their last 8
   * bytes.
   */
  List<Long> indicesWithPrefix(ColumnFamilyHandle cf, byte[] prefix, long maxIndex) {
    List<Long> out = new ArrayList<>();
    try (RocksIterator it = db.newIterator(cf)) {
      for (it.seek(prefix); it.isValid() && startsWith(it.key(), prefix); it.next()) {
        long index = lastLong(it.key());
        if (index <= maxIndex) {
          out.add(index);
        }
      }
    }
    return out;
  }

  static boolean startsWith(byte[] key, byte[] prefix) {
    return key.length >= prefix.length
        && java.util.Arrays.equals(key, 0, prefix.length, prefix, 0, prefix.length);
  }

  static byte[] be(long value) {
    return ByteBuffer.allocate(8).putLong(value).array();
  }

  static long readLong(byte[] bytes, int offset) {
    return ByteBuffer.wrap(bytes, offset, 8).getLong();
  }

  static long lastLong(byte[] key) {
    return readLong(key, key.length - 8);
  }

  static byte[] concat(byte[] prefix, long index) {
    return ByteBuffer.allocate(prefix.length + 8).put(prefix).putLong(index).array();
  }

  static byte[] typePrefix(String type) {
    byte[] name = type.getBytes(StandardCharsets.US_ASCII);
    byte[] prefix = new byte[name.length + 1];
    System.arraycopy(name, 0, prefix, 0, name.length);
    return prefix; // trailing 0 separates "Job" from "JobPosted"
  }

  @Override
  public void close() {
    for (ColumnFamilyHandle h : handles) {
      h.close();
    }
    db.close();
    synced.close();
    closeOptions();
  }

  private void closeOptions() {
    dbOptions.close();
    plain.close();
    bloom.close();
    bloomFilter.close();
  }
}
