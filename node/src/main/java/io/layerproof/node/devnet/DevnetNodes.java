package io.layerproof.node.devnet;

import io.layerproof.chain.contracts.LayerproofContracts;
import io.layerproof.chain.event.EthAddress;
import io.layerproof.chain.event.EventSigner;
import io.layerproof.chain.event.FraudDetected;
import io.layerproof.chain.event.VerificationPassed;
import io.layerproof.chain.ledger.BatchPolicy;
import io.layerproof.chain.ledger.EventLog;
import io.layerproof.chain.settlement.SettlementOptions;
import io.layerproof.chain.settlement.SettlementService;
import io.layerproof.chain.settlement.SettlementStore;
import io.layerproof.inference.hook.ElementType;
import io.layerproof.inference.model.LlamaModel;
import io.layerproof.inference.shard.Pipeline;
import io.layerproof.inference.shard.ShardOptions;
import io.layerproof.node.audit.JobAuditor;
import io.layerproof.node.gateway.EscrowCheck;
import io.layerproof.node.gateway.Gateway;
import io.layerproof.node.gateway.GatewayConfig;
import io.layerproof.node.gateway.GatewayStores;
import io.layerproof.node.intake.EventIntake;
import io.layerproof.node.intake.P2pEventSubmitter;
import io.layerproof.node.jobs.JobCoordinator;
import io.layerproof.node.jobs.LedgerJobQueries;
import io.layerproof.node.jobs.ProviderNode;
import io.layerproof.node.jobs.SequencerLedger;
import io.layerproof.node.jobs.Settler;
import io.layerproof.node.jobs.VerifierNode;
import io.layerproof.node.stage.RemotePipeline;
import io.layerproof.node.stage.StageServer;
import io.layerproof.node.verification.P2pReveals;
import io.layerproof.p2p.P2pNetwork;
import io.layerproof.p2p.host.Host;
import io.layerproof.p2p.host.HostConfig;
import io.layerproof.p2p.multiaddr.Multiaddr;
import io.layerproof.verifier.reveal.RevealLimits;
import io.layerproof.wallet.auth.GatewayVerifier;
import io.layerproof.wallet.client.LayerproofClient;
import java.math.BigInteger;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The nodes of the devnet, in this JVM on top of its chain: the sequencer (RocksDB ledger, anchored
 * to LedgerAnchor), two providers serving the two halves of the default model's layers, the
 * verifier, the settlement loop, a block ticker and the gateway that takes buyers' requests.
 */
public final class DevnetNodes implements AutoCloseable {

  /** The model id the gateway serves (what {@code GET /v1/models} lists). */
  public static final String MODEL_ID = "layerproof-devnet";

  /** FP32 frames between stages, FP16 committed activations: what the tolerance is set for. */
  static final ShardOptions SHARDS = new ShardOptions(ElementType.FP32, ElementType.FP16);

  static final Duration BLOCK_TIME = Duration.ofSeconds(1);

  /** How long the verifier waits for a provider's reveal. */
  static final Duration REVEAL_WINDOW = Duration.ofSeconds(30);

  /** How long one provider may take for one step of a job (a prefill chunk is the longest). */
  static final Duration STAGE_TIMEOUT = Duration.ofSeconds(60);

  static final Duration SETTLE_EVERY = Duration.ofSeconds(5);

  private static final System.Logger LOG = System.getLogger(DevnetNodes.class.getName());

  private final Deque<AutoCloseable> closeables;
  private final SequencerLedger ledger;
  private final JobCoordinator coordinator;
  private final Settler settler;
  private final Gateway gateway;
  private final String apiUrl;
  private final Path ledgerDir;
  private final List<P2pNetwork> providerHosts;
  private final RemotePipeline stages;

  private DevnetNodes(
      Deque<AutoCloseable> closeables,
      SequencerLedger ledger,
      JobCoordinator coordinator,
      Settler settler,
      Gateway gateway,
      String apiUrl,
      Path ledgerDir,
      List<P2pNetwork> providerHosts,
      RemotePipeline stages) {
    this.stages = stages;
    this.ledgerDir = ledgerDir;
    this.providerHosts = List.copyOf(providerHosts);
    this.closeables = closeables;
    this.ledger = ledger;
    this.coordinator = coordinator;
    this.settler = settler;
    this.gateway = gateway;
    this.apiUrl = apiUrl;
  }

