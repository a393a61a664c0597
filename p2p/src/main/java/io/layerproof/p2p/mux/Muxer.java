package io.layerproof.p2p.mux;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/** A stream multiplexer over one secured connection. */
public interface Muxer extends AutoCloseable {
  CompletableFuture<MuxStream> openStream();

  /** Receives streams the peer opens (on the connection's event loop). */
  void onInboundStream(Consumer<MuxStream> acceptor);

  /** Round trip of one yamux ping. */
  CompletableFuture<Duration> ping();

  boolean isOpen();

  /** GoAway (normal), then closes the channel. */
  @Override
  void close();
}
