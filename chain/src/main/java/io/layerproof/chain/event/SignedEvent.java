package io.layerproof.chain.event;

/**
 * An event body and its author's Ed25519 signature. On the wire and in the ledger it is the
 * canonical JSON {@code {"body":{...},"sig":"0x..."}}; see {@link EnvelopeFormat}.
 */
public record SignedEvent(EventBody body, Ed25519Signature sig) {
  public SignedEvent {
    Checks.present(body, "body");
    Checks.present(sig, "sig");
  }

  public LedgerEvent event() {
    return body.event();
  }

  public NodeId author() {
    return body.author();
  }

  public EventId id() {
    return body.id();
  }

  public long seq() {
    return body.seq();
  }

  /** The canonical wire bytes. */
  public byte[] toWire() {
    return EnvelopeFormat.wire(CanonicalJson.encode(body), sig);
  }
}
