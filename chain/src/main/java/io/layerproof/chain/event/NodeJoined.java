package io.layerproof.chain.event;

import java.util.List;

/**
 * A node joined the network. Emitted by the node itself (author = {@code node}).
 *
 * @param node the node's Ed25519 key
 * @param operator the wallet that bonded the node's stake in ProviderRegistry
 * @param roles ProviderRegistry role bits: PROVIDER 1, VERIFIER 2, SEQUENCER 4
 * @param memoryMib memory it offers for model layers
 */
public record NodeJoined(NodeId node, EthAddress operator, int roles, long memoryMib)
    implements LedgerEvent {
  public NodeJoined {
    Checks.present(node, "node");
    Checks.present(operator, "operator");
    if (roles <= 0 || roles > 7) {
      throw new IllegalArgumentException("roles must be a non-empty subset of 1|2|4: " + roles);
    }
    Checks.nonNegative(memoryMib, "memoryMib");
  }

  @Override
  public List<NodeId> nodes() {
    return List.of(node);
  }
}
