package io.layerproof.chain.contracts;

import io.layerproof.chain.testing.ChainUnderTest;
import io.layerproof.chain.testing.EmbeddedChainUnderTest;

/** The money-invariant properties on the embedded devnet. */
class EmbeddedContractPropertyTest extends ContractPropertySuite {

  @Override
  protected ChainUnderTest startChain() {
    return EmbeddedChainUnderTest.start();
  }
}
