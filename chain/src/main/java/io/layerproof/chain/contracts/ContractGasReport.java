package io.layerproof.chain.contracts;

import static io.layerproof.chain.contracts.LayerproofContracts.send;

import io.layerproof.contracts.generated.JobMarket;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongConsumer;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.Hash;
import org.web3j.crypto.Keys;
import org.web3j.crypto.Sign;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.utils.Numeric;

/**
 * Runs one realistic pass over every money-moving operation on a fresh deployment and records the
 * gas each used (receipt gasUsed, including the 21k base), for docs/benchmarks.md. Works on any
 * chain where {@code funder} holds native currency and time can be moved ({@code advanceTime} mines
 * a later block, e.g. evm_increaseTime + evm_mine on anvil and the devnet).
 */
public final class ContractGasReport {

  private static final BigInteger LPC = BigInteger.TEN.pow(18);
  private static final BigInteger GAS_MONEY = BigInteger.TEN.pow(17);

  private ContractGasReport() {}

  /** Operation name to gas used, in execution order. */
  public static Map<String, BigInteger> measure(
      Web3j web3j, long chainId, Credentials funder, LongConsumer advanceTime) {
    Map<String, BigInteger> gas = new LinkedHashMap<>();
    DeployParams params = DeployParams.defaults(funder.getAddress()).withQuorum(2);
    ContractAddresses addresses = LayerproofContracts.deploy(web3j, chainId, funder, params);
    LayerproofContracts admin = LayerproofContracts.load(web3j, chainId, funder, addresses);

    Credentials buyer = fresh(admin);
    Credentials p1 = fresh(admin);
    Credentials p2 = fresh(admin);
    Credentials v1 = fresh(admin);
    Credentials v2 = fresh(admin);
    Credentials seq = fresh(admin);

    BigInteger stake = params.minStake().multiply(BigInteger.TWO);
    record(
        gas, "ComputeToken.mint", send(admin.token().mint(buyer.getAddress(), LPC.shiftLeft(10))));
    register(admin, p1, 1, stake, gas);
    register(admin, p2, 1, stake, null);
    register(admin, v1, 2, stake, null);
    register(admin, v2, 2, stake, null);
    register(admin, seq, 4, stake, null);

    LayerproofContracts b = admin.as(buyer);
    send(b.token().approve(addresses.market(), LPC.shiftLeft(9)));
    record(
        gas, "JobMarket.deposit", send(b.market().deposit(LPC.multiply(BigInteger.valueOf(100)))));
    BigInteger permitValue = LPC.multiply(BigInteger.valueOf(50));
    BigInteger deadline = now(web3j).add(BigInteger.valueOf(3600));
    Sign.SignatureData permit =
        TokenPermit.sign(
            chainId,
            addresses.token(),
            buyer,
            addresses.market(),
            permitValue,
            send(b.token().nonces(buyer.getAddress())),
            deadline);
    record(
        gas,
        "JobMarket.depositWithPermit",
        send(
            b.market()
                .depositWithPermit(
                    permitValue,
                    deadline,
                    BigInteger.valueOf(permit.getV()[0] & 0xff),
                    permit.getR(),
                    permit.getS())));

    // A 2-shard job that settles normally.
    LayerproofContracts sequencer = admin.as(seq);
    byte[] job1 = openJob(sequencer, buyer, p1, p2, v1, 1, gas);
    record(
        gas,
        "JobMarket.postCommitment",
        send(
            admin.as(p1).market().postCommitment(job1, BigInteger.ZERO, h("root-a"), units(4800))));
    send(admin.as(p2).market().postCommitment(job1, BigInteger.ONE, h("root-b"), units(4800)));

    record(
        gas,
        "LedgerAnchor.anchor (first by this sequencer, fills its cache)",
        send(
            sequencer
                .anchor()
                .anchor(BigInteger.ZERO, h("batch-0"), BigInteger.valueOf(1000), new byte[32])));
    record(
        gas,
        "LedgerAnchor.anchor",
        send(
            sequencer
                .anchor()
                .anchor(BigInteger.ONE, h("batch-1"), BigInteger.valueOf(1000), h("batch-0"))));

    advanceTime.accept(params.challengeWindowSeconds() + 1);
    record(gas, "JobMarket.finalize (2 providers + verifier)", send(admin.market().finalize(job1)));

    // Epoch roots: the first pays half of p1's earnings, the second the rest.
    BigInteger cost = params.unitPrice().multiply(BigInteger.valueOf(9600));
    BigInteger fee =
        cost.multiply(BigInteger.valueOf(params.verifierFeeBps()))
            .divide(BigInteger.valueOf(10_000));
    BigInteger each = cost.subtract(fee).divide(BigInteger.TWO);
    RewardTree epoch1 =
        RewardTree.of(
            Map.of(
                p1.getAddress(),
                each.divide(BigInteger.TWO),
                p2.getAddress(),
                each,
                v1.getAddress(),
                fee));
    record(
        gas,
        "RewardDistributor.postRoot",
        send(admin.distributor().postRoot(BigInteger.ONE, epoch1.root(), epoch1.total())));
    record(gas, "RewardDistributor.claim (first claim, empty recipient)", claim(admin, epoch1, p1));
    RewardTree epoch2 =
        RewardTree.of(Map.of(p1.getAddress(), each, p2.getAddress(), each, v1.getAddress(), fee));
    send(admin.distributor().postRoot(BigInteger.TWO, epoch2.root(), epoch2.total()));
    record(gas, "RewardDistributor.claim (repeat claim)", claim(admin, epoch2, p1));

    // A job whose first shard is proven fraudulent by two verifiers.
    byte[] job2 = openJob(sequencer, buyer, p1, p2, v1, 2, null);
    send(admin.as(p1).market().postCommitment(job2, BigInteger.ZERO, h("bad-root"), units(4800)));
    byte[] evidence = h("evidence");
    List<Credentials> signers = new ArrayList<>(List.of(v1, v2));
    signers.sort(Comparator.comparing(c -> Numeric.toBigInt(c.getAddress())));
    List<byte[]> sigs = new ArrayList<>();
    for (Credentials s : signers) {
      sigs.add(
          JobMarketEip712.signFraudVerdict(
              chainId, addresses.market(), job2, BigInteger.ZERO, evidence, s));
    }
    record(
        gas,
        "JobMarket.resolveFraud (quorum 2, slash + rewards)",
        send(admin.market().resolveFraud(job2, BigInteger.ZERO, evidence, sigs)));

    // Two jobs of the same shape opened under a session grant instead of signed requests, left
    // open (after the jobs above settle, so their escrow updates are measured as before).
    JobMarket.SessionGrant grant =
        new JobMarket.SessionGrant(
            h("bench-session"),
            LPC.multiply(BigInteger.valueOf(50)),
            now(web3j).add(BigInteger.valueOf(3600)),
            BigInteger.ONE);
    byte[] grantSig = JobMarketEip712.signSessionGrant(chainId, addresses.market(), grant, buyer);
    record(
        gas,
        "JobMarket.openJobWithSession (2 shards, first job of the session)",
        send(
            sequencer
                .market()
                .openJobWithSession(
                    buyer.getAddress(),
                    grant,
                    grantSig,
                    request(sequencer, 3),
                    shards(p1, p2),
                    v1.getAddress())));
    record(
        gas,
        "JobMarket.openJobWithSession (2 shards)",
        send(
            sequencer
                .market()
                .openJobWithSession(
                    buyer.getAddress(),
                    grant,
                    grantSig,
                    request(sequencer, 4),
                    shards(p1, p2),
                    v1.getAddress())));
    record(
        gas,
        "JobMarket.revokeSessionWithSig",
        send(
            sequencer
                .market()
                .revokeSessionWithSig(
                    buyer.getAddress(),
                    grant.sessionId,
                    BigInteger.ONE,
                    JobMarketEip712.signRevokeSession(
                        chainId, addresses.market(), grant.sessionId, BigInteger.ONE, buyer))));
    record(gas, "JobMarket.withdraw", send(b.market().withdraw(LPC)));
    LayerproofContracts node = admin.as(p2);
    record(gas, "ProviderRegistry.requestUnbond", send(node.registry().requestUnbond(LPC)));
    advanceTime.accept(params.unbondingDelaySeconds() + 1);
    record(gas, "ProviderRegistry.withdraw", send(node.registry().withdraw()));
    return gas;
  }

