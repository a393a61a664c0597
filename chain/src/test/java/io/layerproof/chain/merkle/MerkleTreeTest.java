package io.layerproof.chain.merkle;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.layerproof.chain.contracts.RewardTree;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.web3j.crypto.Hash;
import org.web3j.utils.Numeric;

/**
 * Known answers from the reference library, {@code @openzeppelin/merkle-tree} 1.0.8 (the JS package
 * wallets and tools use): {@code StandardMerkleTree.of(values, ["address","uint256"])} and {@code
 * SimpleMerkleTree.of(leaves, {sortLeaves})}. On-chain verification with OpenZeppelin's MerkleProof
 * is covered by the contract suite.
 */
class MerkleTreeTest {

  private static List<byte[]> eventLeaves(int n) {
    List<byte[]> leaves = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      leaves.add(Hash.sha3(("event-" + i).getBytes(StandardCharsets.UTF_8)));
    }
    return leaves;
  }

  private static byte[] hex(String h) {
    return Numeric.hexStringToByteArray(h);
  }

  @Test
  void orderedTreeMatchesSimpleMerkleTreeWithoutSorting() {
    MerkleTree tree = MerkleTree.of(eventLeaves(7));
    assertArrayEquals(
        hex("0x3df883a01c30ae064c4ef526e84cb1c00ff68e11e008516afed03aed767f4056"), tree.root());
    List<byte[]> proof = tree.proof(3);
    assertEquals(3, proof.size());
    assertArrayEquals(
        hex("0x9a167f7b0fc6d6f7a1486af8d8b788c72bd9ecd873ef28775e68baa0ebbdbdc6"), proof.get(0));
    assertArrayEquals(
        hex("0x8fd589f434ab5afc0f31b996489989af7d7dbb829c6595f14abce5ffc3de43a9"), proof.get(1));
    assertArrayEquals(
        hex("0x27bb812911f9f7242cacdb7ce1fd056626877394ff82f5ea14becf832204e003"), proof.get(2));
  }

  @Test
  void sortedTreeMatchesSimpleMerkleTreeDefault() {
    assertArrayEquals(
        hex("0x3f0eb2e31760292c86539bc7d8c2c32fa4a78b4e487a7fce3cdbe04f34c7962f"),
        MerkleTree.sorted(eventLeaves(7)).root());
  }

  @Test
  void rewardTreeMatchesStandardMerkleTree() {
    Map<String, BigInteger> balances = new LinkedHashMap<>();
    balances.put(
        "0x1111111111111111111111111111111111111111", new BigInteger("5000000000000000000"));
    balances.put(
        "0x2222222222222222222222222222222222222222", new BigInteger("2500000000000000000"));
    balances.put("0x3333333333333333333333333333333333333333", BigInteger.ONE);
    balances.put("0x4444444444444444444444444444444444444444", BigInteger.ZERO);
    balances.put("0x5555555555555555555555555555555555555555", BigInteger.valueOf(123456789));
    RewardTree tree = RewardTree.of(balances);
    assertArrayEquals(
        hex("0x1966b938287fc0c539f3abe9f35351594db895f6dd2796a9b316d2537ce51f13"), tree.root());
    List<byte[]> proof = tree.proof("0x4444444444444444444444444444444444444444");
    assertEquals(3, proof.size());
    assertArrayEquals(
        hex("0x52c0069c93a8515a7d1b8fe060081bf419c6c5b44ef2610c2d6c2ab84e352e50"), proof.get(0));
    assertArrayEquals(
        hex("0xeb02c421cfa48976e66dfb29120745909ea3a0f843456c263cf8f1253483e283"), proof.get(1));
    assertArrayEquals(
        hex("0x8d00bd8d33bd92e6ade0ba2d87958d59727515200df528502b93c99dd3fa0256"), proof.get(2));
    assertEquals(new BigInteger("7500000000123456790"), tree.total());
  }

  @Test
  void everyProofVerifiesAndTamperingFails() {
    for (int n = 1; n <= 33; n++) {
      List<byte[]> leaves = eventLeaves(n);
      for (MerkleTree tree : List.of(MerkleTree.of(leaves), MerkleTree.sorted(leaves))) {
        for (int i = 0; i < n; i++) {
          byte[] leaf = tree.leaf(i);
          List<byte[]> proof = tree.proof(i);
          assertTrue(MerkleTree.verify(tree.root(), leaf, proof), n + "/" + i);
          byte[] other = Hash.sha3(leaf);
          assertFalse(MerkleTree.verify(tree.root(), other, proof), n + "/" + i);
          if (!proof.isEmpty()) {
            List<byte[]> bad = new ArrayList<>(proof);
            byte[] flipped = bad.get(0).clone();
            flipped[31] ^= 1;
            bad.set(0, flipped);
            assertFalse(MerkleTree.verify(tree.root(), leaf, bad), n + "/" + i);
          }
        }
      }
    }
  }

  @Test
  void singleLeafIsItsOwnRootAndOrderIsKept() {
    byte[] leaf = eventLeaves(1).get(0);
    MerkleTree one = MerkleTree.of(List.of(leaf));
    assertArrayEquals(leaf, one.root());
    assertTrue(one.proof(0).isEmpty());
    List<byte[]> leaves = eventLeaves(5);
    MerkleTree ordered = MerkleTree.of(leaves);
    for (int i = 0; i < 5; i++) {
      assertArrayEquals(leaves.get(i), ordered.leaf(i));
      assertEquals(i, ordered.indexOf(leaves.get(i)));
    }
    assertEquals(-1, ordered.indexOf(new byte[32]));
  }

  @Test
  void rejectsBadInput() {
    assertThrows(IllegalArgumentException.class, () -> MerkleTree.of(List.of()));
    assertThrows(IllegalArgumentException.class, () -> MerkleTree.of(List.of(new byte[31])));
    MerkleTree tree = MerkleTree.of(eventLeaves(3));
    assertThrows(IndexOutOfBoundsException.class, () -> tree.proof(3));
    assertThrows(IndexOutOfBoundsException.class, () -> tree.leaf(-1));
    assertThrows(
        IllegalArgumentException.class,
        () ->
            RewardTree.of(
                Map.of("0x1111111111111111111111111111111111111111", BigInteger.ONE.negate())));
  }

  @Test
  void hashPairIsCommutative() {
    List<byte[]> l = eventLeaves(2);
    assertArrayEquals(
        MerkleTree.hashPair(l.get(0), l.get(1)), MerkleTree.hashPair(l.get(1), l.get(0)));
  }
}
