package io.layerproof.node.bus;

import io.layerproof.chain.event.NodeId;

/**
 * A message as it arrives. {@code from} is the sender as the transport authenticated it (a Noise
 * session on p2p); the bytes are untrusted and are decoded, bounded and checked by the receiver.
 */
public record Inbound(NodeId from, Topic topic, byte[] payload) {}
