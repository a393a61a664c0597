package io.layerproof.verifier.commit;

import io.layerproof.chain.merkle.MerkleTree;
import io.layerproof.inference.hook.Activation;
import io.layerproof.inference.hook.LayerHook;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/**
 * Keeps a provider's activations in RocksDB for the challenge window and serves reveals (the
 * activation, its leaf and its Merkle proof). The bytes stored are exactly the bytes committed, so
 * FP16 storage is chosen where the activations are produced ({@code ShardOptions.hookType}).
 *
 * <p>Keys: {@code 'A' job start position layer} for activations, {@code 'C' job start} for a sealed
 * commitment (time, root, boundaries, leaves), {@code 'P' job start} for a job still being
 * recorded, {@code 'I' job start seq} and {@code 'O' job start seq} for the frames the shard
 * received and sent (start position, boundary leaf, and the frame itself unless it is the last
 * shard's logits), so the first layer's inputs and the last layer's outgoing frame can be revealed
 * against the boundary roots. {@link #prune} drops whatever is older than the retention window.
 */
public final class ActivationStore implements AutoCloseable {

  static {
    RocksDB.loadLibrary();
  }

  private final Options options;
  private final RocksDB db;
  private final WriteOptions writeOptions;
  private final Duration retention;
  private final Clock clock;

  private ActivationStore(Options options, RocksDB db, Duration retention, Clock clock) {
    this.options = options;
    this.db = db;
    this.writeOptions = new WriteOptions();
    this.retention = retention;
    this.clock = clock;
  }

  public static ActivationStore open(Path dir, Duration retention, Clock clock) {
    if (retention.isNegative() || retention.isZero()) {
      throw new IllegalArgumentException("retention must be positive, got " + retention);
    }
    Options options = new Options().setCreateIfMissing(true);
    try {
      return new ActivationStore(options, RocksDB.open(options, dir.toString()), retention, clock);
    } catch (RocksDBException e) {
      options.close();
      throw new IllegalStateException("cannot open activation store at " + dir, e);
    }
  }

  /** A hook that records one (job, shard)'s activations, flushed once per forward step. */
  public Recorder recorder(String jobId, int startLayer) {
    put(key('P', jobId, startLayer), longBytes(clock.millis()));
    return new Recorder(jobId, startLayer);
  }

  /** Stores the commitment so reveals can be proven; starts its retention window. */
  public void seal(ShardCommitment c) {
    ByteBuffer buf = ByteBuffer.allocate(8 + 12 + 32 * 3 + 4 + 32 * c.leaves().size());
    buf.putLong(clock.millis()).putInt(c.startLayer()).putInt(c.endLayer()).putInt(c.positions());
    buf.put(c.root()).put(c.inputBoundary()).put(c.outputBoundary()).putInt(c.leaves().size());
    c.leaves().forEach(buf::put);
    try (WriteBatch batch = new WriteBatch()) {
      batch.put(key('C', c.jobId(), c.startLayer()), buf.array());
      batch.delete(key('P', c.jobId(), c.startLayer()));
      db.write(writeOptions, batch);
    } catch (RocksDBException e) {
      throw new IllegalStateException("cannot seal commitment of job " + c.jobId(), e);
    }
  }

  /** The activation of (position, layer) with its leaf and Merkle proof. */
  public Reveal reveal(String jobId, int startLayer, int position, int layer) {
    return open(jobId, startLayer).reveal(position, layer);
  }

