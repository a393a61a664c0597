package io.layerproof.node.devnet;

import io.layerproof.chain.contracts.ContractAddresses;
import io.layerproof.chain.contracts.DeployParams;
import io.layerproof.chain.contracts.LayerproofContracts;
import io.layerproof.chain.devnet.DevnetGenesis;
import io.layerproof.chain.devnet.EmbeddedChain;
import io.layerproof.chain.devnet.JsonRpcServer;
import io.layerproof.inference.synth.DefaultModel;
import io.layerproof.inference.synth.SynthProgress;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.apache.commons.io.file.PathUtils;
import org.web3j.crypto.Hash;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameterName;

/**
 * The chain side of the devnet: the embedded chain with its JSON-RPC, the contracts deployed with
 * devnet windows (a one-minute challenge window), and the demo accounts funded: an operator who
 * deploys, mints and settles, a buyer with escrow, and the nodes registered in ProviderRegistry
 * with stake and their Ed25519 node keys (a sequencer, two providers, a verifier). {@link
 * DevnetNodes} runs those nodes and the gateway on top.
 */
public final class Devnet implements AutoCloseable {

  /** The roles a node registers with in {@code ProviderRegistry}. */
  static final int ROLE_PROVIDER = 1;

  static final int ROLE_VERIFIER = 2;
  static final int ROLE_SEQUENCER = 4;

  /** Seconds a job's providers have to commit, and the challenge window after that. */
  static final long COMMIT_WINDOW = 600;

  static final long CHALLENGE_WINDOW = 60;

  static final BigInteger ETHER = BigInteger.TEN.pow(18);
  static final BigInteger LPC = BigInteger.TEN.pow(18);
  static final BigInteger GAS_MONEY = ETHER.multiply(BigInteger.valueOf(1_000));
  static final BigInteger BUYER_TOKENS = LPC.multiply(BigInteger.valueOf(10_000));
  static final BigInteger BUYER_ESCROW = LPC.multiply(BigInteger.valueOf(1_000));
  static final BigInteger PROVIDER_TOKENS = LPC.multiply(BigInteger.valueOf(5_000));
  static final BigInteger PROVIDER_STAKE = LPC.multiply(BigInteger.valueOf(1_000));
  static final BigInteger NODE_STAKE = LPC.multiply(BigInteger.valueOf(100));

  private final EmbeddedChain chain;
  private final JsonRpcServer rpcServer;
  private final Web3j web3j;
  private final ContractAddresses contracts;
  private final DevAccount operator;
  private final DevAccount buyer;
  private final List<DevAccount> providers;
  private final DevAccount sequencer;
  private final DevAccount verifier;
  private final boolean freshDeployment;
  private final Path keysDir;

  private Devnet(
      EmbeddedChain chain,
      JsonRpcServer rpcServer,
      Web3j web3j,
      ContractAddresses contracts,
      DevAccount operator,
      DevAccount buyer,
      List<DevAccount> providers,
      DevAccount sequencer,
      DevAccount verifier,
      boolean freshDeployment,
      Path keysDir) {
    this.chain = chain;
    this.rpcServer = rpcServer;
    this.web3j = web3j;
    this.contracts = contracts;
    this.operator = operator;
    this.buyer = buyer;
    this.providers = providers;
    this.sequencer = sequencer;
    this.verifier = verifier;
    this.freshDeployment = freshDeployment;
    this.keysDir = keysDir;
  }

