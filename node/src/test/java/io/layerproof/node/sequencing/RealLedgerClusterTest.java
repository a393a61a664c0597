package io.layerproof.node.sequencing;

import static io.layerproof.chain.contracts.LayerproofContracts.send;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.layerproof.chain.contracts.LayerproofContracts;
import io.layerproof.chain.event.EnvelopeFormat;
import io.layerproof.chain.event.EnvelopeVerifier;
import io.layerproof.chain.event.EventBody;
import io.layerproof.chain.event.EventSigner;
import io.layerproof.chain.event.NodeId;
import io.layerproof.chain.event.NodeKey;
import io.layerproof.chain.event.TestEvents;
import io.layerproof.chain.event.TokenStreamed;
import io.layerproof.chain.ledger.AnchorStatus;
import io.layerproof.chain.ledger.BatchPolicy;
import io.layerproof.chain.ledger.BatchRecord;
import io.layerproof.chain.ledger.EventLog;
import io.layerproof.chain.ledger.InclusionProof;
import io.layerproof.chain.ledger.anchor.AnchorChain.OnChainBatch;
import io.layerproof.chain.ledger.anchor.AnchorFixture;
import io.layerproof.chain.ledger.anchor.ContractAnchorChain;
import io.layerproof.node.ledger.LedgerAnchoring;
import io.layerproof.node.ledger.LedgerBatches;
import io.layerproof.node.ledger.LedgerEventFormat;
import io.layerproof.node.ledger.LedgerOrderedLog;
import io.layerproof.node.ledger.LedgerSequencingStore;
import io.layerproof.node.sequencing.SimCluster.SimNode;
import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 3, Must show 3 on the real parts: five nodes (election + sequencing, in virtual time on the
 * in-memory bus) whose logs are RocksDB {@link EventLog}s of signed envelopes, anchoring to the
 * real {@code LedgerAnchor} on the embedded chain, each node sending from its own registered
 * sequencer account.
 */
class RealLedgerClusterTest {
  @TempDir Path dir;
  private LedgerBackend backend;

  /** Signed envelopes in RocksDB, anchored on the embedded chain. */
  static final class LedgerBackend implements SimCluster.Backend, AutoCloseable {
    final AnchorFixture fixture = AnchorFixture.start();
    final Path dir;
    final LedgerEventFormat format;
    final Map<NodeId, NodeKey> keys = new HashMap<>();
    final Map<NodeId, String> names = new HashMap<>();
    final Map<NodeId, EventLog> ledgers = new HashMap<>();
    final Map<NodeId, LayerproofContracts> senders = new HashMap<>();
    final Map<NodeId, LedgerBatches> batches = new HashMap<>();

    LedgerBackend(Path dir) {
      this.dir = dir;
      this.format = new LedgerEventFormat(new EnvelopeVerifier(fixture.domain()));
    }

    @Override
    public NodeId id(int i) {
      NodeKey key = TestEvents.nodeKey("n" + i);
      keys.put(key.id(), key);
      names.put(key.id(), "n" + i);
      senders.put(key.id(), fixture.sequencer("n" + i));
      return key.id();
    }

    @Override
    public OrderedLog log(NodeId id) {
      EventLog ledger = EventLog.open(dir.resolve(names.get(id)), BatchPolicy.sealedByCaller());
      ledgers.put(id, ledger);
      return new LedgerOrderedLog(ledger, format);
    }

    @Override
    public SequencingStore sequencingStore(NodeId id) {
      return new LedgerSequencingStore(ledgers.get(id));
    }

    @Override
    public EventFormat format() {
      return format;
    }

    @Override
    public Anchoring anchoring(NodeId id, SimCluster c) {
      // The chain call runs on the cluster's clock after the chain latency, so runs replay exactly;
      // it lands even if its sender is killed meanwhile, as a sent transaction does.
      return new LedgerAnchoring(
          new ContractAnchorChain(senders.get(id)),
          task -> c.clock.schedule(c.settings.chainLatency(), task));
    }

    @Override
    public byte[] payload(NodeId id, long seq, String text) {
      EventBody body =
          new EventBody(
              EnvelopeFormat.VERSION,
              fixture.chainId,
              fixture.domain().contract(),
              id,
              seq - 1,
              TestEvents.eventId(text),
              new TokenStreamed(TestEvents.h(text), (int) seq, 1),
              null);
      return EventSigner.sign(keys.get(id), body).toWire();
    }

