package io.layerproof.chain.settlement;

import java.math.BigInteger;

/** JobMarket's {@code PayoutKind}, in the contract's order. */
public enum PayoutKind {
  PROVIDER,
  VERIFIER,
  CHALLENGER;

  /** The enum value the contract emitted (uint8 in the {@code Payout} event). */
  public static PayoutKind of(BigInteger onChain) {
    int k = onChain.intValueExact();
    if (k < 0 || k >= values().length) {
      throw new SettlementException("unknown PayoutKind " + onChain + " in a Payout event");
    }
    return values()[k];
  }
}