  /**
   * Starts the devnet, deploying and funding on first run; {@code progress} gets one line a step.
   */
  public static Devnet start(DevnetOptions options, Consumer<String> progress) {
    Path dir = options.dataDir().toAbsolutePath();
    if (options.reset()) {
      deleteTree(dir);
    }
    Path keysDir = dir.resolve("keys");
    DevKeyStore keys = new DevKeyStore(keysDir);
    DevAccount operator = keys.loadOrCreate("operator");
    DevAccount buyer = keys.loadOrCreate("buyer");
    List<DevAccount> providers =
        List.of(keys.loadOrCreate("provider-a"), keys.loadOrCreate("provider-b"));
    DevAccount sequencer = keys.loadOrCreate("sequencer");
    DevAccount verifier = keys.loadOrCreate("verifier");

    // The model the providers will serve: generated once (under a second), never downloaded.
    Path modelDir = dir.resolve("model");
    if (!Files.exists(modelDir.resolve("config.json"))) {
      progress.accept("generating the default model in " + modelDir);
    }
    try (SynthProgress bar = SynthProgress.console("model")) {
      DefaultModel.ensure(modelDir, bar);
    }

    DevnetGenesis genesis = DevnetGenesis.defaults().withChainId(options.chainId());
    for (DevAccount a : all(operator, buyer, providers, sequencer, verifier)) {
      genesis = genesis.withAlloc(a.address(), GAS_MONEY);
    }
    progress.accept("opening the embedded chain in " + dir.resolve("chain"));
    EmbeddedChain chain = EmbeddedChain.open(dir.resolve("chain"), genesis);
    JsonRpcServer server = null;
    try {
      server = JsonRpcServer.start(chain, options.host(), options.rpcPort());
      Web3j web3j = Web3j.build(chain.web3jService());
      Path deploymentFile = dir.resolve("deployment.json");
      var saved = DevnetDeployment.read(deploymentFile);
      ContractAddresses contracts;
      if (saved.isPresent()) {
        contracts = saved.get().contracts();
        requireCode(web3j, contracts);
        progress.accept("contracts already deployed (block " + chain.blockNumber() + ")");
      } else {
        progress.accept("deploying the contracts");
        contracts = setUp(web3j, chain.chainId(), operator, buyer, providers, progress);
        new DevnetDeployment(chain.chainId(), contracts).write(deploymentFile);
      }
      // Nodes of earlier devnets (or a changed key set) are registered on any start.
      LayerproofContracts asOperator =
          LayerproofContracts.load(web3j, chain.chainId(), operator.wallet(), contracts);
      ensureNode(asOperator, sequencer, ROLE_SEQUENCER, NODE_STAKE, progress);
      ensureNode(asOperator, verifier, ROLE_VERIFIER, NODE_STAKE, progress);
      return new Devnet(
          chain,
          server,
          web3j,
          contracts,
          operator,
          buyer,
          providers,
          sequencer,
          verifier,
          saved.isEmpty(),
          keysDir);
    } catch (RuntimeException e) {
      if (server != null) {
        server.close();
      }
      chain.close();
      throw e;
    }
  }

  private static ContractAddresses setUp(
      Web3j web3j,
      long chainId,
      DevAccount operator,
      DevAccount buyer,
      List<DevAccount> providers,
      Consumer<String> progress) {
    DeployParams defaults = DeployParams.defaults(operator.address());
    DeployParams params =
        new DeployParams(
            defaults.minStake(),
            defaults.unbondingDelaySeconds(),
            defaults.unitPrice(),
            defaults.verifierFeeBps(),
            COMMIT_WINDOW,
            CHALLENGE_WINDOW,
            defaults.quorum(),
            defaults.slashBps(),
            defaults.challengerRewardBps(),
            defaults.treasury());
    ContractAddresses addresses =
        LayerproofContracts.deploy(web3j, chainId, operator.wallet(), params);
    LayerproofContracts asOperator =
        LayerproofContracts.load(web3j, chainId, operator.wallet(), addresses);

    progress.accept("funding the demo buyer: tokens and escrow");
    LayerproofContracts.send(asOperator.token().mint(buyer.address(), BUYER_TOKENS));
    LayerproofContracts asBuyer = asOperator.as(buyer.wallet());
    LayerproofContracts.send(asBuyer.token().approve(addresses.market(), BUYER_ESCROW));
    LayerproofContracts.send(asBuyer.market().deposit(BUYER_ESCROW));

    for (DevAccount p : providers) {
      LayerproofContracts.send(asOperator.token().mint(p.address(), PROVIDER_TOKENS));
      ensureNode(asOperator, p, ROLE_PROVIDER, PROVIDER_STAKE, progress);
    }
    return addresses;
  }

