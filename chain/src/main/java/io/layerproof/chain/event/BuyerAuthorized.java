package io.layerproof.chain.event;

/**
 * An event a buyer authorised with a wallet signature: its envelope must carry the buyer's EIP-712
 * signature over {@link #buyerDigest}, and the recovered signer must be {@link #buyer()}.
 */
public interface BuyerAuthorized {

  EthAddress buyer();

  /** The 32-byte EIP-712 digest the buyer signed, under the ledger's chain id and contract. */
  byte[] buyerDigest(LedgerDomain domain);
}
