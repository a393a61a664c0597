package io.layerproof.node.verification;

import static io.layerproof.chain.contracts.LayerproofContracts.send;

import io.layerproof.chain.contracts.JobMarketEip712;
import io.layerproof.chain.contracts.LayerproofContracts;
import io.layerproof.chain.event.Bytes32;
import io.layerproof.chain.event.EthAddress;
import io.layerproof.chain.event.EventSigner;
import io.layerproof.chain.event.LedgerDomain;
import io.layerproof.chain.event.NodeKey;
import io.layerproof.chain.settlement.SettlementFixture;
import io.layerproof.contracts.generated.JobMarket;
import io.layerproof.inference.hook.ElementType;
import io.layerproof.inference.hook.LayerHook;
import io.layerproof.inference.model.DjlRuntime;
import io.layerproof.inference.model.LlamaModel;
import io.layerproof.inference.sampling.SamplingParams;
import io.layerproof.inference.sampling.TokenListener;
import io.layerproof.inference.shard.Pipeline;
import io.layerproof.inference.shard.Shard;
import io.layerproof.inference.shard.ShardOptions;
import io.layerproof.inference.synth.DefaultModel;
import io.layerproof.inference.synth.SynthProgress;
import io.layerproof.inference.synth.SynthSpec;
import io.layerproof.verifier.cheat.CheatSwitch;
import io.layerproof.verifier.commit.ActivationStore;
import io.layerproof.verifier.commit.CommitmentAccumulator;
import io.layerproof.verifier.commit.ShardCommitment;
import io.layerproof.verifier.reexec.CommittedShard;
import io.layerproof.verifier.reveal.RevealLimits;
import io.layerproof.verifier.reveal.StoreRevealServer;
import io.layerproof.verifier.verdict.VerdictSigner;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.Hash;
import org.web3j.protocol.core.methods.response.TransactionReceipt;

/**
 * One job's world on a fresh embedded chain: the contracts (through the chain's {@link
 * SettlementFixture}), a sequencer, two providers (layers 0-4 honest, 4-8 possibly cheating) with
 * their own activation stores and reveal servers, the job's verifier and three other verifiers
 * (each a registered node with its own wallet and Ed25519 node key), and a buyer with escrow. The
 * job itself runs on the devnet's synthetic model with the providers' commitment hooks.
 */
final class AuditFixture implements AutoCloseable {

  static final int[] BOUNDS = {0, 4, 8};
  static final String PROMPT = "Audit this job";
  static final int NEW_TOKENS = 4;
  static final BigInteger MAX_PRICE = BigInteger.TEN.pow(10);
  static final BigInteger DEPOSIT = SettlementFixture.LPC;

  /** FP32 frames between stages, FP16 committed activations: what providers store. */
  static final ShardOptions OPTIONS = new ShardOptions(ElementType.FP32, ElementType.FP16);

  /** Another model of the same shape: what a substituting provider runs. */
  static final SynthSpec SUBSTITUTE_SPEC =
      SynthSpec.of(8, 512, 8, 4, 512, DefaultModel.SPEC.seed() + 1);

  private static LlamaModel model;
  private static LlamaModel substitute;

  static synchronized LlamaModel model() {
    if (model == null) {
      DjlRuntime.setThreads(1);
      model = LlamaModel.open(ensure("default", DefaultModel.SPEC));
    }
    return model;
  }

  static synchronized LlamaModel substitute() {
    if (substitute == null) {
      substitute = LlamaModel.open(ensure("substitute", SUBSTITUTE_SPEC));
    }
    return substitute;
  }

  private static Path ensure(String name, SynthSpec spec) {
    return DefaultModel.ensure(
        Path.of("target", "test-models", name).toAbsolutePath(), spec, SynthProgress.NONE);
  }

  /** A registered node: its wallet and its Ed25519 node key (registered in ProviderRegistry). */
  record Party(Credentials wallet, NodeKey key) {
    EthAddress address() {
      return EthAddress.fromHex(wallet.getAddress());
    }

