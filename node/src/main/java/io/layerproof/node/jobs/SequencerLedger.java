package io.layerproof.node.jobs;

import io.layerproof.chain.contracts.LayerproofContracts;
import io.layerproof.chain.event.Bytes32;
import io.layerproof.chain.event.EcdsaSignature;
import io.layerproof.chain.event.EnvelopeVerifier;
import io.layerproof.chain.event.EventSigner;
import io.layerproof.chain.event.LedgerDomain;
import io.layerproof.chain.event.LedgerEvent;
import io.layerproof.chain.event.NodeKey;
import io.layerproof.chain.event.SignedEvent;
import io.layerproof.chain.event.VerifiedEvent;
import io.layerproof.chain.ledger.EventLog;
import io.layerproof.chain.ledger.IndexedEvent;
import io.layerproof.chain.ledger.anchor.AnchorOutcome;
import io.layerproof.chain.ledger.anchor.BatchAnchorer;
import io.layerproof.chain.ledger.anchor.ContractAnchorChain;
import io.layerproof.chain.ledger.anchor.RetryPolicy;
import java.util.List;
import java.util.Objects;

/**
 * The sequencer's hold on the event ledger: every event is verified (envelope and buyer signatures,
 * domain) before it gets an index, appends are serialised so each author's sequence numbers arrive
 * in order, and {@link #anchor} seals what is open and posts the batch roots to LedgerAnchor.
 *
 * <p>The devnet runs one sequencer, so it appends directly to its RocksDB log; a multi-node network
 * puts the sequencing protocol ({@code node.sequencing}) in front of the same log.
 */
public final class SequencerLedger {

  private final EventLog log;
  private final LedgerDomain domain;
  private final EnvelopeVerifier verifier;
  private final BatchAnchorer anchorer;

  /**
   * @param log the ledger (the caller closes it)
   * @param sequencer the sequencer's contract handles: LedgerAnchor accepts its roots
   */
  public SequencerLedger(EventLog log, LayerproofContracts sequencer) {
    this.log = Objects.requireNonNull(log, "log");
    this.domain = LedgerDomain.of(sequencer.chainId(), sequencer.addresses().market());
    this.verifier = new EnvelopeVerifier(domain);
    this.anchorer =
        new BatchAnchorer(log, new ContractAnchorChain(sequencer), RetryPolicy.defaults());
  }

  public LedgerDomain domain() {
    return domain;
  }

  /** The log, for readers (audits, job views). */
  public EventLog log() {
    return log;
  }

  /** A signer for {@code key} that continues where the ledger has its sequence. */
  public synchronized EventSigner signer(NodeKey key) {
    return new EventSigner(key, domain, log.nextSeq(key.id()));
  }

  /**
   * Checks an envelope that arrived from another node (size, canonical form, domain, signature)
   * without appending it.
   *
   * @throws io.layerproof.chain.event.EventRejectedException if it does not verify
   */
  public VerifiedEvent verify(byte[] wire) {
    return verifier.verify(wire);
  }

  /** Appends an envelope {@link #verify} accepted. */
  public synchronized IndexedEvent append(VerifiedEvent event) {
    return log.append(event);
  }

  /** Submits in this process for {@code key}'s node (what the devnet's tests may use). */
  public EventSubmitter submitterFor(NodeKey key) {
    return new EventSubmitter() {
      @Override
      public long nextSeq() {
        return log.nextSeq(key.id());
      }

      @Override
      public long submit(SignedEvent event) {
        return append(event).index();
      }
    };
  }

  /** Verifies and appends an event signed elsewhere. */
  public synchronized IndexedEvent append(SignedEvent event) {
    return log.append(verifier.verify(event.toWire()));
  }

  /** Signs {@code event} as {@code signer} and appends it, as one step. */
  public synchronized IndexedEvent append(EventSigner signer, LedgerEvent event) {
    return append(signer.sign(event));
  }

  /** Signs an event the buyer authorised (carrying the buyer's signature) and appends it. */
  public synchronized IndexedEvent append(
      EventSigner signer, LedgerEvent event, EcdsaSignature buyer) {
    return append(signer.sign(event, buyer));
  }

  /** Whether the ledger already holds an event of {@code type} for {@code job}. */
  public synchronized boolean has(Bytes32 job, Class<? extends LedgerEvent> type) {
    for (long i : log.indicesOfJob(job)) {
      if (type.isInstance(log.get(i).orElseThrow().envelope().event())) {
        return true;
      }
    }
    return false;
  }

  /**
   * Seals the open batch (if any events are in it) and anchors every sealed batch not yet on chain.
   */
  public synchronized List<AnchorOutcome> anchor() {
    log.seal();
    return anchorer.anchorAll();
  }
}
