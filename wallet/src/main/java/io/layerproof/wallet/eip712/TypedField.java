package io.layerproof.wallet.eip712;

import java.util.Objects;

/** One member of an EIP-712 struct: its name and its Solidity type, e.g. {@code uint256 nonce}. */
public record TypedField(String name, String type) {
  public TypedField {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(type, "type");
  }

  /** The member as it appears in the type string: {@code "<type> <name>"}. */
  @Override
  public String toString() {
    return type + " " + name;
  }
}
