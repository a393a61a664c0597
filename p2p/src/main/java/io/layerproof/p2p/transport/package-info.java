/**
 * TCP connections and their upgrade (security, then muxer negotiation) into {@link
 * io.layerproof.p2p.transport.UpgradedConnection}s handed to a {@link
 * io.layerproof.p2p.transport.MuxerFactory}.
 */
package io.layerproof.p2p.transport;
