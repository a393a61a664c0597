package io.layerproof.node.audit;

import static io.layerproof.chain.contracts.LayerproofContracts.send;

import io.layerproof.chain.contracts.ContractAddresses;
import io.layerproof.chain.contracts.JobMarketEip712;
import io.layerproof.chain.contracts.LayerproofContracts;
import io.layerproof.chain.event.Bytes32;
import io.layerproof.chain.event.EcdsaSignature;
import io.layerproof.chain.event.EnvelopeVerifier;
import io.layerproof.chain.event.EthAddress;
import io.layerproof.chain.event.EventRejectedException;
import io.layerproof.chain.event.FraudDetected;
import io.layerproof.chain.event.JobPosted;
import io.layerproof.chain.event.JobSettled;
import io.layerproof.chain.event.LayerCommitmentsGenerated;
import io.layerproof.chain.event.LedgerDomain;
import io.layerproof.chain.event.LedgerEvent;
import io.layerproof.chain.event.NodeId;
import io.layerproof.chain.event.Payout;
import io.layerproof.chain.event.SampleVerdict;
import io.layerproof.chain.event.SessionGrantRef;
import io.layerproof.chain.event.ShardAssignment;
import io.layerproof.chain.event.ShardsAssigned;
import io.layerproof.chain.event.VerificationPassed;
import io.layerproof.chain.event.VerifiedEvent;
import io.layerproof.chain.ledger.AnchorStatus;
import io.layerproof.chain.ledger.BatchRecord;
import io.layerproof.chain.ledger.EventLog;
import io.layerproof.chain.ledger.InclusionProof;
import io.layerproof.chain.ledger.IndexedEvent;
import io.layerproof.contracts.generated.JobMarket;
import io.layerproof.contracts.generated.LedgerAnchor;
import io.layerproof.contracts.generated.RewardDistributor;
import io.layerproof.node.audit.AuditReport.Assignment;
import io.layerproof.node.audit.AuditReport.Batch;
import io.layerproof.node.audit.AuditReport.Check;
import io.layerproof.node.audit.AuditReport.Claim;
import io.layerproof.node.audit.AuditReport.Commitment;
import io.layerproof.node.audit.AuditReport.Deployment;
import io.layerproof.node.audit.AuditReport.Event;
import io.layerproof.node.audit.AuditReport.LedgerPayout;
import io.layerproof.node.audit.AuditReport.LedgerSettlement;
import io.layerproof.node.audit.AuditReport.Movement;
import io.layerproof.node.audit.AuditReport.Payments;
import io.layerproof.node.audit.AuditReport.Request;
import io.layerproof.node.audit.AuditReport.Sample;
import io.layerproof.node.audit.AuditReport.Shard;
import io.layerproof.node.audit.AuditReport.Status;
import io.layerproof.node.audit.AuditReport.Tx;
import io.layerproof.node.audit.AuditReport.Verification;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.security.SignatureException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.web3j.abi.EventEncoder;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameter;
import org.web3j.protocol.core.methods.request.EthFilter;
import org.web3j.protocol.core.methods.response.EthLog;
import org.web3j.protocol.core.methods.response.Log;
import org.web3j.utils.Numeric;

/**
 * Audits one job: reads every ledger event of the job from the {@link EventLog} and everything
 * JobMarket, LedgerAnchor and RewardDistributor hold about it, and compares them.
 *
 * <ul>
 *   <li><b>Request.</b> The JobPosted fields hash (EIP-712 JobRequest, this deployment's domain) to
 *       the job id; the buyer signature its envelope carries recovers to the event's buyer, and
 *       that signer is the buyer JobMarket holds.
 *   <li><b>Assignment.</b> ShardsAssigned against {@code JobMarket.shardInfo}: layers, and the
 *       providers and verifier linked through the node key each account registered in
 *       ProviderRegistry.
 *   <li><b>Commitments.</b> LayerCommitmentsGenerated (signed by the shard's provider) against the
 *       root posted with {@code postCommitment}; consecutive stages' boundary hashes chain.
 *   <li><b>Events.</b> Every envelope re-verifies (author and buyer signatures, domain); every
 *       event in an anchored batch has an inclusion proof that verifies in Java and in {@code
 *       LedgerAnchor.verifyInclusion} against the anchored root, and the batch's root on chain is
 *       the ledger's. An event not anchored yet is a warning, not a failure.
 *   <li><b>Verification.</b> The job verifier's VerificationPassed / FraudDetected per shard, and
 *       fraud on the ledger against FraudProven on chain. Proven fraud fails the audit: the job was
 *       not computed as paid for.
 *   <li><b>Payments.</b> JobFinalized / Payout / FraudProven with their transactions, the
 *       contract's sums, the ledger's JobSettled against them, and the RewardDistributor claims of
 *       the accounts paid.
 * </ul>
 *
 * <p>Reads only: nothing is signed or sent. Each audit keeps its own state.
 */
public final class JobAuditor {

  /** JobMarket.JobStatus, by ordinal. */
  static final List<String> JOB_STATUS = List.of("NONE", "OPEN", "FINALIZED", "FRAUD");

  /** JobMarket.PayoutKind, by ordinal. */
  static final List<String> PAYOUT_KINDS = List.of("PROVIDER", "VERIFIER", "CHALLENGER");

  private static final int NONE = 0;
  private static final int OPEN = 1;
  private static final int FINALIZED = 2;
  private static final int FRAUD = 3;

  private static final String JOB_OPENED = EventEncoder.encode(JobMarket.JOBOPENED_EVENT);
  private static final String COMMITMENT_POSTED =
      EventEncoder.encode(JobMarket.COMMITMENTPOSTED_EVENT);
  private static final String JOB_FINALIZED = EventEncoder.encode(JobMarket.JOBFINALIZED_EVENT);
  private static final String PAYOUT = EventEncoder.encode(JobMarket.PAYOUT_EVENT);
  private static final String FRAUD_PROVEN = EventEncoder.encode(JobMarket.FRAUDPROVEN_EVENT);
  private static final String SESSION_CHARGED = EventEncoder.encode(JobMarket.SESSIONCHARGED_EVENT);
  private static final String CLAIMED = EventEncoder.encode(RewardDistributor.CLAIMED_EVENT);
  private static final String BATCH_ANCHORED =
      EventEncoder.encode(LedgerAnchor.BATCHANCHORED_EVENT);

  /** Blocks per eth_getLogs query unless told otherwise. */
  public static final long DEFAULT_LOG_BLOCK_CHUNK = 10_000;

