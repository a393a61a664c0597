package io.layerproof.node.stage;

import io.layerproof.chain.contracts.ContractAddresses;
import io.layerproof.chain.contracts.LayerproofContracts;
import io.layerproof.chain.event.NodeKey;
import io.layerproof.inference.hook.ElementType;
import io.layerproof.inference.model.DjlRuntime;
import io.layerproof.inference.model.LlamaModel;
import io.layerproof.inference.shard.ShardOptions;
import io.layerproof.inference.synth.DefaultModel;
import io.layerproof.inference.synth.SynthProgress;
import io.layerproof.node.jobs.LocalJobPipeline;
import io.layerproof.node.jobs.ProviderNode;
import io.layerproof.p2p.host.Host;
import io.layerproof.p2p.host.HostConfig;
import io.layerproof.p2p.identity.PeerId;
import io.layerproof.p2p.identity.PeerKey;
import io.layerproof.p2p.multiaddr.Multiaddr;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.http.HttpService;

/**
 * Providers of the devnet's synthetic model on libp2p hosts, for the stage tests and bench: two
 * stages (layers 0..4 and 4..8) served remotely, or the same split as a local pipeline. Closes what
 * it made.
 */
final class StageFixture implements AutoCloseable {

  private static final ShardOptions OPTIONS = new ShardOptions(ElementType.FP32, ElementType.FP16);
  private static LlamaModel model;

  private final Path dir;
  private final Deque<AutoCloseable> open = new ArrayDeque<>();

  StageFixture(Path dir) {
    this.dir = dir;
  }

  static synchronized LlamaModel model() {
    if (model == null) {
      DjlRuntime.setThreads(1);
      model =
          LlamaModel.open(
              DefaultModel.ensure(
                  Path.of("target", "test-models", "default").toAbsolutePath(),
                  DefaultModel.SPEC,
                  SynthProgress.NONE));
    }
    return model;
  }

  <T extends AutoCloseable> T keep(T t) {
    open.push(t);
    return t;
  }

  /**
   * A provider with a contracts handle that is never used here (no commitment is posted): it points
   * at a closed port. Its ledger domain is chain 1 and the zero address ({@link #DOMAIN_MARKET}).
   */
  ProviderNode provider(String name, int start, int end) {
    Web3j unused = Web3j.build(new HttpService("http://127.0.0.1:9"));
    open.push(unused::shutdown);
    LayerproofContracts wallet =
        LayerproofContracts.load(
            unused,
            1,
            Credentials.create("0x" + "11".repeat(32)),
            new ContractAddresses(
                DOMAIN_MARKET, DOMAIN_MARKET, DOMAIN_MARKET, DOMAIN_MARKET, DOMAIN_MARKET));
    return keep(
        new ProviderNode(
            name,
            wallet,
            NodeKey.generate(),
            model(),
            start,
            end,
            OPTIONS,
            dir.resolve(name),
            Duration.ofHours(1)));
  }

  static final String DOMAIN_MARKET = "0x" + "00".repeat(20);

  Host host() {
    return keep(new Host(PeerKey.generate(), HostConfig.defaults()));
  }

  /** Two remote stages served for {@code drivers}. */
  record Remote(
      List<RemotePipeline.Stage> stages, List<StageServer> servers, List<ProviderNode> providers) {}

  Remote remote(Set<PeerId> drivers, StageServer.Limits limits) {
    List<RemotePipeline.Stage> stages = new ArrayList<>();
    List<StageServer> servers = new ArrayList<>();
    List<ProviderNode> providers = new ArrayList<>();
    int[][] ranges = ranges();
    for (int i = 0; i < 2; i++) {
      ProviderNode p = provider("remote-" + i, ranges[i][0], ranges[i][1]);
      providers.add(p);
      Host h = host();
      Multiaddr addr = h.listen(Multiaddr.fromString("/ip4/127.0.0.1/tcp/0"));
      servers.add(keep(new StageServer(p, drivers, limits)).serveOn(h));
      stages.add(new RemotePipeline.Stage(addr, ranges[i][0], ranges[i][1]));
    }
    return new Remote(stages, servers, providers);
  }

  /** The same split as {@link #remote}, in this process. */
  LocalJobPipeline local() {
    int[][] ranges = ranges();
    return keep(
        new LocalJobPipeline(
            List.of(
                provider("local-0", ranges[0][0], ranges[0][1]),
                provider("local-1", ranges[1][0], ranges[1][1]))));
  }

  private static int[][] ranges() {
    int layers = model().config().numLayers();
    return new int[][] {{0, layers / 2}, {layers / 2, layers}};
  }

  @Override
  public void close() throws Exception {
    while (!open.isEmpty()) {
      open.pop().close();
    }
  }
}
