package io.layerproof.chain.devnet;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.rocksdb.Env;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.RocksMemEnv;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;
import org.web3j.utils.Numeric;

/**
 * Blocks, transactions, receipts and chain metadata in RocksDB. Everything one block adds is
 * written in one WriteBatch together with the new head, so a crash leaves either the whole block or
 * none of it. Batches go through the write-ahead log but are not fsynced: that survives a killed
 * process, and an fsync per block would buy nothing against a machine crash because libevm's
 * LevelDB state, which the head points into, is never fsynced either (an fsync was 90% of the time
 * of a transfer). Values are JSON (small, and readable when debugging a data folder).
 */
final class ChainStore implements AutoCloseable {

  private static final byte META = 'M';
  private static final byte GENESIS = 'G';
  private static final byte BLOCK = 'B';
  private static final byte BLOCK_HASH = 'H';
  private static final byte TX = 'T';
  private static final byte BLOOM = 'F';

  static {
    RocksDB.loadLibrary();
  }

  private final ObjectMapper json =
      new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
  private final Options options;
  private final Env env;
  private final RocksDB db;
  private final WriteOptions blockWrite = new WriteOptions().setSync(false);

  private ChainStore(Options options, Env env, String path) {
    this.options = options;
    this.env = env;
    try {
      this.db = RocksDB.open(options, path);
    } catch (RocksDBException e) {
      options.close();
      if (env != null) {
        env.close();
      }
      blockWrite.close();
      throw new IllegalStateException(
          "cannot open chain store at " + path + ": " + e.getMessage(), e);
    }
  }

  static ChainStore open(Path dir) {
    return new ChainStore(new Options().setCreateIfMissing(true), null, dir.toString());
  }

  /** RocksDB on an in-memory file system: same code path as on disk, gone on close. */
  static ChainStore inMemory() {
    RocksMemEnv env = new RocksMemEnv(Env.getDefault());
    Options options = new Options().setCreateIfMissing(true).setEnv(env);
    return new ChainStore(options, env, "/devnet-" + UUID.randomUUID());
  }

  Optional<ChainMeta> meta() {
    return Optional.ofNullable(read(new byte[] {META}, ChainMeta.class));
  }

  Optional<DevnetGenesis> genesis() {
    return Optional.ofNullable(read(new byte[] {GENESIS}, DevnetGenesis.class));
  }

  Block block(long number) {
    return read(blockKey(number), Block.class);
  }

  Block blockByHash(String hash) {
    byte[] n = get(hashKey(BLOCK_HASH, hash));
    return n == null ? null : block(ByteBuffer.wrap(n).getLong());
  }

  StoredTx tx(String hash) {
    return read(hashKey(TX, hash), StoredTx.class);
  }

  /** The genesis config, block 0 and the first head, in one batch. */
  void writeGenesis(DevnetGenesis genesis, Block block0, ChainMeta meta) {
    try (WriteBatch batch = new WriteBatch()) {
      batch.put(new byte[] {GENESIS}, bytes(genesis));
      putBlock(batch, block0, List.of());
      batch.put(new byte[] {META}, bytes(meta));
      db.write(blockWrite, batch);
    } catch (RocksDBException e) {
      throw new IllegalStateException("cannot write genesis: " + e.getMessage(), e);
    }
  }

  /** A block, its transactions with receipts, and the new head, in one atomic batch. */
  void appendBlock(Block block, List<StoredTx> txs, ChainMeta meta) {
    try (WriteBatch batch = new WriteBatch()) {
      putBlock(batch, block, txs);
      batch.put(new byte[] {META}, bytes(meta));
      db.write(blockWrite, batch);
    } catch (RocksDBException e) {
      throw new IllegalStateException(
          "cannot write block " + block.number() + ": " + e.getMessage(), e);
    }
  }

