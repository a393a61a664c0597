package io.layerproof.chain.contracts;

import io.layerproof.chain.testing.ChainUnderTest;
import io.layerproof.chain.testing.EmbeddedChainUnderTest;

/** The contract suite on the embedded devnet. */
class EmbeddedContractSuiteTest extends ContractSuite {

  @Override
  protected ChainUnderTest startChain() {
    return EmbeddedChainUnderTest.start();
  }
}
