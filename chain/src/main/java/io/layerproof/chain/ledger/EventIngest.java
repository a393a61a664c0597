package io.layerproof.chain.ledger;

import io.layerproof.chain.event.EnvelopeVerifier;
import io.layerproof.chain.event.EventRejectedException;
import io.layerproof.chain.event.VerifiedEvent;
import java.util.ArrayList;
import java.util.List;

/**
 * The way untrusted envelope bytes enter the log: every stateless check first ({@link
 * EnvelopeVerifier}), then the log's own (duplicate ids, author sequence), then one synced write. A
 * refused envelope stores nothing.
 */
public final class EventIngest {

  private final EnvelopeVerifier verifier;
  private final EventLog ledger;

  public EventIngest(EnvelopeVerifier verifier, EventLog ledger) {
    this.verifier = verifier;
    this.ledger = ledger;
  }

  /**
   * Verifies and appends one envelope; returns once it is durable.
   *
   * @throws EventRejectedException saying why it was refused
   */
  public IndexedEvent ingest(byte[] wire) {
    return ledger.append(verifier.verify(wire));
  }

  /**
   * Verifies {@code wires} in parallel (signature checks dominate the cost), then appends the valid
   * ones in order with one synced write. One result per input, in input order.
   */
  public List<AppendResult> ingestAll(List<byte[]> wires) {
    List<Object> checked = wires.parallelStream().map(this::verifyOrRejection).toList();
    List<VerifiedEvent> valid = new ArrayList<>();
    for (Object o : checked) {
      if (o instanceof VerifiedEvent v) {
        valid.add(v);
      }
    }
    List<AppendResult> appended = ledger.appendAll(valid);
    List<AppendResult> results = new ArrayList<>(wires.size());
    int next = 0;
    for (Object o : checked) {
      results.add(o instanceof VerifiedEvent ? appended.get(next++) : (AppendResult) o);
    }
    return results;
  }

  private Object verifyOrRejection(byte[] wire) {
    try {
      return verifier.verify(wire);
    } catch (EventRejectedException e) {
      return new AppendResult.Rejected(e.rejection());
    }
  }
}
