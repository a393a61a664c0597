package io.layerproof.chain.ledger;

import io.layerproof.chain.event.Bytes32;
import io.layerproof.chain.event.CanonicalJson;
import io.layerproof.chain.event.SignedEvent;
import java.io.IOException;
import java.util.Arrays;

/**
 * The value of one {@code entries} row: entryHash(32) | envelopeHash(32) | canonical wire bytes.
 */
record StoredEntry(long index, Bytes32 entryHash, Bytes32 envelopeHash, byte[] wire) {

  static final int HEADER = 64;

  static byte[] encode(Bytes32 entryHash, Bytes32 envelopeHash, byte[] wire) {
    byte[] value = new byte[HEADER + wire.length];
    System.arraycopy(entryHash.toByteArray(), 0, value, 0, 32);
    System.arraycopy(envelopeHash.toByteArray(), 0, value, 32, 32);
    System.arraycopy(wire, 0, value, HEADER, wire.length);
    return value;
  }

  /** Parses a stored value; null if it is too short to hold the two hashes. */
  static StoredEntry parse(long index, byte[] value) {
    if (value == null || value.length < HEADER) {
      return null;
    }
    return new StoredEntry(
        index,
        Bytes32.of(Arrays.copyOfRange(value, 0, 32)),
        Bytes32.of(Arrays.copyOfRange(value, 32, 64)),
        Arrays.copyOfRange(value, HEADER, value.length));
  }

  SignedEvent envelope() {
    try {
      return CanonicalJson.decode(wire, SignedEvent.class);
    } catch (IOException | RuntimeException e) {
      throw new LedgerException("entry " + index + " cannot be decoded: " + e.getMessage(), e);
    }
  }

  IndexedEvent toIndexed() {
    return new IndexedEvent(index, envelope(), envelopeHash, entryHash);
  }
}
