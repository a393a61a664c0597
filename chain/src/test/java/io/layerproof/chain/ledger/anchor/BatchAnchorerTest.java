package io.layerproof.chain.ledger.anchor;

import static io.layerproof.chain.contracts.LayerproofContracts.send;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.layerproof.chain.contracts.ContractRevertException;
import io.layerproof.chain.contracts.LayerproofContracts;
import io.layerproof.chain.event.Bytes32;
import io.layerproof.chain.event.EnvelopeVerifier;
import io.layerproof.chain.event.EventSigner;
import io.layerproof.chain.event.LedgerDomain;
import io.layerproof.chain.event.TestEvents;
import io.layerproof.chain.event.TokenStreamed;
import io.layerproof.chain.event.VerifiedEvent;
import io.layerproof.chain.ledger.AnchorStatus;
import io.layerproof.chain.ledger.BatchPolicy;
import io.layerproof.chain.ledger.BatchRecord;
import io.layerproof.chain.ledger.EventLog;
import io.layerproof.chain.ledger.InclusionProof;
import io.layerproof.contracts.generated.LedgerAnchor;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.tx.RawTransactionManager;
import org.web3j.tx.gas.StaticGasProvider;

/** Anchoring sealed batches in LedgerAnchor on the embedded chain, and proofs checked there. */
class BatchAnchorerTest {

  @TempDir Path dir;

  private AnchorFixture fixture;
  private LayerproofContracts sequencer;
  private LedgerDomain domain;
  private EnvelopeVerifier verifier;
  private final List<Long> sleeps = new ArrayList<>();
  private final RetryPolicy fastRetry =
      new RetryPolicy(3, Duration.ofMillis(100), Duration.ofMillis(150));

  @BeforeEach
  void deploy() {
    fixture = AnchorFixture.start();
    sequencer = fixture.sequencer("main");
    domain = fixture.domain();
    verifier = new EnvelopeVerifier(domain);
  }

  @AfterEach
  void stop() {
    fixture.close();
  }

  private EventLog ledger(String name, int batchSize) {
    return EventLog.open(dir.resolve(name), new BatchPolicy(batchSize, Duration.ofHours(1)));
  }

