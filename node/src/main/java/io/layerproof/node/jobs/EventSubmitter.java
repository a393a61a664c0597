package io.layerproof.node.jobs;

import io.layerproof.chain.event.SignedEvent;

/**
 * Where a node that is not the sequencer (a verifier) puts its signed ledger events: the
 * sequencer's ledger in this process ({@link SequencerLedger#submitterFor}) or across the network
 * ({@code node/intake/P2pEventSubmitter}). One submitter speaks for one node key.
 */
public interface EventSubmitter {

  /** The ledger's next sequence number for this submitter's key. */
  long nextSeq();

  /**
   * Has the sequencer verify and append {@code event}.
   *
   * @return its ledger index
   * @throws RuntimeException if it was refused or could not be delivered
   */
  long submit(SignedEvent event);
}
