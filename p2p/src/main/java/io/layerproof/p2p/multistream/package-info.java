/**
 * multistream-select 1.0: {@link io.layerproof.p2p.multistream.MultistreamNegotiator} is the
 * I/O-free state machine (usable on a muxed stream as well as a connection); {@link
 * io.layerproof.p2p.multistream.MultistreamHandler} runs it on a Netty channel.
 */
package io.layerproof.p2p.multistream;
