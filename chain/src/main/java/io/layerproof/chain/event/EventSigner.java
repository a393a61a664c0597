package io.layerproof.chain.event;

/**
 * Signs a producer's events: fills in the domain, the author, a fresh event id and the author's
 * next sequence number. One signer per author key; thread-safe, so sequence numbers are handed out
 * exactly once each.
 */
public final class EventSigner {

  private final NodeKey key;
  private final LedgerDomain domain;
  private long nextSeq;

  /**
   * @param nextSeq the sequence number of this author's next event (0 for a new author; after a
   *     restart, the ledger's {@code nextSeq(author)})
   */
  public EventSigner(NodeKey key, LedgerDomain domain, long nextSeq) {
    this.key = Checks.present(key, "key");
    this.domain = Checks.present(domain, "domain");
    this.nextSeq = Checks.nonNegative(nextSeq, "nextSeq");
  }

  public NodeId author() {
    return key.id();
  }

  public synchronized long nextSeq() {
    return nextSeq;
  }

  public SignedEvent sign(LedgerEvent event) {
    return sign(event, null);
  }

  /** Signs an event a buyer authorised, carrying the buyer's EIP-712 signature. */
  public synchronized SignedEvent sign(LedgerEvent event, EcdsaSignature buyerSig) {
    EventBody body =
        new EventBody(
            EnvelopeFormat.VERSION,
            domain.chainId(),
            domain.contract(),
            key.id(),
            nextSeq,
            EventId.random(),
            event,
            buyerSig);
    SignedEvent signed = sign(key, body);
    nextSeq++;
    return signed;
  }

  /** Signs an arbitrary body (tests and tools that need exact control over every field). */
  public static SignedEvent sign(NodeKey key, EventBody body) {
    byte[] bytes = CanonicalJson.encode(body);
    Ed25519Signature sig = key.sign(EnvelopeFormat.signingMessage(EnvelopeFormat.bodyHash(bytes)));
    return new SignedEvent(body, sig);
  }
}
