package io.layerproof.node.gateway;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/**
 * One RocksDB folder of the gateway's stores, written only with fsynced batches: a write that
 * returns is on disk, so a crash cannot undo an accepted nonce or a charge. RocksDB's lock keeps a
 * second process out of the folder.
 */
final class Rocks implements AutoCloseable {

  static {
    RocksDB.loadLibrary();
  }

  private final Path dir;
  private final Options options;
  private final WriteOptions synced;
  private final RocksDB db;

  private Rocks(Path dir, Options options, WriteOptions synced, RocksDB db) {
    this.dir = dir;
    this.options = options;
    this.synced = synced;
    this.db = db;
  }

  static Rocks open(Path dir, String what) {
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the " + what + " folder " + dir, e);
    }
    Options options = new Options().setCreateIfMissing(true);
    WriteOptions synced = new WriteOptions().setSync(true);
    try {
      return new Rocks(dir, options, synced, RocksDB.open(options, dir.toString()));
    } catch (RocksDBException e) {
      synced.close();
      options.close();
      throw new IllegalStateException(
          "cannot open the " + what + " at " + dir + " (is another process using it?)", e);
    }
  }

  byte[] get(byte[] key) {
    try {
      return db.get(key);
    } catch (RocksDBException e) {
      throw new IllegalStateException("read from " + dir + " failed", e);
    }
  }

  /** Applies {@code batch} atomically and fsyncs it before returning. */
  void write(WriteBatch batch) {
    try {
      db.write(synced, batch);
    } catch (RocksDBException e) {
      throw new IllegalStateException("write to " + dir + " failed", e);
    }
  }

  /** One fsynced put. */
  void put(byte[] key, byte[] value) {
    try (WriteBatch b = new WriteBatch()) {
      b.put(key, value);
      write(b);
    } catch (RocksDBException e) {
      throw new IllegalStateException("write to " + dir + " failed", e);
    }
  }

  RocksIterator iterator() {
    return db.newIterator();
  }

  static boolean startsWith(byte[] key, byte[] prefix) {
    return key.length >= prefix.length
        && java.util.Arrays.equals(key, 0, prefix.length, prefix, 0, prefix.length);
  }

  @Override
  public void close() {
    db.close();
    synced.close();
    options.close();
  }
}
