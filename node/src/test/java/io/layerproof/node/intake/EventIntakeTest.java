package io.layerproof.node.intake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.layerproof.chain.contracts.ContractAddresses;
import io.layerproof.chain.contracts.LayerproofContracts;
import io.layerproof.chain.event.Bytes32;
import io.layerproof.chain.event.EventSigner;
import io.layerproof.chain.event.FraudDetected;
import io.layerproof.chain.event.LedgerDomain;
import io.layerproof.chain.event.NodeKey;
import io.layerproof.chain.event.Sample;
import io.layerproof.chain.event.SignedEvent;
import io.layerproof.chain.event.TokenStreamed;
import io.layerproof.chain.event.VerificationPassed;
import io.layerproof.chain.ledger.BatchPolicy;
import io.layerproof.chain.ledger.EventLog;
import io.layerproof.node.jobs.SequencerLedger;
import io.layerproof.p2p.host.Host;
import io.layerproof.p2p.host.HostConfig;
import io.layerproof.p2p.identity.PeerKey;
import io.layerproof.p2p.multiaddr.Multiaddr;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.http.HttpService;

/**
 * A verifier's events into the sequencer's RocksDB ledger over libp2p, and everything the intake
 * refuses: strangers, envelopes by another key, types it does not admit, other domains, replays.
 */
@Timeout(60)
class EventIntakeTest {

  private static final String MARKET = "0x" + "42".repeat(20);
  private static final LedgerDomain DOMAIN = LedgerDomain.of(1337, MARKET);

  @TempDir Path dir;

  private static NodeKey key(int b) {
    byte[] seed = new byte[32];
    java.util.Arrays.fill(seed, (byte) b);
    return NodeKey.fromSeed(seed);
  }

  /** The libp2p host of a node key (same seed, as the devnet's accounts have). */
  private static Host hostOf(int b) {
    byte[] seed = new byte[32];
    java.util.Arrays.fill(seed, (byte) b);
    return new Host(PeerKey.ofSeed(seed), HostConfig.defaults());
  }

  private static VerificationPassed passed(int shard) {
    return new VerificationPassed(Bytes32.of(new byte[32]), shard, List.of(new Sample(0, 1)));
  }

  @Test
  void aVerifiersEventsReachTheLedgerAndNothingElseDoes() throws Exception {
    NodeKey verifierKey = key(7);
    NodeKey otherKey = key(8);
    Web3j unused = Web3j.build(new HttpService("http://127.0.0.1:9"));
    try (EventLog log = EventLog.open(dir.resolve("ledger"), BatchPolicy.sealedByCaller());
        Host sequencerHost = hostOf(1);
        Host verifierHost = hostOf(7);
        Host strangerHost = hostOf(8)) {
      SequencerLedger ledger =
          new SequencerLedger(
              log,
              LayerproofContracts.load(
                  unused,
                  1337,
                  Credentials.create("0x" + "11".repeat(32)),
                  new ContractAddresses(MARKET, MARKET, MARKET, MARKET, MARKET)));
      try (EventIntake intake =
          new EventIntake(
              ledger,
              Set.of(verifierKey.id()),
              Set.of(VerificationPassed.class, FraudDetected.class))) {
        intake.serveOn(sequencerHost);
        Multiaddr addr = sequencerHost.listen(Multiaddr.fromString("/ip4/127.0.0.1/tcp/0"));
        P2pEventSubmitter verifier =
            new P2pEventSubmitter(verifierHost, addr, Duration.ofSeconds(20));
        P2pEventSubmitter stranger =
            new P2pEventSubmitter(strangerHost, addr, Duration.ofSeconds(20));

        assertEquals(0, verifier.nextSeq());
        EventSigner signer = new EventSigner(verifierKey, DOMAIN, verifier.nextSeq());
        SignedEvent first = signer.sign(passed(0));
        assertEquals(0, verifier.submit(first));
        assertEquals(1, verifier.nextSeq());
        assertInstanceOf(VerificationPassed.class, log.get(0).orElseThrow().envelope().event());

        // A replay of the same envelope: its sequence number is spent.
        assertRefused(() -> verifier.submit(first));
        // A type other nodes may not write.
        assertRefused(
            () ->
                verifier.submit(
                    new EventSigner(verifierKey, DOMAIN, 1)
                        .sign(new TokenStreamed(Bytes32.of(new byte[32]), 0, 5))));
        // An envelope by another key, carried by the verifier.
        assertRefused(() -> verifier.submit(new EventSigner(otherKey, DOMAIN, 0).sign(passed(1))));
        // The verifier's key in another ledger's domain.
        assertRefused(
            () ->
                verifier.submit(
                    new EventSigner(verifierKey, LedgerDomain.of(1, MARKET), 1).sign(passed(1))));
        // A node that is not admitted, even with its own envelope.
        assertRefused(stranger::nextSeq);
        assertRefused(() -> stranger.submit(new EventSigner(otherKey, DOMAIN, 0).sign(passed(1))));
        // Garbage.
        assertTrue(
            assertThrows(
                    Exception.class,
                    () ->
                        verifierHost
                            .request(sequencerHost.self(), EventIntake.PROTOCOL, new byte[] {9})
                            .get(10, TimeUnit.SECONDS))
                .toString()
                .contains("reset"));
        assertRefused(
            () -> {
              byte[] junk = {EventIntake.SUBMIT, '{', '}'};
              verifierHost
                  .request(sequencerHost.self(), EventIntake.PROTOCOL, junk)
                  .get(10, TimeUnit.SECONDS);
              return 0L;
            });

        // Nothing refused reached the ledger; the next honest event still does.
        assertEquals(0, log.head());
        assertEquals(1, verifier.submit(signer.sign(passed(1))));
        assertEquals(1, log.head());
      }
    } finally {
      unused.shutdown();
    }
  }

  private interface Call {
    long run() throws Exception;
  }

  private static void assertRefused(Call c) {
    assertThrows(Exception.class, c::run);
  }
}