  /** Starts every node on {@code devnet}; state lives under {@code dir}. */
  public static DevnetNodes start(
      Devnet devnet, Path dir, String host, int apiPort, Consumer<String> progress) {
    Deque<AutoCloseable> open = new ArrayDeque<>();
    dir = dir.toAbsolutePath();
    try {
      Clock clock = Clock.systemUTC();
      progress.accept("loading the model for two providers and the verifier");
      LlamaModel model = push(open, LlamaModel.open(devnet.modelDir()));

      EventLog log = push(open, EventLog.open(dir.resolve("ledger"), BatchPolicy.sealedByCaller()));
      SequencerLedger ledger = new SequencerLedger(log, devnet.contractsAs(devnet.sequencer()));
      EventSigner sequencer = ledger.signer(devnet.sequencer().nodeKey());

      // Each provider serves its shard and its reveals on its own libp2p host (its node key is its
      // peer id): the sequencer drives hidden states through them and the verifier fetches
      // reveals, over Noise + yamux on loopback, as they would across machines.
      Host sequencerHost =
          push(open, new Host(devnet.sequencer().peerKey(), HostConfig.defaults()));
      List<RemotePipeline.Stage> stages = new ArrayList<>();
      Map<EthAddress, Multiaddr> revealAddrs = new ConcurrentHashMap<>();
      List<P2pNetwork> providerHosts = new ArrayList<>();
      List<int[]> ranges = Pipeline.split(model.config().numLayers(), 2);
      List<ProviderNode> providers = new ArrayList<>();
      for (int i = 0; i < 2; i++) {
        DevAccount a = devnet.providers().get(i);
        int[] r = ranges.get(i);
        ProviderNode p =
            push(
                open,
                new ProviderNode(
                    a.name(),
                    devnet.contractsAs(a),
                    a.nodeKey(),
                    model,
                    r[0],
                    r[1],
                    SHARDS,
                    dir.resolve("activations").resolve(a.name()),
                    Duration.ofHours(1)));
        Host p2p = push(open, new Host(a.peerKey(), HostConfig.defaults()));
        if (!p2p.self().equals(P2pReveals.peerIdOf(a.nodePublicKey()))) {
          throw new IllegalStateException(a.name() + "'s peer id is not its node key");
        }
        Multiaddr addr = p2p.listen(Multiaddr.fromString("/ip4/127.0.0.1/tcp/0"));
        P2pReveals.serve(p2p, p.revealServer(RevealLimits.DEFAULT), RevealLimits.DEFAULT);
        push(open, new StageServer(p, Set.of(sequencerHost.self()), StageServer.Limits.DEFAULT))
            .serveOn(p2p);
        stages.add(new RemotePipeline.Stage(addr, r[0], r[1]));
        revealAddrs.put(p.address(), addr);
        providerHosts.add(p2p);
        providers.add(p);
      }
      // The verifier's verdicts reach the ledger through the sequencer's host, which takes
      // events only from the verifier's key and only of the verdict types.
      Multiaddr sequencerAddr = sequencerHost.listen(Multiaddr.fromString("/ip4/127.0.0.1/tcp/0"));
      push(
              open,
              new EventIntake(
                  ledger,
                  Set.of(devnet.verifier().nodeKey().id()),
                  Set.of(VerificationPassed.class, FraudDetected.class)))
          .serveOn(sequencerHost);
      Host verifierHost = push(open, new Host(devnet.verifier().peerKey(), HostConfig.defaults()));
      VerifierNode verifier =
          push(
              open,
              new VerifierNode(
                  devnet.contractsAs(devnet.verifier()),
                  devnet.verifier().nodeKey(),
                  new P2pEventSubmitter(verifierHost, sequencerAddr, REVEAL_WINDOW),
                  model,
                  new P2pReveals(
                      verifierHost,
                      provider -> Optional.ofNullable(revealAddrs.get(provider)),
                      REVEAL_WINDOW),
                  List.of(),
                  Duration.ofMinutes(2)));
      RemotePipeline pipeline =
          new RemotePipeline(sequencerHost, stages, model.config(), STAGE_TIMEOUT);
      JobCoordinator coordinator =
          push(
              open,
              new JobCoordinator(
                  devnet.contractsAs(devnet.sequencer()),
                  sequencer,
                  ledger,
                  providers,
                  pipeline,
                  verifier,
                  model,
                  MODEL_ID,
                  clock));

      SettlementStore store = push(open, SettlementStore.open(dir.resolve("settlement")));
      List<String> local = new ArrayList<>();
      devnet.providers().forEach(p -> local.add(p.address()));
      local.add(devnet.verifier().address());
      local.add(devnet.sequencer().address());
      Settler settler =
          new Settler(
              new SettlementService(
                  devnet.contractsAs(devnet.operator()), store, SettlementOptions.defaults(local)),
              ledger,
              sequencer);
      push(open, new BlockTicker(devnet.chain(), BLOCK_TIME));
      ScheduledExecutorService settling =
          Executors.newSingleThreadScheduledExecutor(
              r -> {
                Thread t = new Thread(r, "devnet-settlement");
                t.setDaemon(true);
                return t;
              });
      push(open, settling::shutdownNow);
      settling.scheduleWithFixedDelay(
          () -> {
            try {
              settler.runOnce();
            } catch (RuntimeException e) {
              LOG.log(System.Logger.Level.WARNING, "settlement pass failed; retrying", e);
            }
          },
          SETTLE_EVERY.toMillis(),
          SETTLE_EVERY.toMillis(),
          TimeUnit.MILLISECONDS);

      LayerproofContracts reader = devnet.contractsAs(devnet.operator());
      GatewayStores stores = push(open, GatewayStores.open(dir.resolve("gateway"), clock));
      Gateway gateway =
          push(
              open,
              new Gateway(
                  null,
                  gatewayConfig(settler.service().config().unitPrice(), model),
                  new GatewayVerifier(ledger.domain(), clock),
                  EscrowCheck.onChain(reader),
                  stores,
                  coordinator,
                  clock,
                  null,
                  new LedgerJobQueries(
                      log,
                      JobAuditor.readOnly(devnet.web3j(), devnet.chainId(), devnet.contracts()),
                      0)));
      int port = gateway.start(host, apiPort);
      progress.accept("gateway listening on http://" + host + ":" + port);
      return new DevnetNodes(
          open,
          ledger,
          coordinator,
          settler,
          gateway,
          "http://" + host + ":" + port + "/v1",
          dir.resolve("ledger"),
          providerHosts,
          pipeline);
    } catch (RuntimeException e) {
      closeAll(open);
      throw e;
    }
  }

