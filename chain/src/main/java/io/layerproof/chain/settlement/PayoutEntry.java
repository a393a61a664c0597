package io.layerproof.chain.settlement;

import java.math.BigInteger;
import java.util.Locale;

/**
 * One {@code Payout} event: token wei credited to {@code account} (lowercase 0x address) through
 * the RewardDistributor.
 */
public record PayoutEntry(String account, BigInteger amount, PayoutKind kind) {
  public PayoutEntry {
    if (account == null || !account.matches("0x[0-9a-fA-F]{40}")) {
      throw new IllegalArgumentException("not an address: " + account);
    }
    account = account.toLowerCase(Locale.ROOT);
    if (amount == null || amount.signum() < 0) {
      throw new IllegalArgumentException("payout amount must be >= 0");
    }
    if (kind == null) {
      throw new IllegalArgumentException("payout kind missing");
    }
  }
}
