package io.layerproof.node.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.layerproof.p2p.host.Host;
import io.layerproof.p2p.host.HostConfig;
import io.layerproof.p2p.identity.PeerId;
import io.layerproof.p2p.identity.PeerKey;
import io.layerproof.p2p.multiaddr.Multiaddr;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code layerproof p2p}: a stable identity, and pings to a real host. */
class P2pCommandTest {

  private record Run(int code, String out, String err) {}

  private static Run run(String... args) {
    CommandLine cli = Main.commandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    int code = cli.execute(args);
    return new Run(code, out.toString(), err.toString());
  }

  @Test
  void idIsMadeOnceAndPingReachesAHost(@TempDir Path dir) throws Exception {
    Path key = dir.resolve("peer.key");
    Run first = run("p2p", "id", "--key", key.toString());
    assertEquals(0, first.code(), first.err());
    PeerId id = PeerId.fromString(first.out().strip());
    assertEquals(id, PeerKey.loadOrCreate(key).peerId());
    assertEquals(first.out(), run("p2p", "id", "--key", key.toString()).out());

    try (Host remote = new Host(PeerKey.generate(), HostConfig.defaults())) {
      Multiaddr addr = remote.listen(Multiaddr.fromString("/ip4/127.0.0.1/tcp/0"));
      Run ping = run("p2p", "ping", addr.toString(), "--count", "2", "--key", key.toString());
      assertEquals(0, ping.code(), ping.err());
      assertTrue(ping.out().contains("connected to " + remote.self()), ping.out());
      assertTrue(ping.out().matches("(?s).*ping 2: \\d+\\.\\d{3} ms.*"), ping.out());

      Run noId = run("p2p", "ping", addr.withoutPeerId().toString(), "--key", key.toString());
      assertEquals(1, noId.code());
      assertTrue(noId.err().contains("/p2p/<peer id>"), noId.err());
      Run wrongPeer =
          run(
              "p2p",
              "ping",
              addr.withoutPeerId().withPeerId(PeerKey.generate().peerId()).toString(),
              "--key",
              key.toString());
      assertEquals(1, wrongPeer.code());
      assertTrue(wrongPeer.err().contains("failed"), wrongPeer.err());
      assertTrue(!wrongPeer.err().contains("\tat "), "no stack trace: " + wrongPeer.err());
    }
    Run bad = run("p2p", "ping", "/ip4/nope", "--key", key.toString());
    assertEquals(1, bad.code());
    assertTrue(bad.err().contains("not a multiaddr"), bad.err());
  }
}
