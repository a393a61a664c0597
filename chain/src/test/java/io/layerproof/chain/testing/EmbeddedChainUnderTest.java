package io.layerproof.chain.testing;

import io.layerproof.chain.devnet.EmbeddedChain;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.Web3jService;

/** The embedded devnet (in memory, in-process Web3j) as a {@link ChainUnderTest}. */
public final class EmbeddedChainUnderTest implements ChainUnderTest {

  private final EmbeddedChain chain;
  private final Web3j web3j;

  private EmbeddedChainUnderTest(EmbeddedChain chain) {
    this.chain = chain;
    this.web3j = Web3j.build(chain.web3jService());
  }

  public static EmbeddedChainUnderTest start() {
    return new EmbeddedChainUnderTest(EmbeddedChain.inMemory());
  }

  @Override
  public String name() {
    return "embedded";
  }

  @Override
  public Web3j web3j() {
    return web3j;
  }

  @Override
  public long chainId() {
    return chain.chainId();
  }

  @Override
  public Web3jService web3jService() {
    return chain.web3jService();
  }

  @Override
  public void close() {
    web3j.shutdown();
    chain.close();
  }
}
