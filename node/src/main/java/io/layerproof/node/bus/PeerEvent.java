package io.layerproof.node.bus;

import io.layerproof.chain.event.NodeId;

/** A peer became reachable ({@code up}) or unreachable; the election treats either as a change. */
public record PeerEvent(NodeId peer, boolean up) {}