  /** Registers {@code node} with {@code roles} and {@code stake} unless it is registered. */
  private static void ensureNode(
      LayerproofContracts asOperator,
      DevAccount node,
      int roles,
      BigInteger stake,
      Consumer<String> progress) {
    if (LayerproofContracts.send(
        asOperator.registry().isActiveAs(node.address(), BigInteger.valueOf(roles)))) {
      return;
    }
    progress.accept("registering " + node.name() + " with stake");
    BigInteger gas;
    try {
      gas =
          asOperator
              .web3j()
              .ethGetBalance(node.address(), DefaultBlockParameterName.LATEST)
              .send()
              .getBalance();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (gas.signum() == 0) {
      throw new IllegalStateException(
          "this devnet's chain predates the "
              + node.name()
              + " node (its account holds no gas money); start with --reset");
    }
    BigInteger balance = LayerproofContracts.send(asOperator.token().balanceOf(node.address()));
    if (balance.compareTo(stake) < 0) {
      LayerproofContracts.send(asOperator.token().mint(node.address(), stake.subtract(balance)));
    }
    LayerproofContracts asNode = asOperator.as(node.wallet());
    LayerproofContracts.send(asNode.token().approve(asOperator.addresses().registry(), stake));
    LayerproofContracts.send(
        asNode
            .registry()
            .register(BigInteger.valueOf(roles), stake, capacityHash(node), node.nodePublicKey()));
  }

  /** Until the inference module declares real capacity, a provider declares its node key alone. */
  private static byte[] capacityHash(DevAccount p) {
    return Hash.sha3(("capacity:" + p.address().toLowerCase()).getBytes());
  }

  private static void requireCode(Web3j web3j, ContractAddresses c) {
    for (String address :
        List.of(c.token(), c.registry(), c.market(), c.anchor(), c.distributor())) {
      String code;
      try {
        code = web3j.ethGetCode(address, DefaultBlockParameterName.LATEST).send().getCode();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      if (code == null || code.length() <= 2) {
        throw new IllegalStateException(
            "deployment.json names "
                + address
                + " but the chain has no code there; start with --reset");
      }
    }
  }

  private static List<DevAccount> all(
      DevAccount operator,
      DevAccount buyer,
      List<DevAccount> providers,
      DevAccount sequencer,
      DevAccount verifier) {
    return Stream.concat(Stream.of(operator, buyer, sequencer, verifier), providers.stream())
        .toList();
  }

  private static void deleteTree(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try {
      PathUtils.deleteDirectory(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + dir, e);
    }
  }

  public String rpcUrl() {
    return rpcServer.url();
  }

  public long chainId() {
    return chain.chainId();
  }

  public long blockNumber() {
    return chain.blockNumber();
  }

  public ContractAddresses contracts() {
    return contracts;
  }

  public DevAccount operator() {
    return operator;
  }

  public DevAccount buyer() {
    return buyer;
  }

  public List<DevAccount> providers() {
    return providers;
  }

  /** The node that sequences the ledger, anchors it and opens jobs (and fronts the gateway). */
  public DevAccount sequencer() {
    return sequencer;
  }

  /** The node that audits jobs. */
  public DevAccount verifier() {
    return verifier;
  }

  /** The embedded chain itself (the nodes' block timer mines on it). */
  EmbeddedChain chain() {
    return chain;
  }

  /** The chain's in-process JSON-RPC transport (e.g. for evm_mine). */
  public org.web3j.protocol.Web3jService web3jService() {
    return chain.web3jService();
  }

  /** True when this start deployed the contracts, false when it found them from an earlier run. */
  public boolean freshDeployment() {
    return freshDeployment;
  }

  /** The default model's folder (Hugging Face layout). */
  public Path modelDir() {
    return keysDir.resolveSibling("model");
  }

  /** Where the demo accounts' key files are. */
  public Path keysDir() {
    return keysDir;
  }

  /** In-process Web3j on the devnet's chain. */
  public Web3j web3j() {
    return web3j;
  }

  /** Typed contract handles that send as {@code account}. */
  public LayerproofContracts contractsAs(DevAccount account) {
    return LayerproofContracts.load(web3j, chain.chainId(), account.wallet(), contracts);
  }

  @Override
  public void close() {
    rpcServer.close();
    web3j.shutdown();
    chain.close();
  }
}