  private static byte[] openJob(
      LayerproofContracts sequencer,
      Credentials buyer,
      Credentials p1,
      Credentials p2,
      Credentials verifier,
      long nonce,
      Map<String, BigInteger> gas) {
    String market = sequencer.addresses().market();
    JobMarket.JobRequest req = request(sequencer, nonce);
    byte[] sig = JobMarketEip712.signJobRequest(sequencer.chainId(), market, req, buyer);
    TransactionReceipt r =
        send(
            sequencer
                .market()
                .openJob(buyer.getAddress(), req, sig, shards(p1, p2), verifier.getAddress()));
    if (gas != null) {
      record(gas, "JobMarket.openJob (2 shards)", r);
    }
    return JobMarketEip712.jobRequestDigest(sequencer.chainId(), market, req);
  }

  private static JobMarket.JobRequest request(LayerproofContracts sequencer, long nonce) {
    return new JobMarket.JobRequest(
        h("bench-model"),
        h("messages-" + nonce),
        BigInteger.valueOf(300),
        LPC.multiply(BigInteger.TEN),
        BigInteger.valueOf(nonce),
        now(sequencer.web3j()).add(BigInteger.valueOf(3600)));
  }

  private static List<JobMarket.ShardAssignment> shards(Credentials p1, Credentials p2) {
    return List.of(
        new JobMarket.ShardAssignment(p1.getAddress(), BigInteger.ZERO, BigInteger.valueOf(16)),
        new JobMarket.ShardAssignment(
            p2.getAddress(), BigInteger.valueOf(16), BigInteger.valueOf(32)));
  }

