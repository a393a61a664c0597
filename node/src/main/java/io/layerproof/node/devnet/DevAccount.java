package io.layerproof.node.devnet;

import java.security.KeyPair;
import org.web3j.crypto.Credentials;

/**
 * A demo participant of the devnet: an Ethereum wallet key (pays gas, holds tokens) and an Ed25519
 * node key (signs ledger events; its public half is registered on-chain).
 */
public record DevAccount(String name, Credentials wallet, KeyPair nodeKey) {

  public String address() {
    return wallet.getAddress();
  }

  /** The raw 32-byte Ed25519 public key (the tail of its X.509 encoding). */
  public byte[] nodePublicKey() {
    byte[] x509 = nodeKey.getPublic().getEncoded();
    return java.util.Arrays.copyOfRange(x509, x509.length - 32, x509.length);
  }
}
