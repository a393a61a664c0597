package io.layerproof.chain.merkle;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import org.web3j.abi.FunctionEncoder;
import org.web3j.abi.datatypes.Type;
import org.web3j.crypto.Hash;
import org.web3j.utils.Numeric;

/**
 * A binary Merkle tree over 32-byte leaves that OpenZeppelin's {@code MerkleProof} verifies:
 * parents are keccak256 of the two children in ascending byte order (commutative), so a proof is
 * only the list of siblings.
 *
 * <p>The layout is the one of OpenZeppelin's {@code @openzeppelin/merkle-tree} ({@code
 * makeMerkleTree}): a complete tree in an array, root at 0, leaves at the end in reverse order.
 * {@link #sorted} sorts the leaves by hash first, like {@code StandardMerkleTree.of} does by
 * default, so roots match that library for the same leaves; {@link #of} keeps the caller's order
 * (what an append-only event ledger wants). Proofs of both verify on chain.
 */
public final class MerkleTree {

  private static final Comparator<byte[]> BYTES_ORDER = Arrays::compareUnsigned;

  private final byte[][] nodes;
  private final int leafCount;

  private MerkleTree(List<byte[]> leaves) {
    if (leaves.isEmpty()) {
      throw new IllegalArgumentException("a Merkle tree needs at least one leaf");
    }
    leafCount = leaves.size();
    nodes = new byte[2 * leafCount - 1][];
    for (int i = 0; i < leafCount; i++) {
      byte[] leaf = leaves.get(i);
      if (leaf == null || leaf.length != 32) {
        throw new IllegalArgumentException("leaf " + i + " is not 32 bytes");
      }
      nodes[nodes.length - 1 - i] = leaf.clone();
    }
    for (int i = nodes.length - 1 - leafCount; i >= 0; i--) {
      nodes[i] = hashPair(nodes[2 * i + 1], nodes[2 * i + 2]);
    }
  }

  /** A tree over {@code leaves} in the given order; leaf {@code i} keeps index {@code i}. */
  public static MerkleTree of(List<byte[]> leaves) {
    return new MerkleTree(leaves);
  }

  /**
   * A tree over {@code leaves} sorted by hash, as OpenZeppelin's {@code StandardMerkleTree} builds
   * it; {@link #indexOf} finds a leaf's index afterwards.
   */
  public static MerkleTree sorted(List<byte[]> leaves) {
    List<byte[]> copy = new ArrayList<>(leaves);
    copy.sort(BYTES_ORDER);
    return new MerkleTree(copy);
  }

  public byte[] root() {
    return nodes[0].clone();
  }

  public int size() {
    return leafCount;
  }

  public byte[] leaf(int index) {
    return nodes[treeIndex(index)].clone();
  }

  /** The index of {@code leaf} in this tree, or -1. */
  public int indexOf(byte[] leaf) {
    for (int i = 0; i < leafCount; i++) {
      if (Arrays.equals(nodes[nodes.length - 1 - i], leaf)) {
        return i;
      }
    }
    return -1;
  }

  /** The siblings from leaf {@code index} up to the root, as {@code MerkleProof.verify} wants. */
  public List<byte[]> proof(int index) {
    List<byte[]> proof = new ArrayList<>();
    for (int i = treeIndex(index); i > 0; i = (i - 1) / 2) {
      int sibling = (i % 2 == 1) ? i + 1 : i - 1;
      proof.add(nodes[sibling].clone());
    }
    return Collections.unmodifiableList(proof);
  }

  /** Recomputes the root from a leaf and its proof (OpenZeppelin {@code processProof}). */
  public static byte[] processProof(byte[] leaf, List<byte[]> proof) {
    byte[] computed = leaf;
    for (byte[] sibling : proof) {
      computed = hashPair(computed, sibling);
    }
    return computed;
  }

  public static boolean verify(byte[] root, byte[] leaf, List<byte[]> proof) {
    return Arrays.equals(processProof(leaf, proof), root);
  }

  /** keccak256 of the two nodes in ascending unsigned byte order. */
  public static byte[] hashPair(byte[] a, byte[] b) {
    byte[] joined = new byte[64];
    boolean aFirst = Arrays.compareUnsigned(a, b) <= 0;
    System.arraycopy(aFirst ? a : b, 0, joined, 0, 32);
    System.arraycopy(aFirst ? b : a, 0, joined, 32, 32);
    return Hash.sha3(joined);
  }

  /**
   * The leaf of OpenZeppelin's {@code StandardMerkleTree}: keccak256(bytes.concat(keccak256(
   * abi.encode(values...)))). Hashing twice keeps a leaf from ever equalling an inner node.
   */
  @SuppressWarnings("rawtypes")
  public static byte[] standardLeaf(Type... values) {
    // encodeConstructor is exactly abi.encode(values...) (head/tail encoding, no selector).
    String encoded = FunctionEncoder.encodeConstructor(List.<Type>of(values));
    return Hash.sha3(Hash.sha3(Numeric.hexStringToByteArray(encoded)));
  }

  private int treeIndex(int index) {
    if (index < 0 || index >= leafCount) {
      throw new IndexOutOfBoundsException("leaf " + index + " of " + leafCount);
    }
    return nodes.length - 1 - index;
  }
}