  private static TransactionReceipt claim(
      LayerproofContracts admin, RewardTree tree, Credentials who) {
    return send(
        admin
            .distributor()
            .claim(
                who.getAddress(),
                tree.cumulativeOf(who.getAddress()),
                tree.proof(who.getAddress())));
  }

  private static void register(
      LayerproofContracts admin,
      Credentials node,
      int roles,
      BigInteger stake,
      Map<String, BigInteger> gas) {
    send(admin.token().mint(node.getAddress(), stake));
    LayerproofContracts n = admin.as(node);
    send(n.token().approve(admin.addresses().registry(), stake));
    TransactionReceipt r =
        send(
            n.registry()
                .register(
                    BigInteger.valueOf(roles),
                    stake,
                    h("capacity"),
                    // Stands in for the node's Ed25519 public key; unique per node.
                    h("node-key-" + node.getAddress())));
    if (gas != null) {
      record(gas, "ProviderRegistry.register", r);
    }
  }

  private static Credentials fresh(LayerproofContracts funder) {
    try {
      Credentials c = Credentials.create(Keys.createEcKeyPair());
      funder.sendNative(c.getAddress(), GAS_MONEY);
      return c;
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException("cannot create a key", e);
    }
  }

  private static BigInteger now(Web3j web3j) {
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

  private static BigInteger units(long n) {
    return BigInteger.valueOf(n);
  }

  private static byte[] h(String s) {
    return Hash.sha3(s.getBytes(StandardCharsets.UTF_8));
  }

  private static void record(Map<String, BigInteger> gas, String op, TransactionReceipt r) {
    gas.put(op, r.getGasUsed());
  }
}
