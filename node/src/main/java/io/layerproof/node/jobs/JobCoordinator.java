package io.layerproof.node.jobs;

import static io.layerproof.chain.contracts.LayerproofContracts.send;

import io.layerproof.chain.contracts.ContractRevertException;
import io.layerproof.chain.contracts.LayerproofContracts;
import io.layerproof.chain.event.Bytes32;
import io.layerproof.chain.event.EcdsaSignature;
import io.layerproof.chain.event.EthAddress;
import io.layerproof.chain.event.EventSigner;
import io.layerproof.chain.event.JobPosted;
import io.layerproof.chain.event.LedgerEvent;
import io.layerproof.chain.event.SessionGrantRef;
import io.layerproof.chain.event.ShardAssignment;
import io.layerproof.chain.event.ShardsAssigned;
import io.layerproof.chain.event.VerifiedEvent;
import io.layerproof.contracts.generated.JobMarket;
import io.layerproof.inference.model.LlamaModel;
import io.layerproof.inference.model.TextTokenizer;
import io.layerproof.inference.sampling.Generation;
import io.layerproof.inference.sampling.TokenListener;
import io.layerproof.node.gateway.Authorisation;
import io.layerproof.node.gateway.ChatMessage;
import io.layerproof.node.gateway.CompletionBackend;
import io.layerproof.node.gateway.GatewayException;
import io.layerproof.node.gateway.JobBackend;
import io.layerproof.node.verification.AuditOutcome;
import io.layerproof.node.verification.JobCommitments;
import io.layerproof.verifier.reexec.CommittedShard;
import io.layerproof.wallet.eip712.ChatRequest;
import java.math.BigInteger;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.web3j.protocol.core.methods.response.TransactionReceipt;

/**
 * Turns authorised chat requests into jobs of the whole system. {@link #open}: the sequencer opens
 * the job on JobMarket in the buyer's name (locking the buyer's maxPrice) with its placement (each
 * provider's layer range, the verifier), and puts {@code JobPosted} (carrying the buyer's
 * signature) and {@code ShardsAssigned} on the ledger. {@link #run}: the providers' shards generate
 * the reply through a {@link JobPipeline} (over libp2p on the devnet) while each provider's hook
 * commits to and stores its activations. Then, off the request's thread: each provider signs its
 * events (the last stage's {@code TokenStreamed}, every stage's {@code LayerCommitmentsGenerated}),
 * which the sequencer checks against the job before appending, and posts its root on chain; the
 * ledger is anchored, the verifier audits the job from the seed block after the last commitment,
 * and its verdicts are anchored too. Settlement follows on its own schedule ({@link Settler}) once
 * the challenge window has passed.
 *
 * <p>One generation at a time (the shards are one pipeline); the follow-up work of finished jobs
 * runs in order on one background thread.
 */
public final class JobCoordinator implements JobBackend, AutoCloseable {

  private static final System.Logger LOG = System.getLogger(JobCoordinator.class.getName());
  private static final SecureRandom RANDOM = new SecureRandom();

  /** How long a request the gateway words for a session stays valid on chain. */
  static final Duration SESSION_REQUEST_VALIDITY = Duration.ofMinutes(10);

  private final LayerproofContracts sequencerChain;
  private final EventSigner sequencer;
  private final SequencerLedger ledger;
  private final List<ProviderNode> providers;
  private final VerifierNode verifier;
  private final JobPipeline pipeline;
  private final TextTokenizer tokenizer;
  private final int maxPositions;
  private final byte[] modelHash;
  private final Clock clock;
  private final ExecutorService followUp;
  private final Map<String, Opened> opened = new ConcurrentHashMap<>();

  /** The follow-ups of the most recent jobs; older ones are forgotten (their ledger remains). */
  private final Map<Bytes32, CompletableFuture<List<AuditOutcome>>> audits =
      java.util.Collections.synchronizedMap(
          new java.util.LinkedHashMap<>() {
            @Override
            protected boolean removeEldestEntry(
                Map.Entry<Bytes32, CompletableFuture<List<AuditOutcome>>> eldest) {
              return size() > RECENT_AUDITS;
            }
          });

  static final int RECENT_AUDITS = 1024;

  /** What {@link #run} needs of an opened job. */
  private record Opened(Bytes32 id, long block) {}

