package io.layerproof.chain.settlement;

import static io.layerproof.chain.contracts.LayerproofContracts.send;

import io.layerproof.chain.contracts.ContractAddresses;
import io.layerproof.chain.contracts.DeployParams;
import io.layerproof.chain.contracts.JobMarketEip712;
import io.layerproof.chain.contracts.LayerproofContracts;
import io.layerproof.chain.devnet.DevnetGenesis;
import io.layerproof.chain.devnet.EmbeddedChain;
import io.layerproof.chain.event.TestEvents;
import io.layerproof.chain.testing.ChainUnderTest;
import io.layerproof.contracts.generated.JobMarket;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.Hash;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.Request;
import org.web3j.protocol.core.Response;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.utils.Numeric;

/**
 * The Layerproof contracts on an embedded chain (in memory, or a persistent data folder that a
 * child process reopens), with named test accounts (keys derived from names, so a child process
 * derives the same ones and no key ever travels), registered nodes, buyers with escrow, signed
 * jobs, fraud verdicts and time travel; plus the independent model of who should earn what.
 */
public final class SettlementFixture implements AutoCloseable {

  public static final BigInteger LPC = BigInteger.TEN.pow(18);
  public static final BigInteger ETH = BigInteger.TEN.pow(18);
  public static final int PROVIDER = 1;
  public static final int VERIFIER = 2;
  public static final int SEQUENCER = 4;
  public static final byte[] SETTLER_ROLE =
      Hash.sha3("SETTLER_ROLE".getBytes(StandardCharsets.UTF_8));

  private static final SecureRandom RANDOM = new SecureRandom();

  public final EmbeddedChain chain;
  public final Web3j web3j;
  public final long chainId;
  public final String tag;
  public final DeployParams params;
  public final ContractAddresses addresses;
  public final LayerproofContracts admin;
  public final Credentials settler;
  private final boolean ownsChain;

  private SettlementFixture(
      EmbeddedChain chain, String tag, ContractAddresses known, boolean ownsChain) {
    this.chain = chain;
    this.ownsChain = ownsChain;
    this.web3j = Web3j.build(chain.web3jService());
    this.chainId = chain.chainId();
    this.tag = tag;
    Credentials deployer = deployer(tag);
    this.params = params(treasury(tag).getAddress());
    this.settler = TestEvents.buyer(tag + "/settler");
    if (known == null) {
      this.addresses = LayerproofContracts.deploy(web3j, chainId, deployer, params);
      this.admin = LayerproofContracts.load(web3j, chainId, deployer, addresses);
      admin.sendNative(settler.getAddress(), ETH.multiply(BigInteger.valueOf(100)));
      send(admin.distributor().grantRole(SETTLER_ROLE, settler.getAddress()));
    } else {
      this.addresses = known;
      this.admin = LayerproofContracts.load(web3j, chainId, deployer, addresses);
    }
  }

  /** Small round numbers: 1e6 wei per work unit, 5% fee, quorum 2, slash 50%, 20% of it. */
  public static DeployParams params(String treasury) {
    return new DeployParams(
        LPC.multiply(BigInteger.valueOf(100)),
        86_400,
        BigInteger.valueOf(1_000_000),
        500,
        600,
        3_600,
        2,
        5_000,
        2_000,
        treasury);
  }

  public static Credentials deployer(String tag) {
    return TestEvents.buyer(tag + "/deployer");
  }

  public static Credentials treasury(String tag) {
    return TestEvents.buyer(tag + "/treasury");
  }

  /** A genesis that funds the deployer of {@code tag}. */
  public static DevnetGenesis genesis(String tag) {
    return DevnetGenesis.defaults()
        .withAlloc(deployer(tag).getAddress(), ETH.multiply(BigInteger.valueOf(100_000)));
  }

  /** A fresh in-memory chain with a fresh deployment. */
  public static SettlementFixture inMemory(String tag) {
    return new SettlementFixture(EmbeddedChain.inMemory(genesis(tag)), tag, null, true);
  }

  /** A fresh deployment on {@code chain} (which must fund {@code tag}'s deployer). */
  public static SettlementFixture deploy(EmbeddedChain chain, String tag) {
    return new SettlementFixture(chain, tag, null, false);
  }

