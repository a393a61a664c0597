/**
 * Settlement: turns closed jobs into payments. {@link
 * io.layerproof.chain.settlement.SettlementService} finalizes jobs after their challenge window,
 * accounts every job's {@code Payout} events (finalize and fraud alike) into cumulative balances,
 * posts one RewardDistributor root per epoch ({@link io.layerproof.chain.contracts.RewardTree}) and
 * claims for the node's own accounts. Each transaction is a recorded step in the {@link
 * io.layerproof.chain.settlement.SettlementStore} (RocksDB), written before and after it, so a
 * restart at any point neither pays twice nor skips anyone. Payout rules are the contract's,
 * exposed as {@link io.layerproof.chain.settlement.MarketConfig} (read from chain).
 */
package io.layerproof.chain.settlement;
