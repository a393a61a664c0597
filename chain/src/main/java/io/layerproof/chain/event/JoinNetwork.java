package io.layerproof.chain.event;

/** A node asks to join with the stake bonded by {@code operator}; becomes {@link NodeJoined}. */
public record JoinNetwork(EthAddress operator, int roles, long memoryMib) implements Command {
  public JoinNetwork {
    Checks.present(operator, "operator");
    Checks.nonNegative(memoryMib, "memoryMib");
  }
}
