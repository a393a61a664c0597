package io.layerproof.node.gateway;

import io.layerproof.chain.contracts.LayerproofContracts;
import io.layerproof.chain.event.EthAddress;
import java.math.BigInteger;
import java.util.Objects;

/** How much of a buyer's escrow is free to pay for requests (token base units). May block. */
@FunctionalInterface
public interface EscrowCheck {

  BigInteger freeBalance(EthAddress buyer);

  /** Every buyer has {@code balance} free: for tests and offline runs. */
  static EscrowCheck fixed(BigInteger balance) {
    Objects.requireNonNull(balance, "balance");
    return buyer -> balance;
  }

  /** Reads {@code JobMarket.freeBalanceOf(buyer)} on chain (one eth_call per check). */
  static EscrowCheck onChain(LayerproofContracts contracts) {
    Objects.requireNonNull(contracts, "contracts");
    return buyer -> LayerproofContracts.send(contracts.market().freeBalanceOf(buyer.toString()));
  }
}
