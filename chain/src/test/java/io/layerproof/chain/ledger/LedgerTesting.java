package io.layerproof.chain.ledger;

import io.layerproof.chain.event.EnvelopeVerifier;
import io.layerproof.chain.event.SignedEvent;
import io.layerproof.chain.event.TestEvents;
import io.layerproof.chain.event.VerifiedEvent;
import java.util.ArrayList;
import java.util.List;

/** Shared helpers of the ledger tests. */
public final class LedgerTesting {

  public static final EnvelopeVerifier VERIFIER = new EnvelopeVerifier(TestEvents.DOMAIN);

  private LedgerTesting() {}

  public static VerifiedEvent verified(SignedEvent e) {
    return VERIFIER.verify(e.toWire());
  }

  public static List<VerifiedEvent> verified(List<SignedEvent> events) {
    List<VerifiedEvent> out = new ArrayList<>();
    events.forEach(e -> out.add(verified(e)));
    return out;
  }

  /** Joins and {@code jobs} whole jobs of {@code tokens} tokens each, signed by a fresh cast. */
  public static List<SignedEvent> story(int jobs, int tokens) {
    TestEvents.Cast cast = TestEvents.Cast.fresh(TestEvents.DOMAIN);
    List<SignedEvent> out = new ArrayList<>(cast.joins());
    for (int j = 0; j < jobs; j++) {
      out.addAll(cast.job(j + 1, tokens, j % 3 == 2));
    }
    return out;
  }

  /** Appends all, failing on any rejection. */
  public static List<IndexedEvent> appendAll(EventLog log, List<SignedEvent> events) {
    List<IndexedEvent> out = new ArrayList<>();
    for (AppendResult r : log.appendAll(verified(events))) {
      if (r instanceof AppendResult.Rejected rejected) {
        throw new AssertionError("unexpected rejection: " + rejected.rejection());
      }
      out.add(((AppendResult.Appended) r).event());
    }
    return out;
  }
}
