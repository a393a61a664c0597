package io.layerproof.chain.contracts;

import io.layerproof.chain.testing.AnvilChain;
import io.layerproof.chain.testing.ChainUnderTest;

/** The contract suite on anvil, a chain nobody here wrote. */
class AnvilContractSuiteTest extends ContractSuite {

  @Override
  protected ChainUnderTest startChain() {
    return AnvilChain.start();
  }
}