  /**
   * A sealed (job, shard) ready to serve many reveals: its trees are built once here, not once per
   * reveal. Fails if the job was never sealed or its retention window has passed.
   */
  public SealedShard open(String jobId, int startLayer) {
    byte[] sealed = get(key('C', jobId, startLayer));
    if (sealed == null) {
      throw new IllegalArgumentException(
          "no sealed commitment for job " + jobId + " at layer " + startLayer);
    }
    ByteBuffer buf = ByteBuffer.wrap(sealed);
    Instant expires = Instant.ofEpochMilli(buf.getLong()).plus(retention);
    if (clock.instant().isAfter(expires)) {
      throw new IllegalStateException("activations of job " + jobId + " expired at " + expires);
    }
    int start = buf.getInt();
    int end = buf.getInt();
    int positions = buf.getInt();
    buf.position(buf.position() + 96);
    List<byte[]> leaves = new ArrayList<>(buf.getInt());
    while (buf.hasRemaining()) {
      byte[] leaf = new byte[32];
      buf.get(leaf);
      leaves.add(leaf);
    }
    return new SealedShard(jobId, start, end, positions, MerkleTree.of(leaves));
  }

  /** One sealed (job, shard): reveals of activations and of boundary frames. */
  public final class SealedShard {
    private final String jobId;
    private final int startLayer;
    private final int endLayer;
    private final int positions;
    private final MerkleTree tree;
    private List<StoredFrame> inputs;
    private List<StoredFrame> outputs;
    private MerkleTree inputTree;
    private MerkleTree outputTree;

    private SealedShard(
        String jobId, int startLayer, int endLayer, int positions, MerkleTree tree) {
      this.jobId = jobId;
      this.startLayer = startLayer;
      this.endLayer = endLayer;
      this.positions = positions;
      this.tree = tree;
    }

    public int startLayer() {
      return startLayer;
    }

    public int endLayer() {
      return endLayer;
    }

    public int positions() {
      return positions;
    }

    /** The activation of (position, layer) with its leaf and Merkle proof. */
    public Reveal reveal(int position, int layer) {
      int index = ShardCommitment.leafIndex(startLayer, endLayer, positions, position, layer);
      byte[] value = get(activationKey(jobId, startLayer, position, layer));
      if (value == null) {
        throw new IllegalStateException(
            "activation of job " + jobId + " at " + position + "/" + layer + " is missing");
      }
      return new Reveal(
          jobId,
          startLayer,
          position,
          layer,
          ActivationCodec.decode(value),
          tree.leaf(index),
          tree.proof(index));
    }

    /**
     * The frames this shard received that hold positions {@code 0..upToPosition}, in order, each
     * with its proof against the commitment's input boundary root.
     */
    public List<FrameReveal> inputFrames(int upToPosition) {
      if (inputs == null) {
        inputs = frames('I');
        inputTree = treeOf(inputs, "input");
      }
      List<FrameReveal> out = new ArrayList<>();
      for (int i = 0; i < inputs.size() && inputs.get(i).startPosition <= upToPosition; i++) {
        out.add(frameReveal(FrameReveal.Side.INPUT, inputs, inputTree, i));
      }
      return out;
    }

    /**
     * The frame this shard sent that holds {@code position}, with its proof against the output
     * boundary root; null if there is none with data (the last shard sends logits, not kept).
     */
    public FrameReveal outputFrame(int position) {
      if (outputs == null) {
        outputs = frames('O');
        outputTree = treeOf(outputs, "output");
      }
      for (int i = 0; i < outputs.size(); i++) {
        StoredFrame f = outputs.get(i);
        if (f.frame != null
            && f.startPosition <= position
            && position < f.startPosition + f.frame.shape()[0]) {
          return frameReveal(FrameReveal.Side.OUTPUT, outputs, outputTree, i);
        }
      }
      return null;
    }

    private FrameReveal frameReveal(
        FrameReveal.Side side, List<StoredFrame> frames, MerkleTree t, int i) {
      StoredFrame f = frames.get(i);
      if (f.frame == null) {
        throw new IllegalStateException(
            side + " frame " + i + " of job " + jobId + " was not kept (logits)");
      }
      return new FrameReveal(
          jobId, startLayer, side, i, f.startPosition, f.frame, t.leaf(i), t.proof(i));
    }

    private MerkleTree treeOf(List<StoredFrame> frames, String what) {
      if (frames.isEmpty()) {
        throw new IllegalStateException("no " + what + " frames recorded for job " + jobId);
      }
      return MerkleTree.of(frames.stream().map(f -> f.leaf).toList());
    }