  /** Never signs anything: contract handles need credentials, reads only need an address. */
  private static final Credentials READER =
      Credentials.create("0x0000000000000000000000000000000000000000000000000000000000000001");

  private final EventLog ledger;
  private final LayerproofContracts chain;
  private final LedgerDomain domain;
  private final EnvelopeVerifier envelopes;
  private final long fromBlock;
  private final long logBlockChunk;

  /** Reads logs from block 0 in ranges of {@link #DEFAULT_LOG_BLOCK_CHUNK} blocks. */
  public JobAuditor(EventLog ledger, LayerproofContracts chain) {
    this(ledger, chain, 0, DEFAULT_LOG_BLOCK_CHUNK);
  }

  /**
   * @param ledger the event ledger to audit
   * @param chain the deployment the ledger belongs to (only read)
   * @param fromBlock the first block whose logs are read (e.g. the deployment's)
   * @param logBlockChunk blocks per eth_getLogs query (nodes cap the range; the devnet at 100,000)
   */
  public JobAuditor(
      EventLog ledger, LayerproofContracts chain, long fromBlock, long logBlockChunk) {
    this.ledger = Objects.requireNonNull(ledger, "ledger");
    this.chain = Objects.requireNonNull(chain, "chain");
    this.domain = LedgerDomain.of(chain.chainId(), chain.addresses().market());
    this.envelopes = new EnvelopeVerifier(domain);
    if (fromBlock < 0 || logBlockChunk <= 0) {
      throw new IllegalArgumentException("need fromBlock >= 0 and logBlockChunk > 0");
    }
    this.fromBlock = fromBlock;
    this.logBlockChunk = logBlockChunk;
  }

  /** Contract handles for reading {@code addresses} on {@code web3j}; they never send. */
  public static LayerproofContracts readOnly(
      Web3j web3j, long chainId, ContractAddresses addresses) {
    return LayerproofContracts.load(web3j, chainId, READER, addresses);
  }

  /**
   * Audits {@code jobId}.
   *
   * @throws UnknownJobException if neither the ledger nor JobMarket knows the job
   * @throws UncheckedIOException if the chain cannot be read
   */
  public AuditReport audit(Bytes32 jobId) {
    return new Run(jobId).run();
  }

  // ------------------------------------------------------------------ one audit

  private final class Run {
    private final Bytes32 jobId;
    private final byte[] id;
    private final List<Check> checks = new ArrayList<>();

    private List<IndexedEvent> events;
    private JobMarket.Job job;
    private int status;
    private final List<Log> marketLogs = new ArrayList<>();
    private final Map<Long, String> envelopeProblems = new HashMap<>();
    private final Map<String, NodeId> nodeKeys = new HashMap<>();

    private ShardsAssigned assignment;
    private final Map<Integer, JobMarket.Shard> chainShards = new TreeMap<>();

    Run(Bytes32 jobId) {
      this.jobId = Objects.requireNonNull(jobId, "jobId");
      this.id = jobId.toByteArray();
    }

    AuditReport run() {
      events = new ArrayList<>();
      for (long i : ledger.indicesOfJob(jobId)) {
        events.add(
            ledger
                .get(i)
                .orElseThrow(() -> new IllegalStateException("ledger index " + i + " vanished")));
      }
      job = send(chain.market().jobInfo(id));
      status = job.status.intValueExact();
      if (events.isEmpty() && status == NONE) {
        throw new UnknownJobException(jobId);
      }
      if (status != NONE) {
        marketLogs.addAll(
            logs(chain.addresses().market(), 0, null, Numeric.toHexString(id), null, null));
      }

      overview();
      checkEnvelopes();
      Request request = checkRequest();
      Assignment assignment = checkAssignment();
      List<Commitment> commitments = checkCommitments();
      List<Batch> batches = new ArrayList<>();
      List<Event> eventRows = checkInclusion(batches);
      List<Verification> verification = checkVerification();
      Payments payments = checkPayments();

      List<String> failures = new ArrayList<>();
      List<String> warnings = new ArrayList<>();
      for (Check c : checks) {
        if (c.status() == Status.FAIL) {
          failures.add(c.name() + ": " + c.detail());
        } else if (c.status() == Status.WARN) {
          warnings.add(c.name() + ": " + c.detail());
        }
      }
      ContractAddresses a = chain.addresses();
      return new AuditReport(
          jobId.toString(),
          failures.isEmpty(),
          failures,
          warnings,
          new Deployment(
              chain.chainId(), lower(a.market()), lower(a.anchor()), lower(a.distributor())),
          JOB_STATUS.get(status),
          request,
          assignment,
          commitments,
          eventRows,
          batches,
          verification,
          payments,
          checks);
    }

    // ---------------------------------------------------------------- overview and envelopes

    private void overview() {
      if (events.isEmpty()) {
        fail("ledger.events", "the ledger holds no event of this job");
      } else {
        pass(
            "ledger.events",
            events.size()
                + " events, indices "
                + events.get(0).index()
                + ".."
                + events.get(events.size() - 1).index());
      }
      if (status == NONE) {
        fail("chain.job", "JobMarket has no job with this id");
      } else {
        pass("chain.job", "JobMarket holds the job, status " + JOB_STATUS.get(status));
      }
    }

    private void checkEnvelopes() {
      for (IndexedEvent e : events) {
        String problem;
        try {
          VerifiedEvent v = envelopes.verify(e.envelope().toWire());
          problem =
              v.envelopeHash().equals(e.envelopeHash())
                  ? null
                  : "its envelope hashes to "
                      + v.envelopeHash()
                      + ", the ledger chains "
                      + e.envelopeHash();
        } catch (EventRejectedException rejected) {
          problem = rejected.getMessage();
        }
        if (problem != null) {
          envelopeProblems.put(e.index(), problem);
          fail("envelope." + e.index(), e.event().type() + ": " + problem);
        }
      }
      if (!events.isEmpty() && envelopeProblems.isEmpty()) {
        pass(
            "envelopes",
            events.size()
                + " envelopes re-verify: author signatures, buyer signature, chain "
                + domain.chainId()
                + " and JobMarket "
                + domain.contract());
      }
    }

    // ---------------------------------------------------------------- the request