  /**
   * Quotes that cover the chain's price: a request pays {@code unitPrice} per layer and position,
   * so the base covers a prompt filling the model's context and each new token adds its layers.
   */
  static GatewayConfig gatewayConfig(BigInteger unitPrice, LlamaModel model) {
    BigInteger perPosition = unitPrice.multiply(BigInteger.valueOf(model.config().numLayers()));
    GatewayConfig d = GatewayConfig.defaults(MODEL_ID);
    return d.withPrices(
        perPosition.multiply(BigInteger.valueOf(model.config().maxPositionEmbeddings())),
        perPosition);
  }

  private static <T extends AutoCloseable> T push(Deque<AutoCloseable> open, T c) {
    open.push(c);
    return c;
  }

  private static void closeAll(Deque<AutoCloseable> open) {
    while (!open.isEmpty()) {
      try {
        open.pop().close();
      } catch (Exception e) {
        LOG.log(System.Logger.Level.WARNING, "closing a devnet node failed", e);
      }
    }
  }

  /**
   * Opens a spending session for {@code buyer} through the gateway, as any wallet would (a signed
   * grant posted to {@code /v1/sessions}), and returns its API key.
   */
  public String demoSession(DevAccount buyer, BigInteger cap, Duration validFor) {
    LayerproofClient client =
        new LayerproofClient(
            buyer.wallet(),
            ledger.domain(),
            URI.create(apiUrl.replaceAll("/v1$", "/")),
            Clock.systemUTC());
    try {
      return client.openSession(client.grantSession(cap, validFor));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException("cannot open the demo session", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while opening the demo session", e);
    }
  }

  /** The providers' libp2p hosts, in stage order (they serve reveals to the verifier). */
  public List<P2pNetwork> providerHosts() {
    return providerHosts;
  }

  /** The sequencer's ledger folder (what {@code layerproof audit job --ledger} reads). */
  /** The sequencer's driver of the providers' shards over libp2p. */
  public RemotePipeline stages() {
    return stages;
  }

  public Path ledgerDir() {
    return ledgerDir;
  }

  /** The gateway's OpenAI base URL ({@code http://host:port/v1}). */
  public String apiUrl() {
    return apiUrl;
  }

  public SequencerLedger ledger() {
    return ledger;
  }

  public JobCoordinator jobs() {
    return coordinator;
  }

  public Settler settler() {
    return settler;
  }

  public Gateway gateway() {
    return gateway;
  }

  @Override
  public void close() {
    closeAll(closeables);
  }
}
