package io.layerproof.chain.event;

/**
 * A request to do something, in the imperative. A command is not a fact: the node that handles it
 * decides, and records what happened as a {@link LedgerEvent} (PostJob becomes JobPosted,
 * PlaceShards becomes ShardsAssigned, ...). Commands are never stored in the ledger.
 */
public sealed interface Command
    permits PostJob, JoinNetwork, PlaceShards, CommitLayers, VerifyShard, SettleJob, AnchorBatch {}