    private Request checkRequest() {
      List<IndexedEvent> posts = ofType(JobPosted.class);
      Log opened = firstLog(JOB_OPENED).orElse(null);
      JobMarket.JobOpenedEventResponse openedEvent =
          opened == null ? null : JobMarket.getJobOpenedEventFromLog(opened);
      String chainBuyer = status == NONE ? null : lower(job.buyer);
      if (posts.isEmpty()) {
        fail("request", "the ledger has no JobPosted for this job");
        return null;
      }
      if (posts.size() > 1) {
        warn(
            "request.duplicates",
            (posts.size() - 1) + " later JobPosted events for this job are ignored by the ledger");
      }
      IndexedEvent pe = posts.get(0);
      JobPosted p = (JobPosted) pe.event();
      byte[] digest = p.requestDigest(domain);
      boolean digestIsJobId = Arrays.equals(digest, id);
      if (digestIsJobId) {
        pass(
            "request.digest",
            "the job id is the EIP-712 JobRequest digest of the JobPosted fields (chain "
                + domain.chainId()
                + ", JobMarket "
                + domain.contract()
                + ")");
      } else {
        fail(
            "request.digest",
            "the JobPosted fields hash to "
                + Numeric.toHexString(digest)
                + " under chain "
                + domain.chainId()
                + " / JobMarket "
                + domain.contract()
                + ", not to the job id");
      }

      EthAddress signer = null;
      EcdsaSignature sig = pe.envelope().body().buyerSig();
      if (sig == null) {
        fail("request.signer", "the JobPosted carries no buyer signature");
      } else {
        try {
          signer =
              EthAddress.fromHex(JobMarketEip712.recover(p.buyerDigest(domain), sig.toByteArray()));
        } catch (SignatureException | RuntimeException e) {
          fail("request.signer", "the buyer signature does not recover: " + e.getMessage());
        }
      }
      if (p.session() != null) {
        checkSession(p.session());
      }
      if (signer != null) {
        String what = p.session() == null ? "the request" : "the session grant";
        if (signer.equals(p.buyer())) {
          pass(
              "request.signer",
              "the buyer signature over " + what + " recovers to " + signer + ", the buyer named");
        } else {
          fail(
              "request.signer",
              "the buyer signature recovers to "
                  + signer
                  + ", the JobPosted names buyer "
                  + p.buyer());
        }
        if (chainBuyer != null) {
          if (signer.toString().equals(chainBuyer)) {
            pass("request.buyer", "the request's signer " + signer + " is JobMarket's buyer");
          } else {
            fail(
                "request.buyer",
                "the request on the ledger was signed by "
                    + signer
                    + ", JobMarket's buyer of the job is "
                    + chainBuyer);
          }
        }
      }
      return new Request(
          pe.index(),
          Numeric.toHexString(digest),
          digestIsJobId,
          signer == null ? null : signer.toString(),
          p.buyer().toString(),
          chainBuyer,
          p.model().toString(),
          p.messagesHash().toString(),
          p.maxTokens().toString(),
          p.maxPrice().toString(),
          p.nonce().toString(),
          p.expiry().toString(),
          opened == null ? null : tx(opened),
          openedEvent == null ? null : lower(openedEvent.sequencer));
    }

    // ---------------------------------------------------------------- the assignment

    private Assignment checkAssignment() {
      List<IndexedEvent> assigns = ofType(ShardsAssigned.class);
      IndexedEvent ae = assigns.isEmpty() ? null : assigns.get(0);
      assignment = ae == null ? null : (ShardsAssigned) ae.event();
      int onChain = status == NONE ? 0 : job.shardCount.intValueExact();
      for (int i = 0; i < onChain; i++) {
        chainShards.put(i, send(chain.market().shardInfo(id, BigInteger.valueOf(i))));
      }
      int onLedger = assignment == null ? 0 : assignment.shards().size();
      if (assignment == null) {
        if (status != NONE) {
          fail("assignment", "the ledger has no ShardsAssigned; JobMarket has " + onChain);
        }
      } else if (assigns.size() > 1) {
        warn("assignment.duplicates", (assigns.size() - 1) + " later ShardsAssigned are ignored");
      }
      if (assignment != null && status != NONE && onLedger != onChain) {
        fail(
            "assignment.count",
            "the ledger assigns " + onLedger + " shards, JobMarket holds " + onChain);
      }

      List<Shard> shards = new ArrayList<>();
      for (int i = 0; i < Math.max(onLedger, onChain); i++) {
        ShardAssignment l = i < onLedger ? assignment.shards().get(i) : null;
        JobMarket.Shard c = chainShards.get(i);
        NodeId node = c == null ? null : nodeKeyOf(c.provider);
        Status st = Status.FAIL;
        if (l != null && c != null) {
          boolean sameNode = l.provider().equals(node);
          boolean sameLayers =
              l.startLayer() == c.startLayer.intValueExact()
                  && l.endLayer() == c.endLayer.intValueExact();
          String where =
              "the ledger assigns layers "
                  + l.startLayer()
                  + ".."
                  + l.endLayer()
                  + " to node "
                  + l.provider()
                  + ", JobMarket layers "
                  + c.startLayer
                  + ".."
                  + c.endLayer
                  + " to "
                  + lower(c.provider)
                  + " (node key "
                  + (node == null ? "none registered" : node)
                  + ")";
          st = sameNode && sameLayers ? Status.PASS : Status.FAIL;
          check("shard." + i, st, where);
        }
        shards.add(
            new Shard(
                i,
                l == null ? null : l.provider().toString(),
                l == null ? null : l.startLayer(),
                l == null ? null : l.endLayer(),
                c == null ? null : lower(c.provider),
                node == null ? null : node.toString(),
                c == null ? null : c.startLayer.intValueExact(),
                c == null ? null : c.endLayer.intValueExact(),
                st));
      }

      String chainVerifier = status == NONE ? null : lower(job.verifier);
      NodeId chainVerifierNode = chainVerifier == null ? null : nodeKeyOf(chainVerifier);
      Status verifierStatus = null;
      if (assignment != null && chainVerifier != null) {
        verifierStatus =
            assignment.verifier().equals(chainVerifierNode) ? Status.PASS : Status.FAIL;
        check(
            "assignment.verifier",
            verifierStatus,
            "the ledger's verifier is node "
                + assignment.verifier()
                + ", JobMarket's is "
                + chainVerifier
                + " (node key "
                + (chainVerifierNode == null ? "none registered" : chainVerifierNode)
                + ")");
      }
      return new Assignment(
          ae == null ? null : ae.index(),
          assignment == null ? null : assignment.verifier().toString(),
          chainVerifier,
          chainVerifierNode == null ? null : chainVerifierNode.toString(),
          verifierStatus,
          shards);
    }