    @Override
    public void started(SimNode node, SimCluster c) {
      LedgerBatches b =
          new LedgerBatches(
              ledgers.get(node.id), anchoring(node.id, c), task -> node.scheduler.execute(task));
      node.sequencing.log().addListener(b);
      node.sequencing.log().mark().ifPresent(b::anchored); // a restart resumes sealing
      batches.put(node.id, b);
    }

    @Override
    public void close() {
      ledgers.values().forEach(EventLog::close);
      fixture.close();
    }
  }

  private SimCluster cluster(long seed) {
    backend = new LedgerBackend(dir);
    SimCluster c =
        new SimCluster(
            5,
            SimCluster.Settings.defaults(seed),
            id -> new io.layerproof.node.election.InMemoryElectionStore(),
            backend);
    c.startAll();
    return c;
  }

  @AfterEach
  void close() {
    if (backend != null) {
      backend.close();
    }
  }

  private List<OnChainBatch> onChain() {
    ContractAnchorChain reader = new ContractAnchorChain(backend.fixture.admin);
    List<OnChainBatch> out = new ArrayList<>();
    for (long k = 0; ; k++) {
      Optional<OnChainBatch> b = reader.findAnchoredBatch(k);
      if (b.isEmpty()) {
        return out;
      }
      out.add(b.get());
    }
  }

  /** The end state: one sequencer, one history, equal to the ledger and to the chain everywhere. */
  private void assertConvergedOnTheRealLedger(SimCluster c) {
    c.stopTraffic();
    assertTrue(
        c.runUntil(c::quiescent, Duration.ofSeconds(30)),
        "no quiescence: "
            + LedgerClusterTest.describe(c)
            + c.rejected.subList(Math.max(0, c.rejected.size() - 5), c.rejected.size()));
    // Nodes that missed anchor marks (the minority) ask the chain where those batches end.
    assertTrue(
        c.runUntil(
            () -> c.running.keySet().stream().allMatch(id -> backend.batches.get(id).caughtUp()),
            Duration.ofSeconds(10)),
        "ledgers sealed every anchored batch");
    assertEquals(1, c.activeSequencers().size());
    assertEquals(1, new HashSet<>(c.stateHashes().values()).size(), c.stateHashes().toString());
    NodeId any = c.running.keySet().iterator().next();
    assertEquals(List.of(), c.exactlyOnceProblems(any));

    List<OnChainBatch> chain = onChain();
    assertTrue(chain.size() > 5, "batches were anchored: " + chain.size());
    for (NodeId id : c.running.keySet()) {
      EventLog ledger = backend.ledgers.get(id);
      // Sequencing's state hash is the ledger's head hash: one hash chain.
      assertEquals(ledger.headHash(), c.node(id).sequencing.stateHash(), "state hash of " + id);
      assertTrue(ledger.verify().ok(), ledger.verify().toString());
      assertTrue(
          backend.batches.get(id).caughtUp(),
          id
              + " sealed every anchored batch: sealed "
              + ledger.batchCount()
              + " head "
              + ledger.head()
              + " mark "
              + c.node(id).sequencing.log().mark()
              + " chain "
              + chain.size());
      // Every sealed ledger batch is the chain's batch: same boundaries, same root, anchored.
      long sealed = ledger.batchCount();
      assertTrue(sealed >= chain.size() - 1, id + " sealed " + sealed + " of " + chain.size());
      for (long k = 0; k < sealed; k++) {
        BatchRecord b = ledger.batch(k).orElseThrow();
        assertEquals(chain.get((int) k).root(), b.root(), id + " batch " + k);
        assertEquals(chain.get((int) k).eventCount(), b.eventCount(), id + " batch " + k);
        assertTrue(ledger.anchorStatus(k) instanceof AnchorStatus.Anchored);
      }
    }
    // Any node's proof of an anchored event verifies in LedgerAnchor on chain.
    EventLog ledger = backend.ledgers.get(any);
    var anchor = backend.fixture.admin.anchor();
    for (long index :
        List.of(0L, ledger.batch(ledger.batchCount() - 1).orElseThrow().lastIndex())) {
      InclusionProof p = ledger.proveInclusion(index);
      assertTrue(
          send(
              anchor.verifyInclusion(
                  BigInteger.valueOf(p.batchIndex()), p.leaf().toByteArray(), p.siblingBytes())),
          "LedgerAnchor verifies event " + index);
    }
  }

