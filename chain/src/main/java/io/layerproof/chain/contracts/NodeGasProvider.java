package io.layerproof.chain.contracts;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.methods.request.Transaction;
import org.web3j.protocol.core.methods.response.EthGasPrice;
import org.web3j.tx.gas.ContractGasProvider;

/**
 * Gas price from the node (eth_gasPrice) on every transaction; the gas limit it reports is only a
 * cap, since {@link LayerproofTransactionManager} estimates each transaction's gas itself.
 */
public final class NodeGasProvider implements ContractGasProvider {

  private final Web3j web3j;
  private final BigInteger gasCap;

  public NodeGasProvider(Web3j web3j, BigInteger gasCap) {
    this.web3j = web3j;
    this.gasCap = gasCap;
  }

  @Override
  public BigInteger getGasPrice() {
    try {
      EthGasPrice price = web3j.ethGasPrice().send();
      if (price.hasError()) {
        throw new IllegalStateException("eth_gasPrice: " + price.getError().getMessage());
      }
      return price.getGasPrice();
    } catch (IOException e) {
      throw new UncheckedIOException("eth_gasPrice failed", e);
    }
  }

  @Override
  public BigInteger getGasLimit(Transaction transaction) {
    return gasCap;
  }

  @Override
  public BigInteger getGasLimit() {
    return gasCap;
  }
}