    // ---------------------------------------------------------------- commitments

    private List<Commitment> checkCommitments() {
      TreeMap<Integer, IndexedEvent> ledgerCommits = new TreeMap<>();
      for (IndexedEvent e : ofType(LayerCommitmentsGenerated.class)) {
        int shard = ((LayerCommitmentsGenerated) e.event()).shardIndex();
        if (ledgerCommits.putIfAbsent(shard, e) != null) {
          warn(
              "commitment." + shard + ".duplicate",
              "a later LayerCommitmentsGenerated at index " + e.index() + " is ignored");
        }
      }
      Map<Integer, Log> posted = new HashMap<>();
      for (Log log : logsOf(COMMITMENT_POSTED)) {
        posted.put(JobMarket.getCommitmentPostedEventFromLog(log).shardIndex.intValueExact(), log);
      }
      int shards =
          Math.max(
              assignment == null ? 0 : assignment.shards().size(),
              Math.max(
                  chainShards.size(), ledgerCommits.isEmpty() ? 0 : ledgerCommits.lastKey() + 1));

      List<Commitment> out = new ArrayList<>();
      for (int i = 0; i < shards; i++) {
        IndexedEvent le = ledgerCommits.get(i);
        LayerCommitmentsGenerated lc = le == null ? null : (LayerCommitmentsGenerated) le.event();
        JobMarket.Shard cs = chainShards.get(i);
        String chainRoot =
            cs == null || Arrays.equals(cs.root, new byte[32])
                ? null
                : Numeric.toHexString(cs.root);
        Log postedLog = posted.get(i);
        String name = "commitment." + i;
        Status st;
        if (lc != null) {
          List<String> problems = new ArrayList<>();
          ShardAssignment assigned =
              assignment != null && i < assignment.shards().size()
                  ? assignment.shards().get(i)
                  : null;
          if (assigned != null && !assigned.provider().equals(le.envelope().author())) {
            problems.add(
                "signed by node "
                    + le.envelope().author()
                    + ", not by the shard's provider "
                    + assigned.provider());
          }
          if (assigned != null
              && (assigned.startLayer() != lc.startLayer()
                  || assigned.endLayer() != lc.endLayer())) {
            problems.add(
                "commits layers "
                    + lc.startLayer()
                    + ".."
                    + lc.endLayer()
                    + ", the shard has "
                    + assigned.startLayer()
                    + ".."
                    + assigned.endLayer());
          }
          boolean pending = false;
          if (chainRoot == null) {
            if (status == OPEN) {
              pending = true;
            } else {
              problems.add("the ledger's root " + lc.root() + " was never posted on chain");
            }
          } else if (!chainRoot.equals(lc.root().toString())) {
            problems.add(
                "the ledger commits to root "
                    + lc.root()
                    + ", JobMarket holds root "
                    + chainRoot
                    + (postedLog == null ? "" : " (tx " + postedLog.getTransactionHash() + ")"));
          }
          if (!problems.isEmpty()) {
            st = Status.FAIL;
            fail(name, String.join("; ", problems));
          } else if (pending) {
            st = Status.WARN;
            warn(name, "root " + lc.root() + " is on the ledger, not posted on chain yet");
          } else {
            st = Status.PASS;
            pass(
                name,
                "the ledger and JobMarket hold root "
                    + chainRoot
                    + " ("
                    + cs.workUnits
                    + " work units)");
          }
        } else if (chainRoot != null) {
          st = status == OPEN ? Status.WARN : Status.FAIL;
          check(
              name,
              st,
              "JobMarket holds root "
                  + chainRoot
                  + " but the ledger has no LayerCommitmentsGenerated for the shard"
                  + (status == OPEN ? " yet" : ": nothing on the ledger to verify it against"));
        } else {
          st = Status.WARN;
          warn(name, status == OPEN ? "not committed yet" : "never committed");
        }
        out.add(
            new Commitment(
                i,
                le == null ? null : le.index(),
                le == null ? null : le.envelope().author().toString(),
                lc == null ? null : lc.tokenCount(),
                lc == null ? null : lc.root().toString(),
                chainRoot,
                chainRoot == null ? null : cs.workUnits.toString(),
                lc == null ? null : lc.inputBoundary().toString(),
                lc == null ? null : lc.outputBoundary().toString(),
                postedLog == null ? null : tx(postedLog),
                st));
      }

      boolean chained = true;
      int pairs = 0;
      for (int i = 1; i < shards; i++) {
        IndexedEvent prev = ledgerCommits.get(i - 1);
        IndexedEvent next = ledgerCommits.get(i);
        if (prev == null || next == null) {
          continue;
        }
        pairs++;
        Bytes32 out0 = ((LayerCommitmentsGenerated) prev.event()).outputBoundary();
        Bytes32 in1 = ((LayerCommitmentsGenerated) next.event()).inputBoundary();
        if (!out0.equals(in1)) {
          chained = false;
          fail(
              "commitment.boundary." + i,
              "shard "
                  + i
                  + " received input "
                  + in1
                  + ", shard "
                  + (i - 1)
                  + " sent output "
                  + out0);
        }
      }
      if (chained && pairs > 0) {
        pass("commitment.boundaries", "each stage's input boundary is its predecessor's output");
      }
      return out;
    }

    // ---------------------------------------------------------------- anchoring and proofs

    private final class BatchState {
      final BatchRecord record;
      final Bytes32 chainRoot;
      final LedgerAnchor.BatchAnchoredEventResponse onChain;
      final Log anchoredLog;
      final AnchorStatus ledgerStatus;
      Status status;
      String problem;