    private List<StoredFrame> frames(char kind) {
      byte[] prefix = key(kind, jobId, startLayer);
      List<StoredFrame> list = new ArrayList<>();
      try (RocksIterator it = db.newIterator()) {
        for (it.seek(prefix); it.isValid() && startsWith(it.key(), prefix); it.next()) {
          list.add(StoredFrame.decode(it.value()));
        }
      }
      return list;
    }
  }

  /** A recorded boundary frame: where it starts, its boundary leaf, and its bytes if kept. */
  private record StoredFrame(int startPosition, byte[] leaf, Activation frame) {

    byte[] encode() {
      byte[] data = frame == null ? new byte[0] : ActivationCodec.encode(frame);
      return ByteBuffer.allocate(4 + 32 + 1 + data.length)
          .putInt(startPosition)
          .put(leaf)
          .put((byte) (frame == null ? 0 : 1))
          .put(data)
          .array();
    }

    static StoredFrame decode(byte[] value) {
      ByteBuffer buf = ByteBuffer.wrap(value);
      int start = buf.getInt();
      byte[] leaf = new byte[32];
      buf.get(leaf);
      Activation frame = null;
      if (buf.get() == 1) {
        byte[] data = new byte[buf.remaining()];
        buf.get(data);
        frame = ActivationCodec.decode(data);
      }
      return new StoredFrame(start, leaf, frame);
    }
  }

  /** Deletes every job whose window has passed (sealed or abandoned); returns how many. */
  public int prune() {
    long cutoff = clock.millis() - retention.toMillis();
    List<byte[]> expired = new ArrayList<>();
    for (byte prefix : new byte[] {'C', 'P'}) {
      try (RocksIterator it = db.newIterator()) {
        for (it.seek(new byte[] {prefix}); it.isValid() && it.key()[0] == prefix; it.next()) {
          if (ByteBuffer.wrap(it.value()).getLong() < cutoff) {
            expired.add(it.key());
          }
        }
      }
    }
    try (WriteBatch batch = new WriteBatch()) {
      for (byte[] k : expired) {
        for (byte kind : new byte[] {'A', 'I', 'O'}) {
          byte[] jobPrefix = Arrays.copyOf(k, k.length);
          jobPrefix[0] = kind;
          batch.deleteRange(jobPrefix, upperBound(jobPrefix));
        }
        batch.delete(k);
      }
      db.write(writeOptions, batch);
    } catch (RocksDBException e) {
      throw new IllegalStateException("cannot prune the activation store", e);
    }
    return expired.size();
  }

  /** Stored activations of one (job, shard); for tests and operators. */
  long countKeys(String jobId, int startLayer) {
    return countKeys('A', jobId, startLayer);
  }

  /** Stored keys of one kind ('A', 'I', 'O') of one (job, shard). */
  long countKeys(char kind, String jobId, int startLayer) {
    byte[] prefix = key(kind, jobId, startLayer);
    long n = 0;
    try (RocksIterator it = db.newIterator()) {
      for (it.seek(prefix); it.isValid() && startsWith(it.key(), prefix); it.next()) {
        n++;
      }
    }
    return n;
  }

  private static boolean startsWith(byte[] key, byte[] prefix) {
    return key.length >= prefix.length
        && Arrays.equals(key, 0, prefix.length, prefix, 0, prefix.length);
  }

  @Override
  public void close() {
    writeOptions.close();
    db.close();
    options.close();
  }

  /** Records activations through the layer hook; {@link #bytesWritten} counts value bytes. */
  public final class Recorder implements LayerHook {
    private final String jobId;
    private final int startLayer;
    private WriteBatch batch = new WriteBatch();
    private long bytesWritten;
    private long frameBytesWritten;
    private int inputFrames;
    private int outputFrames;

    private Recorder(String jobId, int startLayer) {
      this.jobId = jobId;
      this.startLayer = startLayer;
    }