    String hex() {
      return wallet.getAddress();
    }
  }

  /** A job opened on chain: its id, the block that opened it. */
  record OpenedJob(Bytes32 id, long openedAt) {}

  final SettlementFixture f;
  final LedgerDomain domain;
  final Party sequencer;
  final Party honest;
  final Party cheater;
  final Party verifier;
  final List<Party> others = new ArrayList<>();
  final Credentials buyer;
  final ActivationStore honestStore;
  final ActivationStore cheaterStore;
  final InProcessReveals reveals = new InProcessReveals(RevealLimits.DEFAULT);

  AuditFixture(String tag, Path dir) {
    f = SettlementFixture.inMemory(tag);
    domain = LedgerDomain.of(f.chainId, f.addresses.market());
    sequencer = register("sequencer", SettlementFixture.SEQUENCER);
    honest = register("honest provider", SettlementFixture.PROVIDER);
    cheater = register("cheating provider", SettlementFixture.PROVIDER);
    verifier = register("job verifier", SettlementFixture.VERIFIER);
    for (int i = 1; i <= 3; i++) {
      others.add(register("verifier " + i, SettlementFixture.VERIFIER));
    }
    buyer = f.buyer("buyer", DEPOSIT);
    honestStore =
        ActivationStore.open(dir.resolve("honest"), Duration.ofHours(1), Clock.systemUTC());
    cheaterStore =
        ActivationStore.open(dir.resolve("cheater"), Duration.ofHours(1), Clock.systemUTC());
  }

  /** Registers a named node with the minimum stake, the given roles and a fresh node key. */
  private Party register(String name, int roles) {
    Credentials c = f.account(name);
    NodeKey key = NodeKey.generate();
    BigInteger stake = f.params.minStake();
    send(f.admin.token().mint(c.getAddress(), stake));
    LayerproofContracts n = f.admin.as(c);
    send(n.token().approve(f.addresses.registry(), stake));
    send(
        n.registry()
            .register(
                BigInteger.valueOf(roles),
                stake,
                Hash.sha3(("capacity " + name).getBytes(StandardCharsets.UTF_8)),
                key.id().toByteArray()));
    return new Party(c, key);
  }

  LayerproofContracts as(Party p) {
    return f.admin.as(p.wallet());
  }

  /** A verifier's signer: its node key for ledger events (sequence from 0), its wallet. */
  VerdictSigner signer(Party p) {
    return new VerdictSigner(new EventSigner(p.key(), domain, 0), p.wallet(), domain);
  }

  /** The buyer signs the request, the sequencer opens it: honest 0-4, cheater 4-8. */
  OpenedJob open() {
    JobMarket.JobRequest req =
        new JobMarket.JobRequest(
            Hash.sha3(DefaultModel.SPEC.toString().getBytes(StandardCharsets.UTF_8)),
            Hash.sha3(PROMPT.getBytes(StandardCharsets.UTF_8)),
            BigInteger.valueOf(NEW_TOKENS),
            MAX_PRICE,
            BigInteger.ONE,
            f.now().add(BigInteger.valueOf(3_600)));
    byte[] sig = JobMarketEip712.signJobRequest(f.chainId, f.addresses.market(), req, buyer);
    List<JobMarket.ShardAssignment> shards =
        List.of(
            new JobMarket.ShardAssignment(
                honest.hex(), BigInteger.valueOf(BOUNDS[0]), BigInteger.valueOf(BOUNDS[1])),
            new JobMarket.ShardAssignment(
                cheater.hex(), BigInteger.valueOf(BOUNDS[1]), BigInteger.valueOf(BOUNDS[2])));
    TransactionReceipt r =
        send(as(sequencer).market().openJob(buyer.getAddress(), req, sig, shards, verifier.hex()));
    byte[] id = JobMarket.getJobOpenedEvents(r).get(0).jobId;
    return new OpenedJob(Bytes32.of(id), r.getBlockNumber().longValueExact());
  }