  void writeMeta(ChainMeta meta) {
    try (WriteBatch batch = new WriteBatch()) {
      batch.put(new byte[] {META}, bytes(meta));
      db.write(blockWrite, batch);
    } catch (RocksDBException e) {
      throw new IllegalStateException("cannot write chain head: " + e.getMessage(), e);
    }
  }

  /** Drops blocks above {@code keep} (evm_revert), with their transactions, in one batch. */
  void truncate(long keep, long head, ChainMeta meta) {
    try (WriteBatch batch = new WriteBatch()) {
      for (long n = keep + 1; n <= head; n++) {
        Block b = block(n);
        if (b == null) {
          continue;
        }
        for (String tx : b.transactions()) {
          batch.delete(hashKey(TX, tx));
        }
        batch.delete(hashKey(BLOCK_HASH, b.hash()));
        batch.delete(blockKey(n));
        batch.delete(numberKey(BLOOM, n));
      }
      batch.put(new byte[] {META}, bytes(meta));
      db.write(blockWrite, batch);
    } catch (RocksDBException e) {
      throw new IllegalStateException("cannot revert chain: " + e.getMessage(), e);
    }
  }

  /** A block number with its bloom; only blocks that have logs are indexed. */
  record BloomEntry(long number, byte[] bloom) {}

  /** Blocks in [from, to] that have logs, in order, read from a compact bloom index. */
  List<BloomEntry> blocksWithLogs(long from, long to) {
    List<BloomEntry> out = new ArrayList<>();
    try (RocksIterator it = db.newIterator()) {
      for (it.seek(numberKey(BLOOM, from)); it.isValid(); it.next()) {
        byte[] k = it.key();
        if (k.length != 9 || k[0] != BLOOM) {
          break;
        }
        long n = ByteBuffer.wrap(k, 1, 8).getLong();
        if (n > to) {
          break;
        }
        out.add(new BloomEntry(n, it.value()));
      }
    }
    return out;
  }

  private void putBlock(WriteBatch batch, Block block, List<StoredTx> txs) throws RocksDBException {
    batch.put(blockKey(block.number()), bytes(block));
    batch.put(
        hashKey(BLOCK_HASH, block.hash()), ByteBuffer.allocate(8).putLong(block.number()).array());
    for (StoredTx tx : txs) {
      batch.put(hashKey(TX, tx.receipt().transactionHash()), bytes(tx));
    }
    if (!LogsBloom.isEmpty(block.logsBloom())) {
      batch.put(numberKey(BLOOM, block.number()), block.logsBloom());
    }
  }

  private static byte[] blockKey(long number) {
    return numberKey(BLOCK, number);
  }

  /** Big-endian numbers keep RocksDB's byte order equal to block order. */
  private static byte[] numberKey(byte prefix, long number) {
    return ByteBuffer.allocate(9).put(prefix).putLong(number).array();
  }

  private static byte[] hashKey(byte prefix, String hash) {
    byte[] h = Numeric.hexStringToByteArray(hash);
    byte[] k = new byte[1 + h.length];
    k[0] = prefix;
    System.arraycopy(h, 0, k, 1, h.length);
    return k;
  }

  private byte[] get(byte[] key) {
    try {
      return db.get(key);
    } catch (RocksDBException e) {
      throw new IllegalStateException("chain store read failed: " + e.getMessage(), e);
    }
  }

  private <T> T read(byte[] key, Class<T> type) {
    byte[] v = get(key);
    if (v == null) {
      return null;
    }
    try {
      return json.readValue(v, type);
    } catch (IOException e) {
      throw new IllegalStateException(
          "corrupt "
              + type.getSimpleName()
              + " under key "
              + new String(key, 0, 1, StandardCharsets.US_ASCII),
          e);
    }
  }

  private byte[] bytes(Object value) {
    try {
      return json.writeValueAsBytes(value);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    db.close();
    blockWrite.close();
    options.close();
    if (env != null) {
      env.close();
    }
  }
}
