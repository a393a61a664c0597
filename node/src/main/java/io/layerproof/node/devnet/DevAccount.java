package io.layerproof.node.devnet;

import io.layerproof.chain.event.NodeKey;
import io.layerproof.p2p.identity.PeerKey;
import org.web3j.crypto.Credentials;

/**
 * A demo participant of the devnet: an Ethereum wallet key (pays gas, holds tokens) and an Ed25519
 * node key (signs ledger events; its public half is registered on-chain), which is also its libp2p
 * identity ({@code peerKey}, the same seed).
 */
public record DevAccount(String name, Credentials wallet, NodeKey nodeKey, PeerKey peerKey) {

  public String address() {
    return wallet.getAddress();
  }

  /** The raw 32-byte Ed25519 public key: the node id. */
  public byte[] nodePublicKey() {
    return nodeKey.id().toByteArray();
  }
}