      BatchState(BatchRecord record) {
        this.record = record;
        BigInteger k = BigInteger.valueOf(record.batchIndex());
        this.chainRoot = Bytes32.of(send(chain.anchor().rootOf(k)));
        boolean anchored = !chainRoot.isZero();
        List<Log> found =
            anchored
                ? logs(
                    chain.addresses().anchor(),
                    0,
                    BATCH_ANCHORED,
                    Numeric.toHexStringWithPrefixZeroPadded(k, 64))
                : List.of();
        this.anchoredLog = found.isEmpty() ? null : found.get(0);
        this.onChain =
            anchoredLog == null ? null : LedgerAnchor.getBatchAnchoredEventFromLog(anchoredLog);
        this.ledgerStatus = ledger.anchorStatus(record.batchIndex());
        if (!anchored) {
          if (ledgerStatus instanceof AnchorStatus.Anchored a) {
            status = Status.FAIL;
            problem =
                "the ledger records batch "
                    + record.batchIndex()
                    + " anchored (tx "
                    + a.txHash()
                    + "), LedgerAnchor holds no root for it";
          } else {
            status = Status.WARN;
          }
        } else if (!chainRoot.equals(record.root())) {
          status = Status.FAIL;
          problem =
              "LedgerAnchor holds root "
                  + chainRoot
                  + " for batch "
                  + record.batchIndex()
                  + ", this ledger's batch (events "
                  + record.firstIndex()
                  + ".."
                  + record.lastIndex()
                  + ") has root "
                  + record.root()
                  + ": the ledger is not the anchored history";
        } else if (onChain != null
            && (onChain.eventCount.longValueExact() != record.eventCount()
                || !Arrays.equals(onChain.prevRoot, record.prevRoot().toByteArray()))) {
          status = Status.FAIL;
          problem =
              "BatchAnchored says "
                  + onChain.eventCount
                  + " events after root "
                  + Numeric.toHexString(onChain.prevRoot)
                  + ", the ledger's batch has "
                  + record.eventCount()
                  + " after "
                  + record.prevRoot();
        } else {
          status = Status.PASS;
        }
      }

      Batch row() {
        return new Batch(
            record.batchIndex(),
            record.firstIndex(),
            record.eventCount(),
            record.root().toString(),
            chainRoot.isZero() ? null : chainRoot.toString(),
            onChain == null ? null : onChain.eventCount.longValueExact(),
            anchoredLog == null ? null : tx(anchoredLog),
            describe(ledgerStatus),
            status);
      }
    }

    /** A batch's check comes before its events': a wrong root explains their failed proofs. */
    private void checkBatch(BatchState bs) {
      String name = "batch." + bs.record.batchIndex();
      if (bs.status == Status.FAIL) {
        fail(name, bs.problem);
      } else if (bs.status == Status.PASS) {
        pass(
            name,
            "anchored with the ledger's root "
                + bs.chainRoot
                + (bs.anchoredLog == null
                    ? ""
                    : " in tx "
                        + bs.anchoredLog.getTransactionHash()
                        + " (block "
                        + bs.anchoredLog.getBlockNumber()
                        + ")"));
      }
    }

    private List<Event> checkInclusion(List<Batch> batchRows) {
      Map<Long, BatchState> batches = new LinkedHashMap<>();
      List<Event> rows = new ArrayList<>();
      List<Long> unanchored = new ArrayList<>();
      int proven = 0;
      for (IndexedEvent e : events) {
        long i = e.index();
        String sigProblem = envelopeProblems.get(i);
        Optional<BatchRecord> sealed = ledger.batchContaining(i);
        Long batchIndex = null;
        boolean anchored = false;
        Boolean javaProof = null;
        Boolean chainProof = null;
        Status st;
        String detail;
        if (sealed.isEmpty()) {
          st = Status.WARN;
          detail = "in the open batch: not sealed, not anchored yet";
          unanchored.add(i);
        } else {
          BatchRecord b = sealed.get();
          batchIndex = b.batchIndex();
          BatchState bs = batches.get(b.batchIndex());
          if (bs == null) {
            bs = new BatchState(b);
            batches.put(b.batchIndex(), bs);
            checkBatch(bs);
          }
          anchored = !bs.chainRoot.isZero();
          InclusionProof proof = ledger.proveInclusion(i);
          boolean local = proof.verify();
          if (!anchored) {
            st = bs.status == Status.FAIL ? Status.FAIL : Status.WARN;
            detail =
                "batch "
                    + b.batchIndex()
                    + " is not anchored yet (proof against the ledger's own root: "
                    + local
                    + ")";
            unanchored.add(i);
          } else {
            javaProof = local && proof.verifyAgainst(bs.chainRoot);
            chainProof =
                send(
                    chain
                        .anchor()
                        .verifyInclusion(
                            BigInteger.valueOf(b.batchIndex()),
                            proof.leaf().toByteArray(),
                            proof.siblingBytes()));
            if (javaProof && chainProof) {
              st = Status.PASS;
              proven++;
              detail = "proven in batch " + b.batchIndex() + " against root " + bs.chainRoot;
            } else {
              st = Status.FAIL;
              detail =
                  "the inclusion proof in batch "
                      + b.batchIndex()
                      + " does not verify against LedgerAnchor's root "
                      + bs.chainRoot
                      + " (Java: "
                      + javaProof
                      + ", LedgerAnchor.verifyInclusion: "
                      + chainProof
                      + ")";
              fail("event." + i, e.event().type() + ": " + detail);
            }
          }
        }
        if (sigProblem != null) {
          st = Status.FAIL;
          detail = "envelope: " + sigProblem + "; " + detail;
        }
        rows.add(
            new Event(
                i,
                e.event().type(),
                e.envelope().author().toString(),
                e.envelopeHash().toString(),
                sigProblem == null,
                batchIndex,
                anchored,
                javaProof,
                chainProof,
                st,
                detail));
      }
      for (BatchState bs : batches.values()) {
        batchRows.add(bs.row());
      }
      if (proven > 0) {
        pass(
            "events.inclusion",
            proven
                + " of "
                + events.size()
                + " events proven in Java and by LedgerAnchor.verifyInclusion against the"
                + " anchored roots");
      }
      if (!unanchored.isEmpty()) {
        warn(
            "events.anchoring",
            unanchored.size()
                + " of "
                + events.size()
                + " events are not anchored yet (indices "
                + shortList(unanchored)
                + ")");
      }
      return rows;
    }

    // ---------------------------------------------------------------- verification and fraud

