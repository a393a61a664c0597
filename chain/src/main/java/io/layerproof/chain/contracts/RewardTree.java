package io.layerproof.chain.contracts;

import io.layerproof.chain.merkle.MerkleTree;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.web3j.abi.datatypes.Address;
import org.web3j.abi.datatypes.generated.Uint256;

/**
 * An epoch's tree of cumulative earnings as RewardDistributor verifies it: OpenZeppelin
 * StandardMerkleTree leaves {@code keccak256(bytes.concat(keccak256(abi.encode(account,
 * cumulative))))}, sorted by hash, so the root equals {@code StandardMerkleTree.of(values,
 * ["address", "uint256"])} of the JS library.
 */
public final class RewardTree {

  private final Map<String, BigInteger> balances;
  private final MerkleTree tree;
  private final BigInteger total;

  private RewardTree(Map<String, BigInteger> balances) {
    this.balances = balances;
    List<byte[]> leaves = new ArrayList<>();
    BigInteger sum = BigInteger.ZERO;
    for (var e : balances.entrySet()) {
      leaves.add(leaf(e.getKey(), e.getValue()));
      sum = sum.add(e.getValue());
    }
    this.tree = MerkleTree.sorted(leaves);
    this.total = sum;
  }

  /** A tree over {@code cumulative} (account to total earned so far); at least one account. */
  public static RewardTree of(Map<String, BigInteger> cumulative) {
    Map<String, BigInteger> normalized = new TreeMap<>();
    for (var e : cumulative.entrySet()) {
      if (e.getValue().signum() < 0) {
        throw new IllegalArgumentException("negative balance for " + e.getKey());
      }
      if (normalized.put(e.getKey().toLowerCase(Locale.ROOT), e.getValue()) != null) {
        throw new IllegalArgumentException("account twice: " + e.getKey());
      }
    }
    return new RewardTree(Collections.unmodifiableMap(new LinkedHashMap<>(normalized)));
  }

  public static byte[] leaf(String account, BigInteger cumulative) {
    return MerkleTree.standardLeaf(new Address(account), new Uint256(cumulative));
  }

  public byte[] root() {
    return tree.root();
  }

  /** The sum of all cumulative balances (what RewardDistributor.postRoot wants as total). */
  public BigInteger total() {
    return total;
  }

  public BigInteger cumulativeOf(String account) {
    BigInteger v = balances.get(account.toLowerCase(Locale.ROOT));
    if (v == null) {
      throw new IllegalArgumentException("not in the tree: " + account);
    }
    return v;
  }

  /** The proof for {@code account}, as RewardDistributor.claim takes it. */
  public List<byte[]> proof(String account) {
    int index = tree.indexOf(leaf(account, cumulativeOf(account)));
    return tree.proof(index);
  }

  public Map<String, BigInteger> balances() {
    return balances;
  }
}
