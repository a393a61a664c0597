package io.layerproof.chain.contracts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.layerproof.chain.anvil.AnvilNode;
import io.layerproof.chain.devnet.DevnetGenesis;
import io.layerproof.chain.devnet.EmbeddedChain;
import java.math.BigInteger;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.Keys;
import org.web3j.protocol.core.Request;
import org.web3j.protocol.core.methods.response.VoidResponse;
import org.web3j.protocol.http.HttpService;
import org.web3j.utils.Numeric;

/** The one client API reaches the embedded chain in-process and any chain by URL and chain id. */
class ChainConnectionTest {

  private static final BigInteger FUNDS = BigInteger.TEN.pow(21);

  @Test
  void deploysThroughTheEmbeddedChainAndThroughAnRpcUrl() throws Exception {
    Credentials deployer = Credentials.create(Keys.createEcKeyPair());
    try (EmbeddedChain chain =
            EmbeddedChain.inMemory(
                DevnetGenesis.defaults().withAlloc(deployer.getAddress(), FUNDS));
        ChainConnection embedded = ChainConnection.embedded(chain)) {
      assertDeploys(embedded, deployer);
    }
    try (AnvilNode anvil = AnvilNode.start()) {
      new Request<>(
              "anvil_setBalance",
              List.of(deployer.getAddress(), Numeric.toHexStringWithPrefix(FUNDS)),
              new HttpService(anvil.rpcUrl()),
              VoidResponse.class)
          .send();
      try (ChainConnection rpc = ChainConnection.rpc(anvil.rpcUrl(), AnvilNode.CHAIN_ID)) {
        assertDeploys(rpc, deployer);
      }
    }
  }

  @Test
  void aWrongChainIdOrABadUrlIsAClearError() throws Exception {
    try (AnvilNode anvil = AnvilNode.start()) {
      IllegalStateException wrong =
          assertThrows(IllegalStateException.class, () -> ChainConnection.rpc(anvil.rpcUrl(), 1));
      assertTrue(wrong.getMessage().contains("not the expected chain 1"), wrong.getMessage());
    }
    IllegalArgumentException scheme =
        assertThrows(
            IllegalArgumentException.class, () -> ChainConnection.rpc("ftp://127.0.0.1:1", 1));
    assertTrue(scheme.getMessage().contains("http://"), scheme.getMessage());
    IllegalStateException down =
        assertThrows(
            IllegalStateException.class, () -> ChainConnection.rpc("http://127.0.0.1:1", 1));
    assertTrue(down.getMessage().startsWith("cannot reach"), down.getMessage());
  }

  private static void assertDeploys(ChainConnection chain, Credentials deployer) {
    ContractAddresses a =
        LayerproofContracts.deploy(chain, deployer, DeployParams.defaults(deployer.getAddress()));
    LayerproofContracts c = LayerproofContracts.load(chain, deployer, a);
    LayerproofContracts.send(c.token().mint(deployer.getAddress(), BigInteger.TEN));
    assertEquals(
        BigInteger.TEN, LayerproofContracts.send(c.token().balanceOf(deployer.getAddress())));
    assertTrue(a.registry().equalsIgnoreCase(LayerproofContracts.send(c.market().registry())));
  }
}
