package io.layerproof.chain.contracts;

import io.layerproof.contracts.generated.ComputeToken;
import io.layerproof.contracts.generated.JobMarket;
import io.layerproof.contracts.generated.LedgerAnchor;
import io.layerproof.contracts.generated.ProviderRegistry;
import io.layerproof.contracts.generated.RewardDistributor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.RemoteCall;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.protocol.exceptions.TransactionException;
import org.web3j.tx.Contract;
import org.web3j.tx.Transfer;
import org.web3j.tx.gas.ContractGasProvider;
import org.web3j.utils.Convert;

/**
 * The one entry point to the Layerproof contracts on any chain Web3j can reach: the embedded devnet
 * through its in-process {@code Web3jService}, anvil, or any RPC URL. {@link #deploy} deploys and
 * wires all five; {@link #load} returns typed handles (the generated wrappers) that send with
 * {@code credentials}, estimate gas, and throw {@link ContractRevertException} with the decoded
 * custom error on any revert.
 */
public final class LayerproofContracts {

  private final Web3j web3j;
  private final long chainId;
  private final Credentials credentials;
  private final ContractAddresses addresses;
  private final TxSettings settings;
  private final LayerproofTransactionManager transactionManager;
  private final ContractGasProvider gasProvider;
  private final ComputeToken token;
  private final ProviderRegistry registry;
  private final JobMarket market;
  private final LedgerAnchor anchor;
  private final RewardDistributor distributor;

  private LayerproofContracts(
      Web3j web3j,
      long chainId,
      Credentials credentials,
      ContractAddresses addresses,
      TxSettings settings) {
    this.web3j = web3j;
    this.chainId = chainId;
    this.credentials = credentials;
    this.addresses = addresses;
    this.settings = settings;
    this.transactionManager =
        new LayerproofTransactionManager(web3j, credentials, chainId, settings);
    this.gasProvider = new NodeGasProvider(web3j, settings.gasCap());
    this.token = ComputeToken.load(addresses.token(), web3j, transactionManager, gasProvider);
    this.registry =
        ProviderRegistry.load(addresses.registry(), web3j, transactionManager, gasProvider);
    this.market = JobMarket.load(addresses.market(), web3j, transactionManager, gasProvider);
    this.anchor = LedgerAnchor.load(addresses.anchor(), web3j, transactionManager, gasProvider);
    this.distributor =
        RewardDistributor.load(addresses.distributor(), web3j, transactionManager, gasProvider);
  }

  /**
   * Deploys ComputeToken, ProviderRegistry, RewardDistributor, JobMarket and LedgerAnchor and wires
   * them: the market is the registry's (only) slasher and the distributor's funder; the deployer is
   * admin of everything, the token's minter and the distributor's settler.
   */
  public static ContractAddresses deploy(
      Web3j web3j, long chainId, Credentials deployer, DeployParams params) {
    return deploy(web3j, chainId, deployer, params, TxSettings.defaults());
  }

  public static ContractAddresses deploy(
      Web3j web3j, long chainId, Credentials deployer, DeployParams params, TxSettings settings) {
    var tm = new LayerproofTransactionManager(web3j, deployer, chainId, settings);
    var gas = new NodeGasProvider(web3j, settings.gasCap());
    String admin = deployer.getAddress();
    ComputeToken token = deployed(web3j, ComputeToken.deploy(web3j, tm, gas, admin));
    ProviderRegistry registry =
        deployed(
            web3j,
            ProviderRegistry.deploy(
                web3j,
                tm,
                gas,
                token.getContractAddress(),
                admin,
                params.minStake(),
                BigInteger.valueOf(params.unbondingDelaySeconds())));
    RewardDistributor distributor =
        deployed(
            web3j, RewardDistributor.deploy(web3j, tm, gas, token.getContractAddress(), admin));
    JobMarket market =
        deployed(
            web3j,
            JobMarket.deploy(
                web3j,
                tm,
                gas,
                token.getContractAddress(),
                registry.getContractAddress(),
                distributor.getContractAddress(),
                admin,
                params.marketParams()));
    LedgerAnchor anchor =
        deployed(web3j, LedgerAnchor.deploy(web3j, tm, gas, registry.getContractAddress()));

    send(registry.setSlasher(market.getContractAddress()));
    send(distributor.grantRole(send(distributor.FUNDER_ROLE()), market.getContractAddress()));
    return new ContractAddresses(
        token.getContractAddress(),
        registry.getContractAddress(),
        market.getContractAddress(),
        anchor.getContractAddress(),
        distributor.getContractAddress());
  }

