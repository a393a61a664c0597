/**
 * Signed ledger events from other nodes into the sequencer's ledger over libp2p: {@link
 * EventIntake} serves {@code /layerproof/ledger/1.0.0} on the sequencer's host, {@link
 * P2pEventSubmitter} is a node's side of it.
 */
package io.layerproof.node.intake;
