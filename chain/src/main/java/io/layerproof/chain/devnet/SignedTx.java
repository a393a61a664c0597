package io.layerproof.chain.devnet;

import java.math.BigInteger;
import java.util.List;

/**
 * A decoded, signature-checked transaction. Legacy and EIP-2930 transactions have {@code
 * maxFeePerGas == maxPriorityFeePerGas == gasPrice}, as geth models them.
 *
 * @param type 0 legacy (EIP-155), 1 access list, 2 dynamic fee
 * @param to lowercase recipient, null for contract creation
 * @param from lowercase sender recovered from the signature
 * @param hash keccak of the raw bytes
 */
record SignedTx(
    int type,
    long chainId,
    long nonce,
    BigInteger maxPriorityFeePerGas,
    BigInteger maxFeePerGas,
    long gasLimit,
    String to,
    BigInteger value,
    byte[] data,
    List<AccessEntry> accessList,
    BigInteger v,
    BigInteger r,
    BigInteger s,
    String from,
    String hash,
    byte[] raw) {

  /** One EIP-2930 access list entry. */
  record AccessEntry(String address, List<String> storageKeys) {}

  boolean isCreate() {
    return to == null;
  }

  /** What the sender pays per gas at the given base fee (min(feeCap, baseFee + tip)). */
  BigInteger effectiveGasPrice(BigInteger baseFee) {
    return maxFeePerGas.min(baseFee.add(maxPriorityFeePerGas));
  }
}