  /**
   * Runs the job on the synthetic model, the second stage with {@code cheat}; each provider commits
   * with its accumulator, records into its own store and from then on answers reveals (the cheat's
   * wrapper decides whether it answers). Returns what the ledger would hold.
   */
  JobCommitments run(OpenedJob job, CheatSwitch cheat) {
    LlamaModel m = model();
    String id = job.id().toString();
    List<CheatSwitch> cheats = List.of(CheatSwitch.HONEST, cheat);
    List<ActivationStore> stores = List.of(honestStore, cheaterStore);
    List<Shard> shards = new ArrayList<>();
    List<CommitmentAccumulator> accumulators = new ArrayList<>();
    List<LayerHook> hooks = new ArrayList<>();
    try {
      for (int i = 0; i < 2; i++) {
        shards.add(cheats.get(i).loadShard(m, BOUNDS[i], BOUNDS[i + 1], OPTIONS));
        CommitmentAccumulator acc = new CommitmentAccumulator(id, BOUNDS[i], BOUNDS[i + 1]);
        accumulators.add(acc);
        hooks.add(LayerHook.both(acc, stores.get(i).recorder(id, BOUNDS[i])));
      }
      try (Pipeline p = Pipeline.of(shards)) {
        p.generate(
            id,
            m.tokenizer().encode(PROMPT, true),
            SamplingParams.greedy(NEW_TOKENS).withStopAtEos(false),
            null,
            TokenListener.NONE,
            hooks);
      }
    } finally {
      shards.forEach(Shard::close);
    }
    List<CommittedShard> committed = new ArrayList<>();
    List<Party> providers = List.of(honest, cheater);
    for (int i = 0; i < 2; i++) {
      ShardCommitment c = accumulators.get(i).finish();
      stores.get(i).seal(c);
      committed.add(CommittedShard.of(c));
      reveals.serve(
          providers.get(i).address(),
          cheats.get(i).wrap(new StoreRevealServer(stores.get(i), RevealLimits.DEFAULT)));
    }
    return new JobCommitments(job.id(), committed);
  }

  /** Work units a provider declares: layers x positions it committed. */
  static long workUnits(CommittedShard s) {
    return (long) (s.endLayer() - s.startLayer()) * s.positions();
  }

  /** Each provider posts its accumulator's root and its work units; the last one's block. */
  long postCommitments(OpenedJob job, JobCommitments c) {
    List<Party> providers = List.of(honest, cheater);
    long block = -1;
    for (int i = 0; i < 2; i++) {
      TransactionReceipt r =
          send(
              as(providers.get(i))
                  .market()
                  .postCommitment(
                      job.id().toByteArray(),
                      BigInteger.valueOf(i),
                      c.shard(i).root(),
                      BigInteger.valueOf(workUnits(c.shard(i)))));
      block = r.getBlockNumber().longValueExact();
    }
    return block;
  }

  /** Stake plus unbonding: what resolveFraud slashes a share of. */
  BigInteger bonded(Party p) {
    var bond = send(f.admin.registry().bondOf(p.hex()));
    return bond.component1().add(bond.component2());
  }

  /** Every registered node of the job's world. */
  List<Party> allNodes() {
    List<Party> all = new ArrayList<>(List.of(sequencer, honest, cheater, verifier));
    all.addAll(others);
    return all;
  }

  /** Their addresses: the accounts the settler claims for. */
  List<String> allAddresses() {
    return allNodes().stream().map(Party::hex).toList();
  }

  int status(OpenedJob job) {
    return send(f.admin.market().jobInfo(job.id().toByteArray())).status.intValueExact();
  }

  BigInteger tokens(Party p) {
    return f.balanceOf(p.hex());
  }

  @Override
  public void close() {
    honestStore.close();
    cheaterStore.close();
    f.close();
  }
}
