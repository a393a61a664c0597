package io.layerproof.node.ledger;

import io.layerproof.chain.event.Bytes32;
import io.layerproof.chain.event.EnvelopeFormat;
import io.layerproof.chain.event.EnvelopeVerifier;
import io.layerproof.chain.event.EventRejectedException;
import io.layerproof.chain.event.VerifiedEvent;
import io.layerproof.node.sequencing.EventFormat;
import io.layerproof.node.sequencing.ProducerEvent;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Sequencing over signed ledger envelopes: an event's producer is its author (incarnation 0) and
 * its producer number is the envelope's {@code seq + 1} (producers count from 1, authors from 0),
 * so the sequencer's per-producer order is exactly the ledger's per-author order. The digest is the
 * envelope hash, which makes the sequencing chain hash the ledger's entry hash.
 *
 * <p>{@link #problem} verifies the signature and domain once; the verified envelope is kept for a
 * moment so that storing the same event does not verify it again.
 */
public final class LedgerEventFormat implements EventFormat {
  private static final int CACHED = 4096;

  private final EnvelopeVerifier verifier;
  private final Map<Bytes32, VerifiedEvent> verified =
      new LinkedHashMap<>(256, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Bytes32, VerifiedEvent> eldest) {
          return size() > CACHED;
        }
      };

  public LedgerEventFormat(EnvelopeVerifier verifier) {
    this.verifier = verifier;
  }

  @Override
  public Bytes32 digest(ProducerEvent e) {
    byte[] wire = e.payload();
    try {
      return EnvelopeFormat.envelopeHashOfWire(wire);
    } catch (RuntimeException malformed) {
      // Cannot equal a real envelope hash (that hashes 96 bytes of hash and signature), so a chain
      // hash over it never verifies; problem() says why.
      return Bytes32.keccak(wire);
    }
  }

  @Override
  public String problem(ProducerEvent e) {
    if (e.producer().incarnation() != 0) {
      return "ledger producers have incarnation 0, not " + e.producer().incarnation();
    }
    VerifiedEvent v;
    try {
      v = verifier.verify(e.payload());
    } catch (EventRejectedException rejected) {
      return rejected.rejection().toString();
    }
    if (!v.author().equals(e.producer().node())) {
      return "signed by " + v.author() + ", not by its producer " + e.producer().node();
    }
    if (v.seq() != e.seq() - 1) {
      return "envelope seq " + v.seq() + " but producer number " + e.seq();
    }
    synchronized (verified) {
      verified.put(v.envelopeHash(), v);
    }
    return null;
  }

  @Override
  public boolean numbersPerIncarnation() {
    return false;
  }

  /** The verified envelope of {@code wire}: from the recent checks, or verified now. */
  VerifiedEvent verified(byte[] wire) {
    Bytes32 hash;
    try {
      hash = EnvelopeFormat.envelopeHashOfWire(wire);
    } catch (RuntimeException malformed) {
      return verifier.verify(wire); // throws the precise rejection
    }
    synchronized (verified) {
      VerifiedEvent v = verified.remove(hash);
      if (v != null) {
        return v;
      }
    }
    return verifier.verify(wire);
  }
}
