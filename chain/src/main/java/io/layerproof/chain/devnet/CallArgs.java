package io.layerproof.chain.devnet;

import java.math.BigInteger;

/**
 * The message of eth_call / eth_estimateGas.
 *
 * @param from sender, the zero address when the client gives none
 * @param to recipient, null to simulate a deployment
 * @param gas gas limit, or null for the default
 * @param gasPrice what GASPRICE returns; calls are not charged
 */
record CallArgs(
    String from, String to, Long gas, BigInteger gasPrice, BigInteger value, byte[] data) {}
