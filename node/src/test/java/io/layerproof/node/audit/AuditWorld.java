package io.layerproof.node.audit;

import static io.layerproof.chain.contracts.LayerproofContracts.send;

import io.layerproof.chain.contracts.JobMarketEip712;
import io.layerproof.chain.contracts.LayerproofContracts;
import io.layerproof.chain.event.Bytes32;
import io.layerproof.chain.event.EcdsaSignature;
import io.layerproof.chain.event.EnvelopeVerifier;
import io.layerproof.chain.event.EventSigner;
import io.layerproof.chain.event.FraudDetected;
import io.layerproof.chain.event.JobPosted;
import io.layerproof.chain.event.LayerCommitmentsGenerated;
import io.layerproof.chain.event.LedgerDomain;
import io.layerproof.chain.event.NodeKey;
import io.layerproof.chain.event.Sample;
import io.layerproof.chain.event.SampleVerdict;
import io.layerproof.chain.event.ShardAssignment;
import io.layerproof.chain.event.ShardsAssigned;
import io.layerproof.chain.event.SignedEvent;
import io.layerproof.chain.event.TestEvents;
import io.layerproof.chain.event.TokenStreamed;
import io.layerproof.chain.event.VerificationPassed;
import io.layerproof.chain.event.VerifiedEvent;
import io.layerproof.chain.ledger.BatchPolicy;
import io.layerproof.chain.ledger.EventLog;
import io.layerproof.chain.ledger.anchor.AnchorOutcome;
import io.layerproof.chain.ledger.anchor.BatchAnchorer;
import io.layerproof.chain.ledger.anchor.ContractAnchorChain;
import io.layerproof.chain.ledger.anchor.RetryPolicy;
import io.layerproof.chain.settlement.SettledJob;
import io.layerproof.chain.settlement.SettlementFixture;
import io.layerproof.chain.settlement.SettlementService;
import io.layerproof.chain.settlement.SettlementStore;
import io.layerproof.contracts.generated.JobMarket;
import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.core.methods.response.TransactionReceipt;

/**
 * One deployment on a fresh embedded chain with the nodes of a job (a gateway, a sequencer that may
 * anchor, two providers, the job's verifier and a second verifier for the fraud quorum), each
 * registered in ProviderRegistry with its Ed25519 node key, a buyer with escrow, and a settlement
 * service. {@link #run} plays a whole job on chain (open, commit, verdict or fraud, settle, claim)
 * and returns the ledger events its nodes signed, which the tests append to real RocksDB ledgers
 * and anchor in LedgerAnchor.
 */
final class AuditWorld implements AutoCloseable {

  static final int[] BOUNDS = {0, 4, 8};
  static final int TOKENS = 3;
  static final BigInteger MAX_PRICE = BigInteger.TEN.pow(12);
  static final BigInteger DEPOSIT = SettlementFixture.LPC;