  /** Deploys and wires all five contracts on {@code chain}; see the Web3j overload. */
  public static ContractAddresses deploy(
      ChainConnection chain, Credentials deployer, DeployParams params) {
    return deploy(chain.web3j(), chain.chainId(), deployer, params);
  }

  /** Typed handles on {@code chain} that send as {@code credentials}. */
  public static LayerproofContracts load(
      ChainConnection chain, Credentials credentials, ContractAddresses addresses) {
    return load(chain.web3j(), chain.chainId(), credentials, addresses);
  }

  /** Typed handles to deployed contracts that send as {@code credentials}. */
  public static LayerproofContracts load(
      Web3j web3j, long chainId, Credentials credentials, ContractAddresses addresses) {
    return load(web3j, chainId, credentials, addresses, TxSettings.defaults());
  }

  public static LayerproofContracts load(
      Web3j web3j,
      long chainId,
      Credentials credentials,
      ContractAddresses addresses,
      TxSettings settings) {
    return new LayerproofContracts(web3j, chainId, credentials, addresses, settings);
  }

  /** The same contracts, sending as someone else. */
  public LayerproofContracts as(Credentials other) {
    return new LayerproofContracts(web3j, chainId, other, addresses, settings);
  }

  public ComputeToken token() {
    return token;
  }

  public ProviderRegistry registry() {
    return registry;
  }

  public JobMarket market() {
    return market;
  }

  public LedgerAnchor anchor() {
    return anchor;
  }

  public RewardDistributor distributor() {
    return distributor;
  }

  public ContractAddresses addresses() {
    return addresses;
  }

  public Credentials credentials() {
    return credentials;
  }

  /** The sending account's address. */
  public String account() {
    return credentials.getAddress();
  }

  public long chainId() {
    return chainId;
  }

  public Web3j web3j() {
    return web3j;
  }

  public LayerproofTransactionManager transactionManager() {
    return transactionManager;
  }

  /** Sends {@code wei} of the native currency from this account (e.g. gas money for a node). */
  public TransactionReceipt sendNative(String to, BigInteger wei) {
    return send(
        new Transfer(web3j, transactionManager)
            .sendFunds(
                to,
                new BigDecimal(wei),
                Convert.Unit.WEI,
                gasProvider.getGasPrice(),
                settings.gasCap()));
  }

  /**
   * Runs a Web3j call or transaction: returns its result, rethrows a revert as {@link
   * ContractRevertException}, I/O failures as {@link UncheckedIOException}, anything else (e.g. no
   * receipt before the timeout) as {@link IllegalStateException}.
   */
  public static <T> T send(RemoteCall<T> call) {
    try {
      return call.send();
    } catch (ContractRevertException e) {
      throw e;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (TransactionException e) {
      throw new IllegalStateException(e.getMessage(), e);
    } catch (Exception e) {
      for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
        if (t instanceof ContractRevertException revert) {
          throw revert;
        }
      }
      if (e instanceof RuntimeException r) {
        throw r;
      }
      throw new IllegalStateException(e.getMessage(), e);
    }
  }

  private static <T extends Contract> T deployed(Web3j web3j, RemoteCall<T> deploy) {
    T contract = send(deploy);
    // A failed creation can still report an address: make sure code is really there.
    try {
      String code =
          web3j
              .ethGetCode(contract.getContractAddress(), DefaultBlockParameterName.LATEST)
              .send()
              .getCode();
      if (code == null || code.equals("0x") || code.isEmpty()) {
        throw new IllegalStateException(
            "no code at " + contract.getContractAddress() + " after deploying " + contract);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return contract;
  }
}
