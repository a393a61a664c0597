package io.layerproof.node.sequencing;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * An event at its global index, with the hash chain value that commits to it and to every entry
 * before it. Two logs with the same chain hash at index i hold the same first i+1 entries, so the
 * head's chain hash is the log's state hash, and comparing one hash finds where logs diverge.
 */
public record LogEntry(long index, ProducerEvent event, Hash chainHash) {
  private static final byte[] DOMAIN = "layerproof/seq-chain/1".getBytes(StandardCharsets.UTF_8);

  public LogEntry {
    if (index < 0) {
      throw new IllegalArgumentException("negative index");
    }
  }

  /** The entry at {@code index} after an entry whose chain hash is {@code prev}. */
  public static LogEntry chain(Hash prev, long index, ProducerEvent event) {
    return new LogEntry(index, event, link(prev, index, event));
  }

  /** Whether this entry's chain hash is right for a predecessor with chain hash {@code prev}. */
  public boolean chainsFrom(Hash prev) {
    return chainHash.equals(link(prev, index, event));
  }

  static Hash link(Hash prev, long index, ProducerEvent e) {
    MessageDigest d = Hash.sha256();
    d.update(DOMAIN);
    d.update(prev.bytes());
    byte[] node = e.producer().node().value().getBytes(StandardCharsets.UTF_8);
    d.update(
        ByteBuffer.allocate(8 + 4 + node.length + 8 + 8 + 4)
            .putLong(index)
            .putInt(node.length)
            .put(node)
            .putLong(e.producer().incarnation())
            .putLong(e.seq())
            .putInt(e.payloadLength())
            .array());
    d.update(e.payloadUnsafe());
    return new Hash(d.digest());
  }
}