  /** The deployment at {@code addresses} on a reopened chain. */
  public static SettlementFixture attach(
      EmbeddedChain chain, String tag, ContractAddresses addresses) {
    return new SettlementFixture(chain, tag, addresses, false);
  }

  /** The settler's contracts handle (SETTLER_ROLE on the distributor, gas money). */
  public LayerproofContracts settlerContracts() {
    return admin.as(settler);
  }

  public SettlementService service(SettlementStore store, Collection<String> localAccounts) {
    return new SettlementService(
        settlerContracts(), store, SettlementOptions.defaults(localAccounts));
  }

  // ------------------------------------------------------------------ accounts

  /** A named account holding gas money. */
  public Credentials account(String name) {
    Credentials c = named(name);
    admin.sendNative(c.getAddress(), ETH);
    return c;
  }

  /** The key of a named account (derived from the tag and the name; nothing is sent). */
  public Credentials named(String name) {
    return TestEvents.buyer(tag + "/" + name);
  }

  /** A named node registered with {@code roles} and {@code stake} bonded. */
  public Credentials node(String name, int roles, BigInteger stake) {
    Credentials c = account(name);
    send(admin.token().mint(c.getAddress(), stake));
    LayerproofContracts n = admin.as(c);
    send(n.token().approve(addresses.registry(), stake));
    send(
        n.registry()
            .register(
                BigInteger.valueOf(roles),
                stake,
                h("capacity"),
                h("node key " + tag + "/" + name)));
    return c;
  }

  public Credentials node(String name, int roles) {
    return node(name, roles, params.minStake());
  }

  /** A buyer with {@code deposit} in escrow. */
  public Credentials buyer(String name, BigInteger deposit) {
    Credentials c = account(name);
    send(admin.token().mint(c.getAddress(), deposit));
    LayerproofContracts b = admin.as(c);
    send(b.token().approve(addresses.market(), deposit));
    send(b.market().deposit(deposit));
    return c;
  }

  public BigInteger balanceOf(String who) {
    return send(admin.token().balanceOf(who));
  }

  public BigInteger escrowBalance(String buyer) {
    return send(admin.market().escrowOf(buyer)).component1();
  }

  public BigInteger locked(String buyer) {
    return send(admin.market().escrowOf(buyer)).component2();
  }

  // ------------------------------------------------------------------ jobs

  public record Job(
      byte[] id,
      Credentials buyer,
      BigInteger maxPrice,
      List<Credentials> providers,
      Credentials verifier) {

    public String hexId() {
      return Numeric.toHexString(id);
    }
  }

  /** Opens a job through {@code sequencer}: one shard of 8 layers per provider. */
  public Job openJob(
      Credentials sequencer,
      Credentials buyer,
      BigInteger maxPrice,
      List<Credentials> providers,
      Credentials verifier) {
    JobMarket.JobRequest req =
        new JobMarket.JobRequest(
            h("model"),
            h("messages " + RANDOM.nextLong()),
            BigInteger.valueOf(256),
            maxPrice,
            new BigInteger(63, RANDOM),
            now().add(BigInteger.valueOf(3_600)));
    List<JobMarket.ShardAssignment> shards = new ArrayList<>();
    for (int i = 0; i < providers.size(); i++) {
      shards.add(
          new JobMarket.ShardAssignment(
              providers.get(i).getAddress(),
              BigInteger.valueOf(8L * i),
              BigInteger.valueOf(8L * (i + 1))));
    }
    byte[] sig = JobMarketEip712.signJobRequest(chainId, addresses.market(), req, buyer);
    send(
        admin
            .as(sequencer)
            .market()
            .openJob(buyer.getAddress(), req, sig, shards, verifier.getAddress()));
    return new Job(
        JobMarketEip712.jobRequestDigest(chainId, addresses.market(), req),
        buyer,
        maxPrice,
        List.copyOf(providers),
        verifier);
  }

  public void commit(Job job, int shard, long workUnits) {
    send(
        admin
            .as(job.providers().get(shard))
            .market()
            .postCommitment(
                job.id(),
                BigInteger.valueOf(shard),
                h("root " + job.hexId() + " " + shard),
                BigInteger.valueOf(workUnits)));
  }

