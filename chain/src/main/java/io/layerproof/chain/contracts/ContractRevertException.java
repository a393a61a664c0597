package io.layerproof.chain.contracts;

import java.util.List;
import java.util.Optional;

/**
 * A transaction or call that the EVM reverted, with the revert decoded against the Layerproof ABIs:
 * {@link #errorName()} is the custom error ("NotSequencer", "InsufficientFreeBalance", ...),
 * "Error" for {@code require(..., "reason")}, "Panic" for assertion/arithmetic failures, or empty
 * when the node returned no revert data.
 */
public final class ContractRevertException extends RuntimeException {

  private final String errorName;
  private final String signature;
  private final List<Object> args;
  private final String revertData;
  private final String transactionHash;

  ContractRevertException(
      String message,
      String errorName,
      String signature,
      List<Object> args,
      String revertData,
      String transactionHash) {
    super(message);
    this.errorName = errorName;
    this.signature = signature;
    this.args = args == null ? List.of() : List.copyOf(args);
    this.revertData = revertData;
    this.transactionHash = transactionHash;
  }

  /** The custom error's name, "Error", "Panic", or "" when unknown. */
  public String errorName() {
    return errorName;
  }

  /** E.g. {@code InsufficientFreeBalance(uint256,uint256)}; "" when unknown. */
  public String signature() {
    return signature;
  }

  /**
   * Decoded arguments: {@code BigInteger} for integers, {@code String} (0x-address) for addresses,
   * {@code byte[]} for fixed bytes, {@code String} for strings, {@code Boolean} for bools.
   */
  public List<Object> args() {
    return args;
  }

  /** The raw revert data (0x-prefixed), or "" when the node returned none. */
  public String revertData() {
    return revertData;
  }

  /** The mined transaction that reverted; empty when the revert was caught before sending. */
  public Optional<String> transactionHash() {
    return Optional.ofNullable(transactionHash);
  }
}
