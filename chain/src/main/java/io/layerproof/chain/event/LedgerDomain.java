package io.layerproof.chain.event;

/**
 * The deployment a ledger belongs to: the chain id and the JobMarket address. Both are in every
 * signed envelope and in the buyer's EIP-712 domain, so a signature made for one chain or one
 * deployment is refused by another.
 */
public record LedgerDomain(long chainId, EthAddress contract) {
  public LedgerDomain {
    if (chainId <= 0) {
      throw new IllegalArgumentException("chain id must be positive: " + chainId);
    }
    Checks.present(contract, "contract");
  }

  public static LedgerDomain of(long chainId, String contractAddress) {
    return new LedgerDomain(chainId, EthAddress.fromHex(contractAddress));
  }
}
