package io.layerproof.chain.ledger;

import io.layerproof.chain.event.Bytes32;
import io.layerproof.chain.merkle.MerkleTree;
import java.util.ArrayList;
import java.util.List;

/** The leaves of the batch being filled; only the log's writer touches it. */
final class OpenBatch {

  private final long firstIndex;
  private final List<byte[]> leaves = new ArrayList<>();
  private long openedAtMillis;

  OpenBatch(long firstIndex) {
    this.firstIndex = firstIndex;
  }

  void add(Bytes32 leaf, long nowMillis) {
    if (leaves.isEmpty()) {
      openedAtMillis = nowMillis;
    }
    leaves.add(leaf.toByteArray());
  }

  long firstIndex() {
    return firstIndex;
  }

  int size() {
    return leaves.size();
  }

  boolean isEmpty() {
    return leaves.isEmpty();
  }

  long openedAtMillis() {
    return openedAtMillis;
  }

  /** The root over the first {@code count} leaves. */
  Bytes32 root(int count) {
    return Bytes32.of(MerkleTree.of(leaves.subList(0, count)).root());
  }

  /** What is left open after sealing the first {@code count} leaves. */
  OpenBatch rest(int count, long nowMillis) {
    OpenBatch rest = new OpenBatch(firstIndex + count);
    for (byte[] leaf : leaves.subList(count, leaves.size())) {
      rest.leaves.add(leaf);
    }
    rest.openedAtMillis = rest.leaves.isEmpty() ? 0 : nowMillis;
    return rest;
  }
}
