package io.layerproof.chain.ledger;

import io.layerproof.chain.event.Bytes32;
import io.layerproof.chain.merkle.MerkleTree;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Proof that the event at {@code index}, whose envelope hashes to {@code envelopeHash}, is in batch
 * {@code batchIndex} with Merkle root {@code root}. Anyone holding the envelope recomputes the
 * entry hash from {@code prevEntryHash}, then the leaf, then the root; on chain, {@code
 * LedgerAnchor.verifyInclusion(batchIndex, leaf(), siblings)} checks the same against the anchored
 * root.
 */
public record InclusionProof(
    long index,
    Bytes32 envelopeHash,
    Bytes32 prevEntryHash,
    long batchIndex,
    Bytes32 root,
    List<Bytes32> siblings) {

  public InclusionProof {
    Objects.requireNonNull(envelopeHash, "envelopeHash");
    Objects.requireNonNull(prevEntryHash, "prevEntryHash");
    Objects.requireNonNull(root, "root");
    siblings = List.copyOf(siblings);
  }

  public Bytes32 entryHash() {
    return EntryHashes.entryHash(prevEntryHash, index, envelopeHash);
  }

  /** The Merkle leaf, as {@code LedgerAnchor.verifyInclusion} takes it. */
  public Bytes32 leaf() {
    return EntryHashes.leaf(index, entryHash());
  }

  /** The siblings as raw bytes, as the generated contract wrapper takes them. */
  public List<byte[]> siblingBytes() {
    List<byte[]> out = new ArrayList<>(siblings.size());
    siblings.forEach(s -> out.add(s.toByteArray()));
    return out;
  }

  /** Whether the proof leads to {@link #root()}. */
  public boolean verify() {
    return verifyAgainst(root);
  }

  /** Whether the proof leads to {@code anchoredRoot} (e.g. read from LedgerAnchor.rootOf). */
  public boolean verifyAgainst(Bytes32 anchoredRoot) {
    return MerkleTree.verify(anchoredRoot.toByteArray(), leaf().toByteArray(), siblingBytes());
  }
}