    private List<Verification> checkVerification() {
      NodeId verifier = assignment == null ? null : assignment.verifier();
      Map<Integer, IndexedEvent> accepted = new TreeMap<>();
      List<Verification> out = new ArrayList<>();
      List<FraudEntry> ledgerFraud = new ArrayList<>();
      for (IndexedEvent e : events) {
        LedgerEvent ev = e.event();
        if (!(ev instanceof VerificationPassed) && !(ev instanceof FraudDetected)) {
          continue;
        }
        int shard =
            ev instanceof VerificationPassed vp
                ? vp.shardIndex()
                : ((FraudDetected) ev).shardIndex();
        NodeId author = e.envelope().author();
        String name = "verification." + shard;
        Status st;
        List<Sample> samples = new ArrayList<>();
        String accused = null;
        String evidence = null;
        if (ev instanceof VerificationPassed vp) {
          vp.samples().forEach(s -> samples.add(new Sample(s.token(), s.layer(), null, null)));
        } else {
          FraudDetected fd = (FraudDetected) ev;
          for (SampleVerdict v : fd.verdicts()) {
            samples.add(
                new Sample(v.sample().token(), v.sample().layer(), v.matched(), v.maxErrorPpm()));
          }
          accused = fd.accused().toString();
          evidence = fd.evidenceHash().toString();
        }
        if (verifier == null || !verifier.equals(author)) {
          st = Status.WARN;
          warn(
              name,
              ev.type()
                  + " at index "
                  + e.index()
                  + " is by node "
                  + author
                  + ", not the job's verifier"
                  + (verifier == null ? "" : " " + verifier)
                  + ": the ledger ignores it");
        } else if (accepted.containsKey(shard)) {
          st = Status.WARN;
          warn(
              name,
              ev.type()
                  + " at index "
                  + e.index()
                  + " comes after the shard's verdict at index "
                  + accepted.get(shard).index()
                  + ": the ledger ignores it");
        } else if (ev instanceof VerificationPassed vp) {
          accepted.put(shard, e);
          st = Status.PASS;
          pass(
              name,
              "VerificationPassed by the job's verifier, "
                  + vp.samples().size()
                  + " samples re-executed (index "
                  + e.index()
                  + ")");
        } else {
          accepted.put(shard, e);
          st = Status.FAIL;
          ledgerFraud.add(new FraudEntry(shard, e, (FraudDetected) ev));
        }
        out.add(
            new Verification(
                shard,
                ev instanceof VerificationPassed ? "PASSED" : "FRAUD",
                e.index(),
                author.toString(),
                samples,
                accused,
                evidence,
                st));
      }
      int shards =
          Math.max(assignment == null ? 0 : assignment.shards().size(), chainShards.size());
      for (int i = 0; i < shards; i++) {
        if (!accepted.containsKey(i)) {
          warn("verification." + i, "no verdict on the ledger: the shard was not checked (yet)");
        }
      }

      // Fraud: the ledger's FraudDetected against JobMarket's FraudProven.
      List<Log> provenLogs = logsOf(FRAUD_PROVEN);
      JobMarket.FraudProvenEventResponse proven =
          provenLogs.isEmpty() ? null : JobMarket.getFraudProvenEventFromLog(provenLogs.get(0));
      int provenShard = proven == null ? -1 : proven.shardIndex.intValueExact();
      for (FraudEntry f : ledgerFraud) {
        FraudDetected fd = f.event();
        long failed = fd.verdicts().stream().filter(v -> !v.matched()).count();
        String what =
            "fraud: FraudDetected by the job's verifier at index "
                + f.ledgerEvent().index()
                + " ("
                + failed
                + " of "
                + fd.verdicts().size()
                + " samples failed, accused node "
                + fd.accused()
                + ", evidence "
                + fd.evidenceHash()
                + ")";
        if (proven != null && provenShard == f.shard()) {
          fail(
              "verification." + f.shard(),
              what
                  + "; proven on chain in tx "
                  + provenLogs.get(0).getTransactionHash()
                  + ": provider "
                  + lower(proven.provider)
                  + " slashed "
                  + proven.slashed
                  + ", buyer refunded "
                  + proven.refunded);
          List<String> problems = new ArrayList<>();
          if (!Arrays.equals(proven.evidenceHash, fd.evidenceHash().toByteArray())) {
            problems.add(
                "JobMarket's evidence hash is "
                    + Numeric.toHexString(proven.evidenceHash)
                    + ", the ledger's "
                    + fd.evidenceHash());
          }
          NodeId slashedNode = nodeKeyOf(proven.provider);
          if (!fd.accused().equals(slashedNode)) {
            problems.add(
                "JobMarket slashed "
                    + lower(proven.provider)
                    + " (node key "
                    + slashedNode
                    + "), the ledger accuses node "
                    + fd.accused());
          }
          if (problems.isEmpty()) {
            pass(
                "fraud." + f.shard(),
                "JobMarket proved the ledger's accusation with the same evidence hash");
          } else {
            fail("fraud." + f.shard(), String.join("; ", problems));
          }
        } else {
          fail("verification." + f.shard(), what);
          if (status == OPEN) {
            warn("fraud." + f.shard(), "not proven on chain yet (the job is open)");
          } else {
            fail(
                "fraud." + f.shard(),
                "the ledger records fraud on shard "
                    + f.shard()
                    + " but JobMarket "
                    + (status == FRAUD
                        ? "proved fraud on shard " + provenShard
                        : "closed the job as " + JOB_STATUS.get(status)));
          }
        }
      }
      if (proven != null && ledgerFraud.stream().noneMatch(f -> f.shard() == provenShard)) {
        fail(
            "fraud." + provenShard,
            "JobMarket proved fraud on shard "
                + provenShard
                + " in tx "
                + provenLogs.get(0).getTransactionHash()
                + " (provider "
                + lower(proven.provider)
                + " slashed "
                + proven.slashed
                + ") but the ledger has no accepted FraudDetected for it");
      }
      return out;
    }

    // ---------------------------------------------------------------- payments