  /** {@code count} token events by a producer named {@code who}, appended to {@code log}. */
  private void fill(EventLog log, String who, int count) {
    EventSigner signer =
        new EventSigner(TestEvents.nodeKey(who), domain, log.nextSeq(TestEvents.nodeKey(who).id()));
    List<VerifiedEvent> events = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      events.add(verifier.verify(signer.sign(new TokenStreamed(TestEvents.h(who), i, i)).toWire()));
    }
    log.appendAll(events);
  }

  private BatchAnchorer anchorer(EventLog log, AnchorChain chain) {
    return new BatchAnchorer(log, chain, fastRetry, sleeps::add);
  }

  private long blockNumber() {
    return fixture.chain.blockNumber();
  }

  @Test
  void theSameInclusionProofVerifiesInJavaAndInLedgerAnchor() {
    try (EventLog log = ledger("a", 5)) {
      fill(log, "prover", 23); // batches 0..3 sealed, 3 events open
      List<AnchorOutcome> outcomes = anchorer(log, new ContractAnchorChain(sequencer)).anchorAll();
      assertEquals(4, outcomes.size());
      LedgerAnchor onChain = sequencer.anchor();
      for (long i = 0; i < 20; i++) {
        InclusionProof p = log.proveInclusion(i);
        assertTrue(p.verify(), "Java, event " + i);
        Bytes32 anchored = Bytes32.of(send(onChain.rootOf(BigInteger.valueOf(p.batchIndex()))));
        assertTrue(p.verifyAgainst(anchored), "Java against the anchored root, event " + i);
        assertTrue(
            send(
                onChain.verifyInclusion(
                    BigInteger.valueOf(p.batchIndex()), p.leaf().toByteArray(), p.siblingBytes())),
            "LedgerAnchor, event " + i);
      }
      // A leaf that is not in the batch fails in both.
      InclusionProof p = log.proveInclusion(7);
      InclusionProof other = log.proveInclusion(12);
      assertFalse(
          new InclusionProof(
                  7,
                  other.envelopeHash(),
                  p.prevEntryHash(),
                  p.batchIndex(),
                  p.root(),
                  p.siblings())
              .verify());
      assertFalse(
          send(
              onChain.verifyInclusion(
                  BigInteger.valueOf(p.batchIndex()),
                  other.leaf().toByteArray(),
                  p.siblingBytes())));
    }
  }

  @Test
  void anchorsBatchesInOrderAndRecordsTheirStatus() {
    try (EventLog log = ledger("a", 4)) {
      fill(log, "p", 12);
      List<AnchorOutcome> outcomes = anchorer(log, new ContractAnchorChain(sequencer)).anchorAll();
      assertEquals(3, outcomes.size());
      for (int b = 0; b < 3; b++) {
        AnchorOutcome.Anchored a = assertInstanceOf(AnchorOutcome.Anchored.class, outcomes.get(b));
        BatchRecord batch = log.batch(b).orElseThrow();
        assertEquals(batch, a.batch());
        assertFalse(a.alreadyOnChain());
        AnchorStatus.Anchored status =
            assertInstanceOf(AnchorStatus.Anchored.class, log.anchorStatus(b));
        assertEquals(a.receipt().txHash(), status.txHash());
        assertEquals(a.receipt().blockNumber(), status.blockNumber());
        assertTrue(status.gasUsed() > 21_000);
        assertEquals(
            batch.root(), Bytes32.of(send(sequencer.anchor().rootOf(BigInteger.valueOf(b)))));
        assertEquals(b, a.toEvent().batchIndex());
        assertEquals(batch.prevRoot(), a.toEvent().prevRoot());
      }
      assertEquals(BigInteger.valueOf(3), send(sequencer.anchor().batchCount()));
      assertTrue(anchorer(log, new ContractAnchorChain(sequencer)).anchorAll().isEmpty());
    }
  }

  @Test
  void anchoringResumesAfterARestart() {
    try (EventLog log = ledger("a", 3)) {
      fill(log, "p", 9);
      assertInstanceOf(
          AnchorOutcome.Anchored.class,
          anchorer(log, new ContractAnchorChain(sequencer)).anchorNext());
    }
    try (EventLog log = ledger("a", 3)) {
      BatchAnchorer resumed = anchorer(log, new ContractAnchorChain(sequencer));
      assertEquals(1, resumed.nextToAnchor().orElseThrow().batchIndex());
      assertEquals(2, resumed.anchorAll().size());
      assertEquals(BigInteger.valueOf(3), send(sequencer.anchor().batchCount()));
    }
  }

  @Test
  void aBatchWhoseReceiptWasLostIsFoundOnChainNotPaidTwice() {
    try (EventLog log = ledger("a", 3)) {
      fill(log, "p", 3);
      BatchRecord b = log.batch(0).orElseThrow();
      // The transaction landed but the node died before recording it.
      AnchorReceipt landed =
          new ContractAnchorChain(sequencer).anchor(0, b.root(), b.eventCount(), b.prevRoot());
      long block = blockNumber();
      AnchorOutcome.Anchored a =
          assertInstanceOf(
              AnchorOutcome.Anchored.class,
              anchorer(log, new ContractAnchorChain(sequencer)).anchorNext());
      assertTrue(a.alreadyOnChain());
      assertEquals(landed, a.receipt());
      assertEquals(block, blockNumber(), "no second transaction");
      assertEquals(landed.txHash(), ((AnchorStatus.Anchored) log.anchorStatus(0)).txHash());
    }
  }

  @Test
  void aMinoritySequencerGetsAHistoryConflict() {
    LayerproofContracts rival = fixture.sequencer("rival");
    try (EventLog majority = ledger("majority", 3);
        EventLog minority = ledger("minority", 3)) {
      fill(majority, "majority side", 3);
      fill(minority, "minority side", 3);
      anchorer(majority, new ContractAnchorChain(rival)).anchorNext();
      long block = blockNumber();
      BatchAnchorer loser = anchorer(minority, new ContractAnchorChain(sequencer));
      AnchorOutcome.HistoryConflict c =
          assertInstanceOf(AnchorOutcome.HistoryConflict.class, loser.anchorNext());
      assertEquals("BatchAlreadyAnchored", c.errorName());
      assertEquals(
          "BatchAlreadyAnchored", ((AnchorStatus.Rejected) minority.anchorStatus(0)).errorName());
      // Asked again, it answers from its record and sends nothing.
      assertInstanceOf(AnchorOutcome.HistoryConflict.class, loser.anchorNext());
      assertEquals(block, blockNumber());
    }
  }

  @Test
  void aRaceLostBetweenCheckAndSendIsAHistoryConflict() {
    LayerproofContracts rival = fixture.sequencer("rival");
    try (EventLog majority = ledger("majority", 3);
        EventLog minority = ledger("minority", 3)) {
      fill(majority, "majority side", 3);
      fill(minority, "minority side", 3);
      ContractAnchorChain real = new ContractAnchorChain(sequencer);
      AnchorChain racing =
          new DelegatingChain(real) {
            @Override
            public AnchorReceipt anchor(long batchIndex, Bytes32 root, long count, Bytes32 prev) {
              anchorer(majority, new ContractAnchorChain(rival)).anchorNext(); // the rival wins now
              return super.anchor(batchIndex, root, count, prev);
            }
          };
      AnchorOutcome.HistoryConflict c =
          assertInstanceOf(
              AnchorOutcome.HistoryConflict.class, anchorer(minority, racing).anchorNext());
      assertEquals("BatchAlreadyAnchored", c.errorName());
    }
  }

  @Test
  void aPrevRootMismatchRevertIsAHistoryConflict() {
    try (EventLog log = ledger("a", 3)) {
      fill(log, "p", 6);
      ContractAnchorChain real = new ContractAnchorChain(sequencer);
      anchorer(log, real).anchorNext(); // batch 0
      // LedgerAnchor's own answer to a batch 1 that does not chain from batch 0's root.
      ContractRevertException mismatch =
          assertThrows(
              ContractRevertException.class,
              () -> real.anchor(1, TestEvents.h("x"), 3, TestEvents.h("another batch 0")));
      assertEquals("PrevRootMismatch", mismatch.errorName());
      AnchorChain stale =
          new DelegatingChain(real) {
            @Override
            public AnchorReceipt anchor(long batchIndex, Bytes32 root, long count, Bytes32 prev) {
              throw mismatch;
            }
          };
      AnchorOutcome.HistoryConflict c =
          assertInstanceOf(AnchorOutcome.HistoryConflict.class, anchorer(log, stale).anchorNext());
      assertEquals("PrevRootMismatch", c.errorName());
      assertEquals(1, c.batch().batchIndex());
    }
  }

  @Test
  void anAccountThatIsNotASequencerIsRefused() {
    LayerproofContracts outsider = fixture.admin.as(TestEvents.buyer("outsider"));
    fixture.admin.sendNative(outsider.account(), BigInteger.TEN.pow(18));
    try (EventLog log = ledger("a", 3)) {
      fill(log, "p", 3);
      BatchAnchorer a = anchorer(log, new ContractAnchorChain(outsider));
      AnchorOutcome.Refused r = assertInstanceOf(AnchorOutcome.Refused.class, a.anchorNext());
      assertEquals("NotSequencer", r.errorName());
      assertInstanceOf(AnchorStatus.Rejected.class, log.anchorStatus(0));
      a.resetRejected(0);
      assertEquals(AnchorStatus.Pending.fresh(), log.anchorStatus(0));
      assertInstanceOf(
          AnchorOutcome.Anchored.class,
          anchorer(log, new ContractAnchorChain(sequencer)).anchorNext());
    }
  }

  @Test
  void transientFailuresAreRetriedWithBackoff() {
    try (EventLog log = ledger("a", 3)) {
      fill(log, "p", 3);
      AtomicInteger failures = new AtomicInteger(2);
      AnchorChain flaky =
          new DelegatingChain(new ContractAnchorChain(sequencer)) {
            @Override
            public AnchorReceipt anchor(long batchIndex, Bytes32 root, long count, Bytes32 prev) {
              if (failures.getAndDecrement() > 0) {
                throw new UncheckedIOException(new java.io.IOException("connection reset"));
              }
              return super.anchor(batchIndex, root, count, prev);
            }
          };
      assertInstanceOf(AnchorOutcome.Anchored.class, anchorer(log, flaky).anchorNext());
      assertEquals(List.of(100L, 150L), sleeps);
      assertInstanceOf(AnchorStatus.Anchored.class, log.anchorStatus(0));
    }
  }

  @Test
  void exhaustedRetriesLeaveTheBatchPendingForTheNextCall() {
    try (EventLog log = ledger("a", 3)) {
      fill(log, "p", 3);
      AnchorChain down =
          new DelegatingChain(new ContractAnchorChain(sequencer)) {
            @Override
            public Bytes32 rootOf(long batchIndex) {
              throw new UncheckedIOException(new java.io.IOException("node unreachable"));
            }
          };
      AnchorOutcome.Failed f =
          assertInstanceOf(AnchorOutcome.Failed.class, anchorer(log, down).anchorNext());
      assertEquals(3, f.attempts());
      assertTrue(f.lastError().contains("node unreachable"), f.lastError());
      AnchorStatus.Pending p = assertInstanceOf(AnchorStatus.Pending.class, log.anchorStatus(0));
      assertEquals(3, p.attempts());
      assertInstanceOf(
          AnchorOutcome.Anchored.class,
          anchorer(log, new ContractAnchorChain(sequencer)).anchorNext());
    }
  }

  @Test
  void nonceTooLowIsRetriedWithAFreshNonce() {
    try (EventLog log = ledger("a", 3)) {
      fill(log, "p", 3);
      AtomicReference<RuntimeException> seen = new AtomicReference<>();
      AnchorChain staleNonce =
          new DelegatingChain(new ContractAnchorChain(sequencer)) {
            @Override
            public AnchorReceipt anchor(long batchIndex, Bytes32 root, long count, Bytes32 prev) {
              if (seen.get() == null) {
                try {
                  sendWithStaleNonce(batchIndex, root, count, prev);
                } catch (RuntimeException e) {
                  seen.set(e);
                  throw e;
                }
              }
              return super.anchor(batchIndex, root, count, prev);
            }
          };
      assertInstanceOf(AnchorOutcome.Anchored.class, anchorer(log, staleNonce).anchorNext());
      // The node refused the stale nonce (Web3j wraps its JSON-RPC error); the retry resigned.
      assertTrue(seen.get().getMessage().contains("nonce too low"), seen.get().getMessage());
    }
  }

  /** What a second sender on the same key causes: a transaction signed with a used nonce. */
  private void sendWithStaleNonce(long batchIndex, Bytes32 root, long count, Bytes32 prev) {
    RawTransactionManager stale =
        new RawTransactionManager(fixture.web3j, sequencer.credentials(), fixture.chainId) {
          @Override
          protected BigInteger getNonce() throws java.io.IOException {
            return super.getNonce().subtract(BigInteger.ONE);
          }
        };
    LedgerAnchor anchor =
        LedgerAnchor.load(
            fixture.addresses.anchor(),
            fixture.web3j,
            stale,
            new StaticGasProvider(BigInteger.valueOf(2_000_000_000L), BigInteger.valueOf(200_000)));
    try {
      anchor
          .anchor(
              BigInteger.valueOf(batchIndex),
              root.toByteArray(),
              BigInteger.valueOf(count),
              prev.toByteArray())
          .send();
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException(e.getMessage(), e); // TransactionException, as send() does
    }
    throw new AssertionError("a stale nonce was accepted");
  }

  /** Forwards to a real chain; tests override one call to inject a failure. */
  private static class DelegatingChain implements AnchorChain {
    private final AnchorChain real;

    DelegatingChain(AnchorChain real) {
      this.real = real;
    }

    @Override
    public AnchorReceipt anchor(long batchIndex, Bytes32 root, long eventCount, Bytes32 prevRoot) {
      return real.anchor(batchIndex, root, eventCount, prevRoot);
    }

    @Override
    public Bytes32 rootOf(long batchIndex) {
      return real.rootOf(batchIndex);
    }

    @Override
    public Optional<AnchorReceipt> findAnchorTransaction(long batchIndex) {
      return real.findAnchorTransaction(batchIndex);
    }

    @Override
    public Optional<OnChainBatch> findAnchoredBatch(long batchIndex) {
      return real.findAnchoredBatch(batchIndex);
    }
  }
}
