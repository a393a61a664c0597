package io.layerproof.chain.ledger.anchor;

import io.layerproof.chain.event.Bytes32;
import java.util.Objects;

/** The mined anchor transaction of a batch. */
public record AnchorReceipt(Bytes32 txHash, long blockNumber, long gasUsed) {
  public AnchorReceipt {
    Objects.requireNonNull(txHash, "txHash");
  }
}