  /** resolveFraud with the verdict signatures of {@code verifiers} (ascending), sent by sender. */
  public TransactionReceipt proveFraud(
      Job job, int shard, byte[] evidence, List<Credentials> verifiers, Credentials sender) {
    List<byte[]> sigs = new ArrayList<>();
    for (Credentials v : ascending(verifiers)) {
      sigs.add(
          JobMarketEip712.signFraudVerdict(
              chainId, addresses.market(), job.id(), BigInteger.valueOf(shard), evidence, v));
    }
    return send(
        admin
            .as(sender)
            .market()
            .resolveFraud(job.id(), BigInteger.valueOf(shard), evidence, sigs));
  }

  public static List<Credentials> ascending(List<Credentials> creds) {
    List<Credentials> sorted = new ArrayList<>(creds);
    sorted.sort(Comparator.comparing(c -> Numeric.toBigInt(c.getAddress())));
    return sorted;
  }

  /** Moves the chain clock forward and mines a block. */
  public void increaseTime(long seconds) {
    rpc("evm_increaseTime", List.of(seconds));
    rpc("evm_mine", List.of());
  }

  private void rpc(String method, List<?> args) {
    try {
      Response<?> r =
          new Request<>(method, args, chain.web3jService(), ChainUnderTest.RawResponse.class)
              .send();
      if (r.hasError()) {
        throw new IllegalStateException(method + ": " + r.getError().getMessage());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public BigInteger now() {
    try {
      return web3j
          .ethGetBlockByNumber(DefaultBlockParameterName.LATEST, false)
          .send()
          .getBlock()
          .getTimestamp();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static byte[] h(String s) {
    return Hash.sha3(s.getBytes(StandardCharsets.UTF_8));
  }

  public static String lower(Credentials c) {
    return c.getAddress().toLowerCase(Locale.ROOT);
  }

  @Override
  public void close() {
    web3j.shutdown();
    if (ownsChain) {
      chain.close();
    }
  }

  // ------------------------------------------------------------------ the expected outcome

  /**
   * Who should earn what, built from what the test did (work units, stakes, signers) and the
   * market's parameters, independently of the settlement service.
   */
  public static final class Expected {
    public final Map<String, BigInteger> earnings = new TreeMap<>();
    public BigInteger funded = BigInteger.ZERO;
    public BigInteger toTreasury = BigInteger.ZERO;
    public final Map<String, BigInteger> spentByBuyer = new TreeMap<>();

    /** A job finalized with these declared work units per shard (0: never committed). */
    public MarketConfig.FinalizeSplit finalized(MarketConfig config, Job job, long... units) {
      List<MarketConfig.ShardWork> shards = new ArrayList<>();
      for (int i = 0; i < job.providers().size(); i++) {
        shards.add(new MarketConfig.ShardWork(job.providers().get(i).getAddress(), units[i]));
      }
      MarketConfig.FinalizeSplit split =
          MarketConfig.finalizeSplit(
              config.termsFor(job.maxPrice()), job.verifier().getAddress(), shards);
      for (PayoutEntry p : split.payouts()) {
        earnings.merge(p.account(), p.amount(), BigInteger::add);
      }
      funded = funded.add(split.cost());
      spentByBuyer.merge(lower(job.buyer()), split.cost(), BigInteger::add);
      return split;
    }

    /** A job proven fraudulent: the cheater had {@code bonded} stake, these verifiers signed. */
    public MarketConfig.FraudSplit fraud(
        MarketConfig config, BigInteger bonded, List<Credentials> signers) {
      List<String> ascending = new ArrayList<>();
      for (Credentials c : SettlementFixture.ascending(signers)) {
        ascending.add(c.getAddress());
      }
      MarketConfig.FraudSplit split = config.fraudSplit(bonded, ascending);
      for (PayoutEntry p : split.payouts()) {
        earnings.merge(p.account(), p.amount(), BigInteger::add);
      }
      funded = funded.add(split.challengerRewards());
      toTreasury = toTreasury.add(split.toTreasury());
      return split;
    }

    public BigInteger of(Credentials c) {
      return earnings.getOrDefault(lower(c), BigInteger.ZERO);
    }
  }
}
