package io.layerproof.chain.ledger;

import io.layerproof.chain.event.Bytes32;
import java.nio.ByteBuffer;
import org.web3j.crypto.Hash;

/**
 * The ledger's two hashes.
 *
 * <pre>
 * entryHash(i) = keccak256(entryHash(i-1) || uint64be(i) || envelopeHash(i))     entryHash(-1) = 0
 * leaf(i)      = keccak256(keccak256(abi.encode(uint64 i, bytes32 entryHash(i))))
 * </pre>
 *
 * The entry hash chains the whole history, so the head hash fingerprints the log. The leaf is
 * OpenZeppelin's StandardMerkleTree leaf of (index, entryHash) ({@code MerkleTree.standardLeaf}),
 * built here without the ABI encoder because it runs once per appended event; hashing twice keeps a
 * leaf from ever equalling an inner node, and the index pins the event's place in the log.
 */
public final class EntryHashes {

  private EntryHashes() {}

  public static Bytes32 entryHash(Bytes32 previous, long index, Bytes32 envelopeHash) {
    byte[] input = new byte[72];
    previous.copyTo(input, 0);
    ByteBuffer.wrap(input).putLong(32, index);
    envelopeHash.copyTo(input, 40);
    return Bytes32.of(Hash.sha3(input));
  }

  public static Bytes32 leaf(long index, Bytes32 entryHash) {
    byte[] encoded = new byte[64]; // abi.encode: uint64 right-aligned in word 0, bytes32 in word 1
    ByteBuffer.wrap(encoded).putLong(24, index);
    entryHash.copyTo(encoded, 32);
    return Bytes32.of(Hash.sha3(Hash.sha3(encoded)));
  }
}
