package io.layerproof.chain.contracts;

import static io.layerproof.chain.contracts.LayerproofContracts.send;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.layerproof.chain.testing.ChainUnderTest;
import io.layerproof.contracts.generated.JobMarket;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.function.Executable;
import org.web3j.abi.FunctionEncoder;
import org.web3j.abi.FunctionReturnDecoder;
import org.web3j.abi.datatypes.Function;
import org.web3j.abi.datatypes.Type;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.Hash;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.utils.Numeric;

/**
 * A fresh deployment on a {@link ChainUnderTest} plus the helpers the contract tests share: funded
 * accounts, registered nodes, buyers with escrow, signed jobs, time travel, and revert assertions
 * by custom error name.
 */
final class ContractFixture {

  static final BigInteger LPC = BigInteger.TEN.pow(18);
  static final BigInteger ETH = BigInteger.TEN.pow(18);
  static final BigInteger MAX_UINT = BigInteger.TWO.pow(256).subtract(BigInteger.ONE);
  static final int PROVIDER = 1;
  static final int VERIFIER = 2;
  static final int SEQUENCER = 4;

  /** Small round numbers keep expected payouts easy to state exactly. */
  static DeployParams testParams(String treasury) {
    return new DeployParams(
        LPC.multiply(BigInteger.valueOf(100)), // minStake
        86_400, // unbonding delay
        BigInteger.valueOf(1_000_000), // unit price: 1e6 wei per work unit
        500, // verifier fee 5%
        600, // commit window
        3_600, // challenge window
        2, // quorum
        5_000, // slash 50%
        2_000, // 20% of the slash to challengers
        treasury);
  }

  private static final SecureRandom RANDOM = new SecureRandom();

  final ChainUnderTest chain;
  final long chainId;
  final Credentials deployer;
  final String treasury;
  final DeployParams params;
  final ContractAddresses addresses;
  final LayerproofContracts admin;
  private Credentials sequencer;
  private long nextNonce = 1;

  private ContractFixture(ChainUnderTest chain, DeployParams params, Credentials deployer) {
    this.chain = chain;
    this.chainId = chain.chainId();
    this.deployer = deployer;
    this.treasury = params.treasury();
    this.params = params;
    this.addresses = LayerproofContracts.deploy(chain.web3j(), chainId, deployer, params);
    this.admin = LayerproofContracts.load(chain.web3j(), chainId, deployer, addresses);
  }

  static ContractFixture deploy(ChainUnderTest chain) {
    Credentials deployer = chain.newFundedAccount(ETH.multiply(BigInteger.valueOf(1000)));
    String treasury = Credentials.create(randomKeyHex()).getAddress();
    return new ContractFixture(chain, testParams(treasury), deployer);
  }

  // ------------------------------------------------------------------ accounts and tokens

  Credentials account() {
    return chain.newFundedAccount(ETH.multiply(BigInteger.TEN));
  }

  LayerproofContracts as(Credentials who) {
    return admin.as(who);
  }

  void mint(String to, BigInteger amount) {
    send(admin.token().mint(to, amount));
  }

  BigInteger balanceOf(String who) {
    return send(admin.token().balanceOf(who));
  }

  /** A registered node with {@code roles} and minStake bonded. */
  Credentials node(int roles) {
    return node(roles, params.minStake());
  }

  Credentials node(int roles, BigInteger stake) {
    Credentials c = account();
    mint(c.getAddress(), stake);
    LayerproofContracts n = as(c);
    send(n.token().approve(addresses.registry(), stake));
    send(n.registry().register(BigInteger.valueOf(roles), stake, h("capacity"), random32()));
    return c;
  }

  Credentials sequencer() {
    if (sequencer == null) {
      sequencer = node(SEQUENCER);
    }
    return sequencer;
  }

  /** A buyer that deposited {@code deposit} into escrow (and approved the market for more). */
  Credentials buyer(BigInteger deposit) {
    Credentials c = account();
    mint(c.getAddress(), deposit);
    LayerproofContracts b = as(c);
    send(b.token().approve(addresses.market(), MAX_UINT));
    if (deposit.signum() > 0) {
      send(b.market().deposit(deposit));
    }
    return c;
  }

  BigInteger free(String buyer) {
    return send(admin.market().freeBalanceOf(buyer));
  }

  BigInteger locked(String buyer) {
    return send(admin.market().escrowOf(buyer)).component2();
  }

  BigInteger escrowBalance(String buyer) {
    return send(admin.market().escrowOf(buyer)).component1();
  }

  // ------------------------------------------------------------------ jobs

  record Job(
      byte[] id,
      Credentials buyer,
      JobMarket.JobRequest request,
      List<Credentials> providers,
      Credentials verifier) {}

  JobMarket.JobRequest request(BigInteger maxPrice) {
    return new JobMarket.JobRequest(
        h("model"),
        h("messages-" + nextNonce),
        BigInteger.valueOf(256),
        maxPrice,
        BigInteger.valueOf(nextNonce++),
        now().add(BigInteger.valueOf(3_600)));
  }

  byte[] sign(JobMarket.JobRequest req, Credentials buyer) {
    return JobMarketEip712.signJobRequest(chainId, addresses.market(), req, buyer);
  }

