/**
 * GossipSub v1.1 ({@code /meshsub/1.1.0}, and v1.0 peers) as a transport-independent state machine,
 * wire-compatible with go-libp2p-pubsub and js gossipsub.
 *
 * <ul>
 *   <li>{@link io.layerproof.p2p.pubsub.RpcCodec} and {@link
 *       io.layerproof.p2p.pubsub.RpcFrameDecoder}: the {@code RPC} protobuf, strict and bounded by
 *       {@link io.layerproof.p2p.pubsub.RpcLimits}, framed by an unsigned varint length.
 *   <li>{@link io.layerproof.p2p.pubsub.MessageSigning}: StrictSign ({@code libp2p-pubsub:} prefix,
 *       Ed25519).
 *   <li>{@link io.layerproof.p2p.pubsub.GossipRouter}: mesh, fanout, gossip, scoring. The transport
 *       feeds it peers and decoded RPCs on one executor and writes what {@link
 *       io.layerproof.p2p.pubsub.RpcSender} is given; time comes from a {@link
 *       io.layerproof.p2p.pubsub.Scheduler}.
 * </ul>
 */
package io.layerproof.p2p.pubsub;