  /**
   * @param sequencerChain the sequencer's contract handles (opens jobs, anchors)
   * @param sequencer the sequencer's ledger signer (also the gateway's: one node plays both)
   * @param providers the stages in layer order, tiling the model
   * @param modelId the model id requests name; its keccak256 is JobRequest.model
   * @param pipeline runs a job's generation over the providers' shards (in this JVM or over libp2p)
   *     and collects their signed events; the coordinator closes it
   */
  public JobCoordinator(
      LayerproofContracts sequencerChain,
      EventSigner sequencer,
      SequencerLedger ledger,
      List<ProviderNode> providers,
      JobPipeline pipeline,
      VerifierNode verifier,
      LlamaModel model,
      String modelId,
      Clock clock) {
    this.sequencerChain = Objects.requireNonNull(sequencerChain, "sequencerChain");
    this.sequencer = Objects.requireNonNull(sequencer, "sequencer");
    this.ledger = Objects.requireNonNull(ledger, "ledger");
    this.providers = List.copyOf(providers);
    this.verifier = Objects.requireNonNull(verifier, "verifier");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.pipeline = Objects.requireNonNull(pipeline, "pipeline");
    this.tokenizer = model.tokenizer();
    this.maxPositions = model.config().maxPositionEmbeddings();
    this.modelHash = ChatRequest.modelHash(modelId).toByteArray();
    this.followUp =
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, "job-follow-up");
              t.setDaemon(true);
              return t;
            });
  }

  @Override
  public OpenedJob open(
      Authorisation auth,
      List<ChatMessage> messages,
      io.layerproof.inference.sampling.SamplingParams params) {
    int promptTokens = tokenizer.encode(ChatMessage.render(messages), true).length;
    if (promptTokens + params.maxTokens() > maxPositions) {
      throw GatewayException.badRequest(
          "context_length_exceeded",
          "The prompt ("
              + promptTokens
              + " tokens) plus max_tokens ("
              + params.maxTokens()
              + ") exceeds the model's context of "
              + maxPositions
              + " tokens.");
    }
    JobMarket.JobRequest req = request(auth);
    List<JobMarket.ShardAssignment> placement = new ArrayList<>();
    for (ProviderNode p : providers) {
      placement.add(
          new JobMarket.ShardAssignment(
              p.address().toString(),
              BigInteger.valueOf(p.startLayer()),
              BigInteger.valueOf(p.endLayer())));
    }
    SessionGrantRef session = sessionOf(auth);
    TransactionReceipt receipt;
    try {
      receipt = openOnChain(auth, session, req, placement);
    } catch (ContractRevertException e) {
      throw ChainRefusals.of(e);
    }
    Bytes32 id = Bytes32.of(JobMarket.getJobOpenedEvents(receipt).get(0).jobId);
    JobPosted posted =
        new JobPosted(
            id,
            auth.buyer(),
            Bytes32.of(req.model),
            Bytes32.of(req.messagesHash),
            req.maxTokens,
            req.maxPrice,
            req.nonce,
            req.expiry,
            session);
    ledger.append(sequencer, posted, EcdsaSignature.of(buyerSignature(auth)));
    List<ShardAssignment> shards = new ArrayList<>();
    for (int i = 0; i < providers.size(); i++) {
      ProviderNode p = providers.get(i);
      shards.add(new ShardAssignment(i, p.key().id(), p.startLayer(), p.endLayer()));
    }
    ledger.append(sequencer, new ShardsAssigned(id, shards, verifier.key().id()));
    opened.put(id.toString(), new Opened(id, receipt.getBlockNumber().longValueExact()));
    return new OpenedJob(id.toString(), messages, params);
  }

  private JobMarket.JobRequest request(Authorisation auth) {
    if (auth instanceof Authorisation.Signed s) {
      return s.request().toJobRequest();
    }
    Authorisation.Session s = (Authorisation.Session) auth;
    long expiry =
        Math.min(
            s.grant().expiry(), clock.instant().plus(SESSION_REQUEST_VALIDITY).getEpochSecond());
    return new JobMarket.JobRequest(
        modelHash,
        s.messagesHash().toByteArray(),
        BigInteger.valueOf(s.maxTokens()),
        s.maxPrice(),
        new BigInteger(128, RANDOM),
        BigInteger.valueOf(expiry));
  }

  private static SessionGrantRef sessionOf(Authorisation auth) {
    if (!(auth instanceof Authorisation.Session s)) {
      return null;
    }
    return new SessionGrantRef(
        s.grant().sessionId(),
        s.grant().spendingCap(),
        BigInteger.valueOf(s.grant().expiry()),
        s.grant().nonce());
  }

  private TransactionReceipt openOnChain(
      Authorisation auth,
      SessionGrantRef session,
      JobMarket.JobRequest req,
      List<JobMarket.ShardAssignment> placement) {
    String verifierAddress = verifier.address().toString();
    if (auth instanceof Authorisation.Signed s) {
      return send(
          sequencerChain
              .market()
              .openJob(auth.buyer().toString(), req, s.signature(), placement, verifierAddress));
    }
    Authorisation.Session s = (Authorisation.Session) auth;
    return send(
        sequencerChain
            .market()
            .openJobWithSession(
                auth.buyer().toString(),
                session.toWrapper(),
                s.grantSignature(),
                req,
                placement,
                verifierAddress));
  }

  private static byte[] buyerSignature(Authorisation auth) {
    return auth instanceof Authorisation.Signed s
        ? s.signature()
        : ((Authorisation.Session) auth).grantSignature();
  }

  @Override
  public boolean revokeSession(
      EthAddress buyer, Bytes32 sessionId, BigInteger nonce, byte[] signature) {
    send(
        sequencerChain
            .market()
            .revokeSessionWithSig(buyer.toString(), sessionId.toByteArray(), nonce, signature));
    return true;
  }

  @Override
  public synchronized CompletionBackend.Result run(OpenedJob job, TokenListener listener) {
    Opened o = opened.remove(job.id());
    if (o == null) {
      throw new IllegalStateException("job " + job.id() + " was not opened here");
    }
    String id = o.id().toString();
    int[] prompt = tokenizer.encode(ChatMessage.render(job.messages()), true);
    JobPipeline.Run run = pipeline.run(id, prompt, job.params(), tokenizer, listener);
    Generation g = run.generation();
    List<CommittedShard> committed = run.committed();
    CompletableFuture<List<AuditOutcome>> audit = new CompletableFuture<>();
    audits.put(o.id(), audit);
    followUp.execute(() -> followUp(o, g, committed, audit));
    return new CompletionBackend.Result(
        g.promptTokens().length, g.tokens().length, g.text(), g.finishReason());
  }

  /** Commitments on chain and ledger, anchoring, the verifier's audit, anchoring again. */
  private void followUp(
      Opened o,
      Generation g,
      List<CommittedShard> committed,
      CompletableFuture<List<AuditOutcome>> done) {
    try {
      // Each provider signs its own events; the sequencer checks every envelope (signature,
      // domain, author, and that it says exactly what the job did) before any is appended.
      int last = providers.size() - 1;
      List<List<VerifiedEvent>> attested = new ArrayList<>();
      for (int i = 0; i < providers.size(); i++) {
        int[] tokens = i == last ? g.tokens() : new int[0];
        attested.add(attested(o.id(), i, committed.get(i), tokens));
      }
      // Ledger order as before: the streamed tokens, then each stage's commitment after its
      // on-chain post.
      List<VerifiedEvent> lastStage = attested.get(last);
      lastStage.subList(0, lastStage.size() - 1).forEach(ledger::append);
      for (int i = 0; i < providers.size(); i++) {
        providers.get(i).postCommitment(o.id(), i, committed.get(i));
        List<VerifiedEvent> stage = attested.get(i);
        ledger.append(stage.get(stage.size() - 1));
      }
      ledger.anchor();
      List<AuditOutcome> outcomes =
          verifier.audit(new JobCommitments(o.id(), committed), o.block());
      ledger.anchor();
      done.complete(outcomes);
    } catch (RuntimeException e) {
      LOG.log(System.Logger.Level.ERROR, "follow-up of job " + o.id() + " failed", e);
      done.completeExceptionally(e);
    }
  }

  /** Stage {@code i}'s signed events for the job, verified and checked against what it did. */
  private List<VerifiedEvent> attested(Bytes32 job, int i, CommittedShard c, int[] tokens) {
    ProviderNode p = providers.get(i);
    List<LedgerEvent> expected = ProviderNode.events(job, i, c, tokens);
    List<byte[]> wires =
        pipeline.attest(job.toString(), i, c, ledger.log().nextSeq(p.key().id()), tokens);
    if (wires.size() != expected.size()) {
      throw new IllegalStateException(
          p.name() + " signed " + wires.size() + " events, not " + expected.size());
    }
    List<VerifiedEvent> out = new ArrayList<>();
    for (int k = 0; k < wires.size(); k++) {
      VerifiedEvent v = ledger.verify(wires.get(k));
      if (!v.author().equals(p.key().id()) || !v.envelope().event().equals(expected.get(k))) {
        throw new IllegalStateException(
            p.name() + "'s event " + k + " is not the one its work calls for");
      }
      out.add(v);
    }
    return out;
  }

  /**
   * The audit of a job run here: completes once its commitments are posted and its verdicts are on
   * the ledger and anchored.
   */
  public Optional<CompletableFuture<List<AuditOutcome>>> audit(Bytes32 jobId) {
    return Optional.ofNullable(audits.get(jobId));
  }

  /** The providers, in stage order. */
  public List<ProviderNode> providers() {
    return providers;
  }

  public VerifierNode verifier() {
    return verifier;
  }

  @Override
  public void close() {
    followUp.shutdown();
    try {
      if (!followUp.awaitTermination(30, TimeUnit.SECONDS)) {
        followUp.shutdownNow();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      followUp.shutdownNow();
    }
    pipeline.close();
  }
}