  /** Contiguous shards of 8 layers each, one provider per shard. */
  static List<JobMarket.ShardAssignment> shards(List<Credentials> providers) {
    List<JobMarket.ShardAssignment> out = new ArrayList<>();
    for (int i = 0; i < providers.size(); i++) {
      out.add(
          new JobMarket.ShardAssignment(
              providers.get(i).getAddress(),
              BigInteger.valueOf(8L * i),
              BigInteger.valueOf(8L * (i + 1))));
    }
    return out;
  }

  Job openJob(Credentials buyer, BigInteger maxPrice, int shardCount) {
    List<Credentials> providers = new ArrayList<>();
    for (int i = 0; i < shardCount; i++) {
      providers.add(node(PROVIDER));
    }
    return openJob(buyer, maxPrice, providers, node(VERIFIER));
  }

  Job openJob(
      Credentials buyer, BigInteger maxPrice, List<Credentials> providers, Credentials verifier) {
    JobMarket.JobRequest req = request(maxPrice);
    send(
        as(sequencer())
            .market()
            .openJob(
                buyer.getAddress(),
                req,
                sign(req, buyer),
                shards(providers),
                verifier.getAddress()));
    return new Job(
        JobMarketEip712.jobRequestDigest(chainId, addresses.market(), req),
        buyer,
        req,
        providers,
        verifier);
  }

  /** A grant for a fresh random session, valid for {@code seconds} from the latest block. */
  JobMarket.SessionGrant grant(BigInteger spendingCap, long seconds) {
    return new JobMarket.SessionGrant(
        random32(), spendingCap, now().add(BigInteger.valueOf(seconds)), BigInteger.ONE);
  }

  byte[] sign(JobMarket.SessionGrant grant, Credentials buyer) {
    return JobMarketEip712.signSessionGrant(chainId, addresses.market(), grant, buyer);
  }

  /** Opens a job of {@code maxPrice} for {@code buyer} under {@code grant}, with fresh nodes. */
  Job openWithSession(
      Credentials buyer, JobMarket.SessionGrant grant, BigInteger maxPrice, int shardCount) {
    List<Credentials> providers = new ArrayList<>();
    for (int i = 0; i < shardCount; i++) {
      providers.add(node(PROVIDER));
    }
    return openWithSession(buyer, grant, maxPrice, providers, node(VERIFIER));
  }

  Job openWithSession(
      Credentials buyer,
      JobMarket.SessionGrant grant,
      BigInteger maxPrice,
      List<Credentials> providers,
      Credentials verifier) {
    JobMarket.JobRequest req = request(maxPrice);
    send(
        as(sequencer())
            .market()
            .openJobWithSession(
                buyer.getAddress(),
                grant,
                sign(grant, buyer),
                req,
                shards(providers),
                verifier.getAddress()));
    return new Job(
        JobMarketEip712.jobRequestDigest(chainId, addresses.market(), req),
        buyer,
        req,
        providers,
        verifier);
  }

  BigInteger spent(Credentials buyer, JobMarket.SessionGrant grant) {
    return send(admin.market().sessionSpent(buyer.getAddress(), grant.sessionId));
  }

  void commit(Job job, int shard, long workUnits) {
    send(
        as(job.providers().get(shard))
            .market()
            .postCommitment(
                job.id(),
                BigInteger.valueOf(shard),
                h("root-" + shard),
                BigInteger.valueOf(workUnits)));
  }

  /** Signatures of {@code verifiers} over a fraud verdict, sorted by signer address. */
  List<byte[]> verdicts(byte[] jobId, int shard, byte[] evidence, List<Credentials> verifiers) {
    List<byte[]> sigs = new ArrayList<>();
    for (Credentials v : sortedByAddress(verifiers)) {
      sigs.add(
          JobMarketEip712.signFraudVerdict(
              chainId, addresses.market(), jobId, BigInteger.valueOf(shard), evidence, v));
    }
    return sigs;
  }

  static List<Credentials> sortedByAddress(List<Credentials> creds) {
    List<Credentials> sorted = new ArrayList<>(creds);
    sorted.sort(Comparator.comparing(c -> Numeric.toBigInt(c.getAddress())));
    return sorted;
  }

  // ------------------------------------------------------------------ chain

  BigInteger now() {
    try {
      return chain
          .web3j()
          .ethGetBlockByNumber(DefaultBlockParameterName.LATEST, false)
          .send()
          .getBlock()
          .getTimestamp();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  void increaseTime(long seconds) {
    chain.increaseTime(seconds);
  }

  /** eth_call of a state-changing function to read its return value (e.g. slash's amount). */
  List<Type> staticCall(LayerproofContracts as, String to, Function f) {
    try {
      String result =
          as.transactionManager()
              .sendCall(to, FunctionEncoder.encode(f), DefaultBlockParameterName.LATEST);
      return FunctionReturnDecoder.decode(result, f.getOutputParameters());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  // ------------------------------------------------------------------ assertions and data

  /** Asserts that {@code action} reverts with the custom error {@code errorName}. */
  static ContractRevertException reverts(String errorName, Executable action) {
    ContractRevertException e = assertThrows(ContractRevertException.class, action);
    assertEquals(errorName, e.errorName(), () -> "unexpected revert: " + e.getMessage());
    return e;
  }

  static byte[] h(String s) {
    return Hash.sha3(s.getBytes(StandardCharsets.UTF_8));
  }

  static byte[] random32() {
    byte[] b = new byte[32];
    RANDOM.nextBytes(b);
    return b;
  }

  static String randomKeyHex() {
    return Numeric.toHexStringNoPrefixZeroPadded(new BigInteger(1, random32()), 64);
  }
}
