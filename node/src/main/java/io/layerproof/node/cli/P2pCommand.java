package io.layerproof.node.cli;

import io.layerproof.p2p.P2pNetwork;
import io.layerproof.p2p.host.Host;
import io.layerproof.p2p.host.HostConfig;
import io.layerproof.p2p.identity.PeerId;
import io.layerproof.p2p.identity.PeerKey;
import io.layerproof.p2p.multiaddr.Multiaddr;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code layerproof p2p}: this node's libp2p identity, and a host to dial, ping and gossip with.
 */
@Command(
    name = "p2p",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description =
        "The node's libp2p side: its peer id, and a host (TCP, Noise, yamux, identify, ping,"
            + " GossipSub, mDNS) to reach other libp2p peers, Layerproof or not.",
    subcommands = {P2pCommand.Id.class, P2pCommand.Ping.class, P2pCommand.Listen.class})
public final class P2pCommand implements Runnable {

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** Where the node's key lives unless told otherwise. */
  static final String DEFAULT_KEY = ".layerproof/p2p/peer.key";

  /** The {@code --key} option of every p2p command (picocli mixin). */
  static final class KeyFile {
    @Option(
        names = "--key",
        paramLabel = "FILE",
        defaultValue = DEFAULT_KEY,
        description =
            "The node's Ed25519 key file, made (owner-only) if missing (default:"
                + " ${DEFAULT-VALUE}).")
    Path file;

    PeerKey load() {
      return PeerKey.loadOrCreate(file);
    }
  }

  /** {@code layerproof p2p id}. */
  @Command(
      name = "id",
      mixinStandardHelpOptions = true,
      versionProvider = VersionProvider.class,
      description = "Prints the peer id of the key file, making the key (owner-only) if missing.")
  static final class Id implements Callable<Integer> {
    @Spec picocli.CommandLine.Model.CommandSpec spec;

    @Mixin KeyFile key;

    @Override
    public Integer call() {
      spec.commandLine().getOut().println(key.load().peerId());
      spec.commandLine().getOut().flush();
      return 0;
    }
  }

  /** {@code layerproof p2p ping ADDR}. */
  @Command(
      name = "ping",
      mixinStandardHelpOptions = true,
      versionProvider = VersionProvider.class,
      description = "Dials a peer (/ip4/.../tcp/.../p2p/<id>) and pings it over /ipfs/ping/1.0.0.")
  static final class Ping implements Callable<Integer> {
    @Spec picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(paramLabel = "ADDR", description = "The peer's multiaddr, with /p2p/<id>.")
    String address;

    @Option(
        names = "--count",
        defaultValue = "3",
        description = "Pings (default: ${DEFAULT-VALUE}).")
    int count;

    @Mixin KeyFile key;

    @Override
    public Integer call() throws Exception {
      if (count < 1 || count > 1000) {
        throw new IllegalArgumentException("--count must be 1..1000");
      }
      Multiaddr target = parse(address);
      if (target.peerId().isEmpty()) {
        throw new IllegalArgumentException("the address must end with /p2p/<peer id>");
      }
      PrintWriter out = spec.commandLine().getOut();
      try (Host host = new Host(key.load(), HostConfig.defaults())) {
        PeerId peer = await(host.connect(target), "dialing " + target);
        out.println("connected to " + peer + " (Noise XX, yamux)");
        for (int i = 0; i < count; i++) {
          Duration rtt = await(host.ping(peer), "ping");
          out.printf("ping %d: %.3f ms%n", i + 1, rtt.toNanos() / 1e6);
          out.flush();
        }
        host.identified(peer)
            .ifPresent(
                id -> out.println("agent " + id.agentVersion() + ", protocols " + id.protocols()));
      }
      out.flush();
      return 0;
    }
  }

  /** {@code layerproof p2p listen}. */
  @Command(
      name = "listen",
      mixinStandardHelpOptions = true,
      versionProvider = VersionProvider.class,
      description =
          "Runs a host until Ctrl-C: listens, dials bootstrap peers, finds LAN peers by mDNS,"
              + " prints peers coming and going and the messages of the topics it joins.")
  static final class Listen implements Callable<Integer> {
    @Spec picocli.CommandLine.Model.CommandSpec spec;

    @Option(
        names = "--listen",
        defaultValue = "/ip4/127.0.0.1/tcp/4001",
        description = "Address to listen on (default: ${DEFAULT-VALUE}).")
    String listen;

    @Option(names = "--bootstrap", paramLabel = "ADDR", description = "Peers to dial at start.")
    List<String> bootstrap = new ArrayList<>();

    @Option(names = "--topic", paramLabel = "TOPIC", description = "GossipSub topics to join.")
    List<String> topics = new ArrayList<>();

    @Option(
        names = "--publish",
        paramLabel = "TEXT",
        description = "A message to publish on every --topic once a peer has joined.")
    String publish;

    @Option(names = "--mdns", description = "Announce and discover peers on the LAN by mDNS.")
    boolean mdns;

    @Option(
        names = "--exit-after",
        paramLabel = "SECONDS",
        defaultValue = "0",
        description = "Stop after this many seconds (0: run until Ctrl-C).")
    long exitAfter;

    @Mixin KeyFile key;

    @Override
    public Integer call() throws Exception {
      PrintWriter out = spec.commandLine().getOut();
      try (Host host = new Host(key.load(), HostConfig.defaults())) {
        host.onPeerEvent(e -> print(out, "peer " + e.kind().name().toLowerCase() + " " + e.peer()));
        for (String t : topics) {
          host.subscribe(
              t,
              (author, data) -> {
                print(out, t + " <" + author + "> " + new String(data, StandardCharsets.UTF_8));
                return P2pNetwork.Validation.ACCEPT;
              });
        }
        Multiaddr bound = host.listen(parse(listen));
        print(out, "peer id " + host.self());
        print(out, "listening on " + bound);
        if (!bootstrap.isEmpty()) {
          print(out, "bootstrap: connected to " + host.bootstrap(bootstrap));
        }
        if (mdns) {
          host.startMdns(Duration.ofSeconds(10));
          print(out, "mDNS: announcing on _p2p._udp.local");
        }
        if (publish != null) {
          host.onPeerEvent(
              e -> {
                if (e.kind() == P2pNetwork.PeerEvent.Kind.CONNECTED) {
                  // Give the peer a heartbeat to learn our subscriptions before publishing.
                  new Thread(
                          () -> {
                            try {
                              Thread.sleep(1500);
                            } catch (InterruptedException ie) {
                              return;
                            }
                            topics.forEach(
                                t -> host.publish(t, publish.getBytes(StandardCharsets.UTF_8)));
                          })
                      .start();
                }
              });
        }
        CountDownLatch stop = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(stop::countDown));
        if (exitAfter > 0) {
          stop.await(exitAfter, TimeUnit.SECONDS);
        } else {
          stop.await();
        }
      }
      return 0;
    }

    private static synchronized void print(PrintWriter out, String line) {
      out.println(line);
      out.flush();
    }
  }

  static Multiaddr parse(String text) {
    try {
      return Multiaddr.fromString(text);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("not a multiaddr: " + text + " (" + e.getMessage() + ")");
    }
  }

  static <T> T await(java.util.concurrent.CompletableFuture<T> f, String what) throws Exception {
    try {
      return f.get(30, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      Throwable c = e.getCause();
      throw new IllegalStateException(
          what + " failed: " + (c.getMessage() == null ? c : c.getMessage()));
    } catch (TimeoutException e) {
      throw new IllegalStateException(what + " timed out after 30 s");
    }
  }
}