  /** A registered node: wallet, node key, and the signer of its ledger events. */
  record Party(String name, Credentials wallet, NodeKey key, EventSigner signer) {
    String hex() {
      return wallet.getAddress().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /** What to play differently from an honest job. */
  record Scenario(
      boolean fraud,
      byte[] chainRootOfShard0,
      Credentials ledgerRequestSigner,
      boolean providersSwappedOnChain) {
    static Scenario honest() {
      return new Scenario(false, null, null, false);
    }

    Scenario withFraud() {
      return new Scenario(true, chainRootOfShard0, ledgerRequestSigner, providersSwappedOnChain);
    }

    Scenario withChainRootOfShard0(byte[] root) {
      return new Scenario(fraud, root, ledgerRequestSigner, providersSwappedOnChain);
    }

    Scenario withLedgerRequestSignedBy(Credentials signer) {
      return new Scenario(fraud, chainRootOfShard0, signer, providersSwappedOnChain);
    }

    Scenario withProvidersSwappedOnChain() {
      return new Scenario(fraud, chainRootOfShard0, ledgerRequestSigner, true);
    }
  }

  /**
   * A job played on chain and the ledger events its nodes signed, in order.
   *
   * @param settledTx the finalize or resolveFraud transaction
   * @param evidence the fraud evidence hash (fraud only)
   */
  record PlayedJob(
      Bytes32 id,
      List<SignedEvent> events,
      String openTx,
      String settledTx,
      List<String> commitTxs,
      byte[] ledgerRoot0,
      byte[] ledgerRoot1,
      Bytes32 evidence) {}

  final SettlementFixture f;
  final LedgerDomain domain;
  final EnvelopeVerifier verifier;
  final EventSigner gateway;
  final Party sequencer;
  final Party providerA;
  final Party providerB;
  final Party jobVerifier;
  final Party secondVerifier;
  final Credentials buyer;
  final SettlementStore store;
  final SettlementService settlement;
  private long nonce = 1;

  AuditWorld(String tag, Path dir) {
    f = SettlementFixture.inMemory(tag);
    domain = LedgerDomain.of(f.chainId, f.addresses.market());
    verifier = new EnvelopeVerifier(domain);
    gateway = new EventSigner(TestEvents.nodeKey(tag + "/gateway"), domain, 0);
    sequencer = register(tag, "sequencer", SettlementFixture.SEQUENCER);
    providerA = register(tag, "provider a", SettlementFixture.PROVIDER);
    providerB = register(tag, "provider b", SettlementFixture.PROVIDER);
    jobVerifier = register(tag, "verifier", SettlementFixture.VERIFIER);
    secondVerifier = register(tag, "second verifier", SettlementFixture.VERIFIER);
    buyer = f.buyer("buyer", DEPOSIT);
    store = SettlementStore.open(dir.resolve(tag + "-settlement"));
    settlement =
        f.service(
            store,
            List.of(
                providerA.hex(),
                providerB.hex(),
                jobVerifier.hex(),
                secondVerifier.hex(),
                sequencer.hex()));
  }

  private Party register(String tag, String name, int roles) {
    Credentials c = f.account(name);
    NodeKey key = TestEvents.nodeKey(tag + "/" + name);
    BigInteger stake = f.params.minStake();
    send(f.admin.token().mint(c.getAddress(), stake));
    LayerproofContracts n = f.admin.as(c);
    send(n.token().approve(f.addresses.registry(), stake));
    send(
        n.registry()
            .register(
                BigInteger.valueOf(roles),
                stake,
                SettlementFixture.h("capacity " + name),
                key.id().toByteArray()));
    return new Party(name, c, key, new EventSigner(key, domain, 0));
  }

  LayerproofContracts as(Party p) {
    return f.admin.as(p.wallet());
  }

  /** Read-only contract handles, as the auditor uses them. */
  LayerproofContracts reader() {
    return JobAuditor.readOnly(f.web3j, f.chainId, f.addresses);
  }

  /** A ledger in {@code dir} whose batches seal every {@code batchSize} events. */
  static EventLog ledger(Path dir, int batchSize) {
    return EventLog.open(dir, new BatchPolicy(batchSize, Duration.ofHours(1)));
  }

  /** Verifies and appends {@code events} in order. */
  void append(EventLog log, List<SignedEvent> events) {
    List<VerifiedEvent> verified = new ArrayList<>();
    for (SignedEvent e : events) {
      verified.add(verifier.verify(e.toWire()));
    }
    log.appendAll(verified)
        .forEach(
            r -> {
              if (!(r instanceof io.layerproof.chain.ledger.AppendResult.Appended)) {
                throw new IllegalStateException("not appended: " + r);
              }
            });
  }

  /** Seals the open batch and anchors every sealed batch through the sequencer. */
  List<AnchorOutcome> sealAndAnchor(EventLog log) {
    log.seal();
    return anchorer(log).anchorAll();
  }

  BatchAnchorer anchorer(EventLog log) {
    return new BatchAnchorer(log, new ContractAnchorChain(as(sequencer)), RetryPolicy.defaults());
  }

  /** Plays one job as {@code s} says and returns what its nodes signed for the ledger. */
  PlayedJob run(Scenario s) {
    long n = nonce++;
    // The buyer signs the request; the sequencer opens it with the shard placement.
    JobMarket.JobRequest req =
        new JobMarket.JobRequest(
            SettlementFixture.h("model: synthetic-llama-8l"),
            SettlementFixture.h("messages " + n),
            BigInteger.valueOf(16),
            MAX_PRICE,
            BigInteger.valueOf(n),
            f.now().add(BigInteger.valueOf(3_600)));
    byte[] sig = JobMarketEip712.signJobRequest(f.chainId, f.addresses.market(), req, buyer);
    List<Party> chainProviders =
        s.providersSwappedOnChain() ? List.of(providerB, providerA) : List.of(providerA, providerB);
    List<JobMarket.ShardAssignment> shards = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      shards.add(
          new JobMarket.ShardAssignment(
              chainProviders.get(i).wallet().getAddress(),
              BigInteger.valueOf(BOUNDS[i]),
              BigInteger.valueOf(BOUNDS[i + 1])));
    }
    TransactionReceipt opened =
        send(
            as(sequencer)
                .market()
                .openJob(buyer.getAddress(), req, sig, shards, jobVerifier.wallet().getAddress()));
    Bytes32 id = Bytes32.of(JobMarket.getJobOpenedEvents(opened).get(0).jobId);

    List<SignedEvent> events = new ArrayList<>();
    Credentials requestSigner = s.ledgerRequestSigner() == null ? buyer : s.ledgerRequestSigner();
    JobPosted posted =
        new JobPosted(
            id,
            TestEvents.address(requestSigner),
            Bytes32.of(req.model),
            Bytes32.of(req.messagesHash),
            req.maxTokens,
            req.maxPrice,
            req.nonce,
            req.expiry);
    events.add(
        gateway.sign(
            posted,
            EcdsaSignature.of(JobMarketEip712.sign(posted.buyerDigest(domain), requestSigner))));
    events.add(
        sequencer
            .signer()
            .sign(
                new ShardsAssigned(
                    id,
                    List.of(
                        new ShardAssignment(0, providerA.key().id(), BOUNDS[0], BOUNDS[1]),
                        new ShardAssignment(1, providerB.key().id(), BOUNDS[1], BOUNDS[2])),
                    jobVerifier.key().id())));
    for (int t = 0; t < TOKENS; t++) {
      events.add(providerB.signer().sign(new TokenStreamed(id, t, 300 + t)));
    }

    // Each provider commits on the ledger and posts its root on chain.
    byte[] root0 = SettlementFixture.h("activations " + id + " shard 0");
    byte[] root1 = SettlementFixture.h("activations " + id + " shard 1");
    Bytes32 in = Bytes32.of(SettlementFixture.h("input frames " + id));
    Bytes32 mid = Bytes32.of(SettlementFixture.h("boundary " + id));
    Bytes32 out = Bytes32.of(SettlementFixture.h("output frames " + id));
    events.add(
        providerA
            .signer()
            .sign(
                new LayerCommitmentsGenerated(
                    id, 0, BOUNDS[0], BOUNDS[1], TOKENS, Bytes32.of(root0), in, mid)));
    events.add(
        providerB
            .signer()
            .sign(
                new LayerCommitmentsGenerated(
                    id, 1, BOUNDS[1], BOUNDS[2], TOKENS, Bytes32.of(root1), mid, out)));
    List<String> commitTxs = new ArrayList<>();
    byte[][] chainRoots = {s.chainRootOfShard0() == null ? root0 : s.chainRootOfShard0(), root1};
    for (int i = 0; i < 2; i++) {
      TransactionReceipt r =
          send(
              as(chainProviders.get(i))
                  .market()
                  .postCommitment(
                      id.toByteArray(),
                      BigInteger.valueOf(i),
                      chainRoots[i],
                      BigInteger.valueOf(workUnits(i))));
      commitTxs.add(r.getTransactionHash());
    }

    // The job's verifier checks both shards; with fraud, shard 1 is convicted on chain.
    events.add(
        jobVerifier
            .signer()
            .sign(new VerificationPassed(id, 0, List.of(new Sample(0, 1), new Sample(2, 3)))));
    Bytes32 evidence = null;
    String settledTx = null;
    if (s.fraud()) {
      evidence = Bytes32.of(SettlementFixture.h("evidence " + id));
      events.add(
          jobVerifier
              .signer()
              .sign(
                  new FraudDetected(
                      id,
                      1,
                      providerB.key().id(),
                      List.of(
                          new SampleVerdict(new Sample(1, 5), false, 480_000),
                          new SampleVerdict(new Sample(2, 6), false, 910_000),
                          new SampleVerdict(new Sample(0, 7), true, 300)),
                      evidence)));
      TransactionReceipt r =
          f.proveFraud(
              new SettlementFixture.Job(
                  id.toByteArray(),
                  buyer,
                  MAX_PRICE,
                  List.of(providerA.wallet(), providerB.wallet()),
                  jobVerifier.wallet()),
              1,
              evidence.toByteArray(),
              List.of(jobVerifier.wallet(), secondVerifier.wallet()),
              jobVerifier.wallet());
      settledTx = r.getTransactionHash();
    } else {
      events.add(
          jobVerifier
              .signer()
              .sign(new VerificationPassed(id, 1, List.of(new Sample(1, 5), new Sample(2, 7)))));
    }

    // After the challenge window the settlement service finalizes (or accounts the fraud), posts
    // the epoch root and claims for the nodes; the sequencer logs the settlement.
    f.increaseTime(3_601);
    SettlementService.RunReport report = settlement.runOnce();
    if (!s.fraud()) {
      settledTx =
          report.settledJobs().stream()
              .filter(j -> Bytes32.fromHex(j.jobId()).equals(id))
              .findFirst()
              .orElseThrow()
              .settlement()
              .txHash();
    }
    for (SettledJob owed : settlement.pendingLedgerEvents()) {
      if (Bytes32.fromHex(owed.jobId()).equals(id)) {
        events.add(sequencer.signer().sign(owed.ledgerEvent()));
        settlement.acknowledgeLedgerEvent(owed.seq());
      }
    }
    return new PlayedJob(
        id, events, opened.getTransactionHash(), settledTx, commitTxs, root0, root1, evidence);
  }

  /** Work units a provider declares: layers x tokens. */
  static long workUnits(int shard) {
    return (long) (BOUNDS[shard + 1] - BOUNDS[shard]) * TOKENS;
  }

  @Override
  public void close() {
    store.close();
    f.close();
  }
}