  @Test
  void oneSequencerAnchorsSignedEventsAndATakeoverAfterItsDeathLosesNothingAcrossRestarts() {
    SimCluster c = cluster(11);
    assertTrue(c.runUntil(c::settled, Duration.ofSeconds(3)));
    Set<NodeId> all = new TreeSet<>(c.ids);
    c.startTraffic(all, Duration.ofMillis(100));
    c.runFor(Duration.ofSeconds(3));
    assertEquals(1, c.activeSequencers().size());

    NodeId old = c.activeSequencers().iterator().next();
    Set<NodeId> survivors = new TreeSet<>(c.running.keySet());
    survivors.remove(old);
    c.kill(old);
    long killedAt = c.now();
    Duration bound = c.settings.election().takeoverBound(Duration.ofMillis(10));
    assertTrue(
        c.runUntil(
            () -> c.agreedSession(survivors).filter(s -> !s.sequencer().equals(old)).isPresent(),
            bound),
        "no successor within " + bound);
    assertTrue(c.now() - killedAt <= bound.toMillis());
    assertTrue(c.runUntil(c::settled, c.settings.sequencing().catchUpTimeout()));
    c.runFor(Duration.ofSeconds(3));
    // The old sequencer comes back on its own RocksDB ledger (mark and pin reloaded from it) and a
    // follower restarts too: both catch up as followers.
    c.start(old);
    c.restart(survivors.iterator().next());
    assertTrue(c.runUntil(c::settled, Duration.ofSeconds(5)));
    c.runFor(Duration.ofSeconds(2));
    assertConvergedOnTheRealLedger(c);
  }

  @Test
  void inA3To2PartitionOnlyTheMajorityAnchorsOnChainAndAfterHealingAllLedgersAgree() {
    SimCluster c = cluster(12);
    assertTrue(c.runUntil(c::settled, Duration.ofSeconds(3)));
    c.startTraffic(new TreeSet<>(c.ids), Duration.ofMillis(100));
    c.runFor(Duration.ofSeconds(2));

    NodeId old = c.activeSequencers().iterator().next();
    Set<NodeId> minority = new TreeSet<>();
    Set<NodeId> majority = new TreeSet<>();
    minority.add(old); // the harder case: the sitting sequencer is cut off with one follower
    for (NodeId id : c.ids) {
      if (!id.equals(old)) {
        (minority.size() < 2 ? minority : majority).add(id);
      }
    }
    long sharedHead =
        c.running.values().stream().mapToLong(n -> n.sequencing.log().head()).max().orElseThrow();
    c.net.partition(majority, minority);
    assertTrue(
        c.runUntil(
            () -> c.agreedSession(majority).isPresent() && c.activeSequencers().size() == 2,
            Duration.ofSeconds(3)));
    c.runFor(Duration.ofSeconds(6));

    // Every batch on chain is a prefix of the majority's log: the minority anchored nothing new.
    NodeId majorityNode = majority.iterator().next();
    List<LogEntry> majorityLog = c.entries(majorityNode);
    List<OnChainBatch> chain = onChain();
    long first = 0;
    long pastCut = 0;
    for (OnChainBatch b : chain) {
      long last = first + b.eventCount() - 1;
      assertTrue(last < majorityLog.size(), "batch " + b.batchIndex() + " beyond the majority");
      assertEquals(
          b.root(),
          LedgerAnchoring.rootOf(majorityLog.subList((int) first, (int) last + 1)),
          "batch " + b.batchIndex() + " is the majority's");
      if (last > sharedHead) {
        pastCut++;
      }
      first = last + 1;
    }
    assertTrue(pastCut > 3, "the majority kept anchoring: " + pastCut);
    NodeId minoritySequencer =
        c.activeSequencers().stream().filter(minority::contains).findFirst().orElse(null);
    assertTrue(minoritySequencer == null, "the minority's sequencer stepped down");
    assertFalse(
        c.node(old).sequencing.log().head() <= sharedHead,
        "the minority indexed events of its own during the partition");

    c.net.heal();
    assertTrue(c.runUntil(c::settled, Duration.ofSeconds(5)));
    assertTrue(majority.contains(c.activeSequencers().iterator().next()));
    assertConvergedOnTheRealLedger(c);
  }
}
