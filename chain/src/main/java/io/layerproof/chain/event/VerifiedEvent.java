package io.layerproof.chain.event;

/**
 * An envelope that passed every stateless check of {@link EnvelopeVerifier}: size, shape, canonical
 * form, version, domain, author signature and buyer signature. Only the verifier makes one, so a
 * method that takes a VerifiedEvent cannot be handed an unchecked event. What is left to check
 * needs the log: duplicate ids and the author's sequence.
 */
public final class VerifiedEvent {

  private final SignedEvent envelope;
  private final byte[] wire;
  private final Bytes32 bodyHash;
  private final Bytes32 envelopeHash;

  VerifiedEvent(SignedEvent envelope, byte[] wire, Bytes32 bodyHash, Bytes32 envelopeHash) {
    this.envelope = envelope;
    this.wire = wire;
    this.bodyHash = bodyHash;
    this.envelopeHash = envelopeHash;
  }

  public SignedEvent envelope() {
    return envelope;
  }

  public LedgerEvent event() {
    return envelope.event();
  }

  public NodeId author() {
    return envelope.author();
  }

  public EventId id() {
    return envelope.id();
  }

  public long seq() {
    return envelope.seq();
  }

  /** The canonical wire bytes (a copy). */
  public byte[] wire() {
    return wire.clone();
  }

  public int wireLength() {
    return wire.length;
  }

  /** Copies the wire bytes into {@code dst} at {@code offset}, sparing a copy on the hot path. */
  public void copyWireTo(byte[] dst, int offset) {
    System.arraycopy(wire, 0, dst, offset, wire.length);
  }

  public Bytes32 bodyHash() {
    return bodyHash;
  }

  public Bytes32 envelopeHash() {
    return envelopeHash;
  }

  @Override
  public String toString() {
    return "VerifiedEvent[" + envelope.event().type() + " " + envelope.id() + "]";
  }
}
