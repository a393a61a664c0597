package io.layerproof.chain.event;

import java.math.BigInteger;

/** Token wei paid to {@code recipient} for a job. */
public record Payout(EthAddress recipient, BigInteger amount) {
  public Payout {
    Checks.present(recipient, "recipient");
    Checks.uint256(amount, "amount");
  }
}
