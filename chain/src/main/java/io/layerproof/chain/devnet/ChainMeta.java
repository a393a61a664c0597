package io.layerproof.chain.devnet;

/**
 * The chain's mutable head, written in the same batch as each block.
 *
 * @param headNumber number of the latest block
 * @param stateRoot current state root; differs from the head block's after anvil_setBalance and
 *     friends, which change state without mining (as anvil does)
 * @param timeOffset seconds added to the wall clock by evm_increaseTime
 * @param nextTimestamp exact timestamp for the next block (evm_setNextBlockTimestamp), 0 if none
 */
record ChainMeta(long headNumber, String stateRoot, long timeOffset, long nextTimestamp) {}
