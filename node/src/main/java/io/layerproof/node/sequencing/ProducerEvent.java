package io.layerproof.node.sequencing;

import java.util.Arrays;

/**
 * An opaque payload (a signed event envelope, to the ledger) numbered by its producer. Sequencing
 * never looks inside the payload; it orders by {@code (producer, seq)}, sequences start at 1.
 */
public record ProducerEvent(ProducerId producer, long seq, byte[] payload) {
  public ProducerEvent {
    if (seq < 1) {
      throw new IllegalArgumentException("producer sequence numbers start at 1");
    }
    payload = payload.clone();
  }

  @Override
  public byte[] payload() {
    return payload.clone();
  }

  int payloadLength() {
    return payload.length;
  }

  byte[] payloadUnsafe() {
    return payload;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ProducerEvent e
        && producer.equals(e.producer)
        && seq == e.seq
        && Arrays.equals(payload, e.payload);
  }

  @Override
  public int hashCode() {
    return 31 * (31 * producer.hashCode() + Long.hashCode(seq)) + Arrays.hashCode(payload);
  }

  @Override
  public String toString() {
    return producer + "/" + seq + " (" + payload.length + " bytes)";
  }
}
