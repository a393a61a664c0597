package io.layerproof.chain.ledger;

import io.layerproof.chain.event.Rejection;

/** The outcome of one event of an {@code appendAll}: stored (and synced) or refused. */
public sealed interface AppendResult {

  /** Stored at {@code event.index()}; durable when the append call returned. */
  record Appended(IndexedEvent event) implements AppendResult {}

  /** Refused; nothing of it was stored. */
  record Rejected(Rejection rejection) implements AppendResult {}
}