    private Payments checkPayments() {
      List<IndexedEvent> settledEvents = ofType(JobSettled.class);
      IndexedEvent se = settledEvents.isEmpty() ? null : settledEvents.get(0);
      JobSettled ledgerSettled = se == null ? null : (JobSettled) se.event();
      LedgerSettlement ledgerRow = null;
      if (ledgerSettled != null) {
        List<LedgerPayout> lp = new ArrayList<>();
        for (Payout p : ledgerSettled.payouts()) {
          lp.add(new LedgerPayout(p.recipient().toString(), p.amount().toString()));
        }
        ledgerRow = new LedgerSettlement(se.index(), lp, ledgerSettled.refund().toString());
      }
      if (status == NONE) {
        return new Payments(
            "NONE", null, null, null, null, null, null, List.of(), List.of(), List.of(), ledgerRow);
      }
      BigInteger maxPrice = job.maxPrice;
      String buyer = lower(job.buyer);
      List<Movement> movements = new ArrayList<>();
      Map<String, BigInteger> paidForWork = new TreeMap<>();
      BigInteger providers = BigInteger.ZERO;
      BigInteger verifierFees = BigInteger.ZERO;
      Set<String> paidAccounts = new LinkedHashSet<>();
      for (Log log : logsOf(PAYOUT)) {
        JobMarket.PayoutEventResponse p = JobMarket.getPayoutEventFromLog(log);
        String kind = PAYOUT_KINDS.get(p.kind.intValueExact());
        String account = lower(p.account);
        movements.add(new Movement(kind, account, p.amount.toString(), tx(log)));
        paidAccounts.add(account);
        if (!kind.equals("CHALLENGER")) {
          paidForWork.merge(account, p.amount, BigInteger::add);
        }
        if (kind.equals("PROVIDER")) {
          providers = providers.add(p.amount);
        } else if (kind.equals("VERIFIER")) {
          verifierFees = verifierFees.add(p.amount);
        }
      }

      Log settledLog = null;
      BigInteger cost = null;
      BigInteger fee = null;
      BigInteger refund = null;
      BigInteger workUnits = null;
      List<String> chainProblems = new ArrayList<>();
      Optional<Log> finalized = firstLog(JOB_FINALIZED);
      Optional<Log> fraud = firstLog(FRAUD_PROVEN);
      if (status == FINALIZED) {
        if (finalized.isEmpty()) {
          chainProblems.add("the job is FINALIZED but JobMarket emitted no JobFinalized");
        } else {
          settledLog = finalized.get();
          JobMarket.JobFinalizedEventResponse f = JobMarket.getJobFinalizedEventFromLog(settledLog);
          cost = f.cost;
          fee = f.verifierFee;
          refund = f.refund;
          workUnits = f.totalWorkUnits;
          movements.add(new Movement("REFUND", buyer, refund.toString(), tx(settledLog)));
          if (!cost.add(refund).equals(maxPrice)) {
            chainProblems.add(
                "cost " + cost + " + refund " + refund + " is not the max price " + maxPrice);
          }
          if (!providers.add(verifierFees).equals(cost) || !verifierFees.equals(fee)) {
            chainProblems.add(
                "the Payout logs pay providers "
                    + providers
                    + " and the verifier "
                    + verifierFees
                    + ", JobFinalized says cost "
                    + cost
                    + " with fee "
                    + fee);
          }
        }
      } else if (status == FRAUD) {
        if (fraud.isEmpty()) {
          chainProblems.add("the job is FRAUD but JobMarket emitted no FraudProven");
        } else {
          settledLog = fraud.get();
          JobMarket.FraudProvenEventResponse f = JobMarket.getFraudProvenEventFromLog(settledLog);
          cost = BigInteger.ZERO;
          fee = BigInteger.ZERO;
          refund = f.refunded;
          workUnits = job.totalWorkUnits;
          Tx t = tx(settledLog);
          movements.add(0, new Movement("SLASH", lower(f.provider), f.slashed.toString(), t));
          movements.add(new Movement("TREASURY", null, f.toTreasury.toString(), t));
          movements.add(new Movement("REFUND", buyer, refund.toString(), t));
          BigInteger challengers = BigInteger.ZERO;
          for (Movement m : movements) {
            if (m.kind().equals("CHALLENGER")) {
              challengers = challengers.add(new BigInteger(m.amount()));
            }
          }
          if (!refund.equals(maxPrice)) {
            chainProblems.add("refunded " + refund + ", not the whole max price " + maxPrice);
          }
          if (!challengers.equals(f.challengerRewards)
              || !f.challengerRewards.add(f.toTreasury).equals(f.slashed)) {
            chainProblems.add(
                "slashed "
                    + f.slashed
                    + " is not challenger rewards "
                    + f.challengerRewards
                    + " (Payout logs: "
                    + challengers
                    + ") + treasury "
                    + f.toTreasury);
          }
          if (!paidForWork.isEmpty()) {
            chainProblems.add("a fraud job paid providers or the verifier: " + paidForWork);
          }
        }
      }

      if (status == OPEN) {
        String ends;
        try {
          ends = " (challenge window ends at " + send(chain.market().challengeEndsAt(id)) + ")";
        } catch (RuntimeException e) {
          ends = "";
        }
        if (ledgerSettled != null) {
          fail(
              "settlement",
              "the ledger's JobSettled at index "
                  + se.index()
                  + " says the job was settled, JobMarket still has it open");
        } else {
          warn("settlement", "not settled on chain yet" + ends);
        }
      } else if (status != NONE) {
        if (chainProblems.isEmpty()) {
          pass(
              "settlement.chain",
              JOB_STATUS.get(status)
                  + " in tx "
                  + (settledLog == null ? "?" : settledLog.getTransactionHash())
                  + ": the payouts, refund"
                  + (status == FRAUD ? ", slash" : "")
                  + " add up");
        } else {
          fail("settlement.chain", String.join("; ", chainProblems));
        }
        if (ledgerSettled == null) {
          warn("settlement.ledger", "the ledger has no JobSettled for the job yet");
        } else if (refund != null) {
          Map<String, BigInteger> ledgerPaid = new TreeMap<>();
          for (Payout p : ledgerSettled.payouts()) {
            ledgerPaid.merge(p.recipient().toString(), p.amount(), BigInteger::add);
          }
          List<String> problems = new ArrayList<>();
          if (!ledgerPaid.equals(paidForWork)) {
            problems.add(
                "the ledger's JobSettled pays " + ledgerPaid + ", JobMarket paid " + paidForWork);
          }
          if (!ledgerSettled.refund().equals(refund)) {
            problems.add(
                "the ledger's JobSettled refunds "
                    + ledgerSettled.refund()
                    + ", JobMarket refunded "
                    + refund);
          }
          if (problems.isEmpty()) {
            pass(
                "settlement.ledger",
                "the ledger's JobSettled (index "
                    + se.index()
                    + ") has JobMarket's payouts and refund");
          } else {
            fail("settlement.ledger", String.join("; ", problems));
          }
        }
      }

      // The claim that paid each account this job's payout: the first Claimed whose cumulative
      // reaches what the account had earned once this job paid it (every Payout to it up to the
      // settling log).
      List<Claim> claims = new ArrayList<>();
      List<String> unclaimed = new ArrayList<>();
      if (settledLog != null) {
        for (String account : paidAccounts) {
          String accountTopic =
              Numeric.toHexStringWithPrefixZeroPadded(Numeric.toBigInt(account), 64);
          BigInteger earned = BigInteger.ZERO;
          for (Log log : logs(chain.addresses().market(), 0, PAYOUT, null, accountTopic)) {
            if (!isAfter(log, settledLog)) {
              earned = earned.add(JobMarket.getPayoutEventFromLog(log).amount);
            }
          }
          Claim covering = null;
          for (Log log :
              logs(
                  chain.addresses().distributor(),
                  settledLog.getBlockNumber().longValueExact(),
                  CLAIMED,
                  accountTopic)) {
            RewardDistributor.ClaimedEventResponse c =
                RewardDistributor.getClaimedEventFromLog(log);
            if (c.cumulative.compareTo(earned) >= 0) {
              covering =
                  new Claim(
                      lower(c.account), c.amount.toString(), c.cumulative.toString(), tx(log));
              break;
            }
          }
          if (covering == null) {
            unclaimed.add(account);
          } else {
            claims.add(covering);
          }
        }
      }
      return new Payments(
          JOB_STATUS.get(status),
          settledLog == null ? null : tx(settledLog),
          maxPrice.toString(),
          cost == null ? null : cost.toString(),
          fee == null ? null : fee.toString(),
          refund == null ? null : refund.toString(),
          workUnits == null ? null : workUnits.toString(),
          movements,
          claims,
          unclaimed,
          ledgerRow);
    }

