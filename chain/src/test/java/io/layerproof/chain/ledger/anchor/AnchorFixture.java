package io.layerproof.chain.ledger.anchor;

import static io.layerproof.chain.contracts.LayerproofContracts.send;

import io.layerproof.chain.contracts.ContractAddresses;
import io.layerproof.chain.contracts.DeployParams;
import io.layerproof.chain.contracts.LayerproofContracts;
import io.layerproof.chain.devnet.DevnetGenesis;
import io.layerproof.chain.devnet.EmbeddedChain;
import io.layerproof.chain.event.LedgerDomain;
import io.layerproof.chain.event.TestEvents;
import java.math.BigInteger;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.Web3j;

/**
 * The Layerproof contracts on a fresh in-memory embedded chain, and sequencers registered with
 * stake in ProviderRegistry (role SEQUENCER = 4), as LedgerAnchor requires. Keys are test keys
 * derived from fixed names.
 */
public final class AnchorFixture implements AutoCloseable {

  private static final BigInteger ETH = BigInteger.TEN.pow(18);
  private static final int SEQUENCER = 4;

  public final EmbeddedChain chain;
  public final Web3j web3j;
  public final long chainId;
  public final ContractAddresses addresses;
  public final LayerproofContracts admin;
  private final DeployParams params;

  private AnchorFixture() {
    Credentials deployer = TestEvents.buyer("anchor-fixture-deployer");
    chain =
        EmbeddedChain.inMemory(
            DevnetGenesis.defaults()
                .withAlloc(deployer.getAddress(), ETH.multiply(BigInteger.valueOf(1000))));
    web3j = Web3j.build(chain.web3jService());
    chainId = chain.chainId();
    params = DeployParams.defaults(TestEvents.buyer("anchor-fixture-treasury").getAddress());
    addresses = LayerproofContracts.deploy(web3j, chainId, deployer, params);
    admin = LayerproofContracts.load(web3j, chainId, deployer, addresses);
  }

  public static AnchorFixture start() {
    return new AnchorFixture();
  }

  /** The ledger domain of this deployment: chain id and the JobMarket address. */
  public LedgerDomain domain() {
    return LedgerDomain.of(chainId, addresses.market());
  }

  /** A funded account registered as SEQUENCER with the minimum stake, sending as itself. */
  public LayerproofContracts sequencer(String name) {
    Credentials c = TestEvents.buyer("anchor-fixture-sequencer-" + name);
    admin.sendNative(c.getAddress(), ETH.multiply(BigInteger.TEN));
    send(admin.token().mint(c.getAddress(), params.minStake()));
    LayerproofContracts s = admin.as(c);
    send(s.token().approve(addresses.registry(), params.minStake()));
    send(
        s.registry()
            .register(
                BigInteger.valueOf(SEQUENCER),
                params.minStake(),
                TestEvents.h("capacity").toByteArray(),
                TestEvents.h("node key " + name).toByteArray()));
    return s;
  }

  @Override
  public void close() {
    web3j.shutdown();
    chain.close();
  }
}
