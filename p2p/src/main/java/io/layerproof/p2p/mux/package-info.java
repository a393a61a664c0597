/**
 * Stream multiplexing: yamux ({@code /yamux/1.0.0}), wire-compatible with go-yamux and
 * {@code @chainsafe/libp2p-yamux}.
 *
 * <p>{@link io.layerproof.p2p.mux.YamuxMuxer#install} puts a frame decoder, an encoder and the
 * session handler at the end of a channel that already carries plaintext (after Noise). Protocols
 * above use {@link io.layerproof.p2p.mux.Muxer} and {@link io.layerproof.p2p.mux.MuxStream}.
 *
 * <p>Flow control: each stream starts with the spec's 256 KiB window on both sides. A receiver
 * reopens its window only after the application's {@code onData} returned (batched until half of it
 * was consumed) and may grow it up to {@link io.layerproof.p2p.mux.YamuxConfig#maxReceiveWindow}. A
 * sender splits writes into frames within the peer's window and completes a write's future when the
 * last byte went out, so awaiting it is backpressure.
 *
 * <p>Memory is bounded everywhere: the decoder checks a Data frame's declared length against the
 * stream's window before buffering its body; unread data, queued writes, unaccepted streams and
 * outstanding pings all have limits; data is only pumped into the channel while it is writable.
 * Protocol errors are logged and answered with GoAway(1), then the connection closes.
 */
package io.layerproof.p2p.mux;
