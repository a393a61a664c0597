package io.layerproof.node.sequencing;

import io.layerproof.chain.event.Bytes32;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * What sequencing needs to know about the payloads it orders without reading them: the digest an
 * entry's chain hash commits to (cheap, computed for every stored entry) and whether an event from
 * the network may enter the log at all (may be costly: a signature check; done once per event).
 *
 * <p>The chain hash of entry i is the ledger's {@code entryHash}: {@code keccak(chainHash(i-1) ||
 * uint64(i) || digest(event))}, so with the ledger's format the sequencing state hash and the
 * RocksDB ledger's head hash are one and the same value.
 */
public interface EventFormat {

  /** What the chain hash commits to for {@code e}. Never throws, even for a malformed payload. */
  Bytes32 digest(ProducerEvent e);

  /** Null if {@code e} may be ordered, else why not. */
  String problem(ProducerEvent e);

  /**
   * Whether producer numbers restart at 1 with each incarnation (the election clock at start). A
   * format whose payloads carry their own durable per-author counter (the ledger's) says no: its
   * producer is always incarnation 0 and continues after the last number in the log.
   */
  boolean numbersPerIncarnation();

  /**
   * Opaque payloads: anything goes, and the digest covers the producer, its number and the bytes.
   */
  EventFormat OPAQUE =
      new EventFormat() {
        private final byte[] domain = "layerproof/seq-event/1".getBytes(StandardCharsets.US_ASCII);

        @Override
        public Bytes32 digest(ProducerEvent e) {
          byte[] node = e.producer().node().toByteArray();
          byte[] payload = e.payloadUnsafe();
          return Bytes32.keccak(
              ByteBuffer.allocate(domain.length + node.length + 16 + payload.length)
                  .put(domain)
                  .put(node)
                  .putLong(e.producer().incarnation())
                  .putLong(e.seq())
                  .put(payload)
                  .array());
        }

        @Override
        public String problem(ProducerEvent e) {
          return null;
        }

        @Override
        public boolean numbersPerIncarnation() {
          return true;
        }
      };
}