    @Override
    public synchronized void onLayerOutput(String job, int position, int layer, Activation a) {
      if (!jobId.equals(job)) {
        throw new IllegalArgumentException("recorder of job " + jobId + " got job " + job);
      }
      byte[] value = ActivationCodec.encode(a);
      bytesWritten += value.length;
      try {
        batch.put(activationKey(job, startLayer, position, layer), value);
      } catch (RocksDBException e) {
        throw new IllegalStateException(e);
      }
    }

    /** Keeps the frame received (token ids or hidden states): the first layer's input. */
    @Override
    public synchronized void onShardInput(String job, int startPosition, Activation frame) {
      putFrame('I', inputFrames++, job, startPosition, frame);
    }

    /**
     * The end of a forward step: keeps the frame sent (hidden states; of logits only the leaf),
     * then writes what the step produced in one batch.
     */
    @Override
    public synchronized void onShardOutput(String job, int startPosition, Activation frame) {
      putFrame('O', outputFrames++, job, startPosition, frame);
      flush();
    }

    private void putFrame(char kind, int seq, String job, int startPosition, Activation frame) {
      if (!jobId.equals(job)) {
        throw new IllegalArgumentException("recorder of job " + jobId + " got job " + job);
      }
      byte[] leaf = ActivationLeaf.boundary(job, startPosition, frame);
      boolean keep = kind == 'I' || frame.shape().length == 2;
      byte[] value = new StoredFrame(startPosition, leaf, keep ? frame : null).encode();
      frameBytesWritten += value.length;
      try {
        batch.put(frameKey(kind, job, startLayer, seq), value);
      } catch (RocksDBException e) {
        throw new IllegalStateException(e);
      }
    }

    public synchronized void flush() {
      try {
        db.write(writeOptions, batch);
        batch.close();
        batch = new WriteBatch();
      } catch (RocksDBException e) {
        throw new IllegalStateException("cannot store activations of job " + jobId, e);
      }
    }

    /** Bytes of stored activations (values only). */
    public synchronized long bytesWritten() {
      return bytesWritten;
    }

    /** Bytes of stored boundary frames (values only). */
    public synchronized long frameBytesWritten() {
      return frameBytesWritten;
    }
  }

  private byte[] get(byte[] key) {
    try {
      return db.get(key);
    } catch (RocksDBException e) {
      throw new IllegalStateException(e);
    }
  }

  private void put(byte[] key, byte[] value) {
    try {
      db.put(writeOptions, key, value);
    } catch (RocksDBException e) {
      throw new IllegalStateException(e);
    }
  }

  static byte[] key(char kind, String jobId, int startLayer) {
    byte[] job = jobId.getBytes(StandardCharsets.UTF_8);
    return ByteBuffer.allocate(1 + 2 + job.length + 2)
        .put((byte) kind)
        .putShort((short) job.length)
        .put(job)
        .putShort((short) startLayer)
        .array();
  }

  static byte[] activationKey(String jobId, int startLayer, int position, int layer) {
    byte[] prefix = key('A', jobId, startLayer);
    return ByteBuffer.allocate(prefix.length + 6)
        .put(prefix)
        .putInt(position)
        .putShort((short) layer)
        .array();
  }

  static byte[] frameKey(char kind, String jobId, int startLayer, int seq) {
    byte[] prefix = key(kind, jobId, startLayer);
    return ByteBuffer.allocate(prefix.length + 4).put(prefix).putInt(seq).array();
  }

  /** The smallest key greater than every key starting with {@code prefix}. */
  private static byte[] upperBound(byte[] prefix) {
    byte[] end = prefix.clone();
    for (int i = end.length - 1; i >= 0; i--) {
      if (end[i] != (byte) 0xff) {
        end[i]++;
        return Arrays.copyOf(end, i + 1);
      }
    }
    throw new IllegalArgumentException("prefix has no upper bound");
  }

  private static byte[] longBytes(long v) {
    return ByteBuffer.allocate(8).putLong(v).array();
  }
}
