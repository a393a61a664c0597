package io.layerproof.chain.event;

/** Anchor a sealed ledger batch on chain; becomes {@link BatchAnchored} once mined. */
public record AnchorBatch(long batchIndex) implements Command {
  public AnchorBatch {
    Checks.nonNegative(batchIndex, "batchIndex");
  }
}
