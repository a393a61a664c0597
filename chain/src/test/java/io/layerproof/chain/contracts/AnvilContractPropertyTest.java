package io.layerproof.chain.contracts;

import io.layerproof.chain.testing.AnvilChain;
import io.layerproof.chain.testing.ChainUnderTest;

/** The money-invariant properties on anvil. */
class AnvilContractPropertyTest extends ContractPropertySuite {

  @Override
  protected ChainUnderTest startChain() {
    return AnvilChain.start();
  }
}