    /** A job opened under a session: JobMarket charged that very session for it. */
    private void checkSession(SessionGrantRef session) {
      Log charged = firstLog(SESSION_CHARGED).orElse(null);
      if (charged == null) {
        fail(
            "request.session",
            "the JobPosted names session "
                + session.sessionId()
                + " but JobMarket logged no SessionCharged for the job");
        return;
      }
      JobMarket.SessionChargedEventResponse e = JobMarket.getSessionChargedEventFromLog(charged);
      if (Arrays.equals(e.sessionId, session.sessionId().toByteArray())) {
        pass(
            "request.session",
            "opened under session "
                + session.sessionId()
                + " (cap "
                + session.spendingCap()
                + "), charged "
                + e.amount
                + " by JobMarket in "
                + tx(charged));
      } else {
        fail(
            "request.session",
            "JobMarket charged session "
                + Numeric.toHexString(e.sessionId)
                + ", the JobPosted names "
                + session.sessionId());
      }
    }

    // ---------------------------------------------------------------- helpers

    private List<IndexedEvent> ofType(Class<? extends LedgerEvent> type) {
      return events.stream().filter(e -> type.isInstance(e.event())).toList();
    }

    private List<Log> logsOf(String topic0) {
      return marketLogs.stream().filter(l -> topic0.equals(l.getTopics().get(0))).toList();
    }

    private Optional<Log> firstLog(String topic0) {
      return logsOf(topic0).stream().findFirst();
    }

    /** The node key {@code account} registered in ProviderRegistry, null if none. */
    private NodeId nodeKeyOf(String account) {
      String key = lower(account);
      if (nodeKeys.containsKey(key)) {
        return nodeKeys.get(key);
      }
      byte[] raw = send(chain.registry().nodeInfo(account)).nodeKey;
      NodeId node = Arrays.equals(raw, new byte[32]) ? null : NodeId.of(raw);
      nodeKeys.put(key, node);
      return node;
    }

    private void check(String name, Status status, String detail) {
      checks.add(new Check(name, status, detail));
    }

    private void pass(String name, String detail) {
      check(name, Status.PASS, detail);
    }

    private void warn(String name, String detail) {
      check(name, Status.WARN, detail);
    }

    private void fail(String name, String detail) {
      check(name, Status.FAIL, detail);
    }
  }

  private record FraudEntry(int shard, IndexedEvent ledgerEvent, FraudDetected event) {}

  /**
   * Logs of {@code address} from block {@code from} (at least the auditor's first block) to the
   * head, {@link #logBlockChunk} blocks per query; a null topic matches anything.
   */
  private List<Log> logs(String address, long from, String... topics) {
    long head;
    try {
      head = chain.web3j().ethBlockNumber().send().getBlockNumber().longValueExact();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the chain's head: " + e.getMessage(), e);
    }
    List<Log> out = new ArrayList<>();
    for (long start = Math.max(from, fromBlock); start <= head; start += logBlockChunk) {
      out.addAll(logsIn(address, start, Math.min(head, start + logBlockChunk - 1), topics));
    }
    return out;
  }

  private List<Log> logsIn(String address, long from, long to, String... topics) {
    EthFilter filter =
        new EthFilter(
            DefaultBlockParameter.valueOf(BigInteger.valueOf(from)),
            DefaultBlockParameter.valueOf(BigInteger.valueOf(to)),
            address);
    int last = topics.length;
    while (last > 0 && topics[last - 1] == null) {
      last--;
    }
    for (int i = 0; i < last; i++) {
      if (topics[i] == null) {
        filter.addNullTopic();
      } else {
        filter.addSingleTopic(topics[i]);
      }
    }
    try {
      EthLog result = chain.web3j().ethGetLogs(filter).send();
      if (result.hasError()) {
        throw new UncheckedIOException(
            new IOException("eth_getLogs: " + result.getError().getMessage()));
      }
      List<Log> out = new ArrayList<>();
      for (EthLog.LogResult<?> r : result.getLogs()) {
        out.add((Log) r.get());
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read logs of " + address + ": " + e.getMessage(), e);
    }
  }

  /** Whether {@code log} comes after {@code reference} in the chain. */
  private static boolean isAfter(Log log, Log reference) {
    int byBlock = log.getBlockNumber().compareTo(reference.getBlockNumber());
    return byBlock != 0 ? byBlock > 0 : log.getLogIndex().compareTo(reference.getLogIndex()) > 0;
  }

  private static Tx tx(Log log) {
    return new Tx(log.getTransactionHash(), log.getBlockNumber().longValueExact());
  }

  private static String lower(String hex) {
    return hex == null ? null : hex.toLowerCase(java.util.Locale.ROOT);
  }

  private static String describe(AnchorStatus s) {
    if (s instanceof AnchorStatus.Anchored a) {
      return "anchored (tx " + a.txHash() + ", block " + a.blockNumber() + ")";
    } else if (s instanceof AnchorStatus.Rejected r) {
      return "rejected (" + r.errorName() + ")";
    } else if (s instanceof AnchorStatus.Pending p) {
      return p.attempts() == 0 ? "pending" : "pending (" + p.attempts() + " failed attempts)";
    }
    return String.valueOf(s);
  }

  private static String shortList(List<Long> indices) {
    if (indices.size() <= 8) {
      return indices.toString().replaceAll("[\\[\\]]", "");
    }
    return indices.subList(0, 8).toString().replaceAll("[\\[\\]]", "")
        + ", ... "
        + indices.get(indices.size() - 1);
  }
}
