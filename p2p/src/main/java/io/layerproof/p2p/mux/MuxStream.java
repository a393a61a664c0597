package io.layerproof.p2p.mux;

import io.netty.buffer.ByteBuf;
import java.util.concurrent.CompletableFuture;

/**
 * One bidirectional stream of a multiplexed connection. Callbacks run on the connection's event
 * loop.
 */
public interface MuxStream {
  int id();

  /** True when this side opened the stream. */
  boolean initiator();

  /**
   * Queues bytes (takes ownership of the ByteBuf); completes once all of it went out within the
   * peer's flow-control window, fails if the stream is reset/closed. Writes larger than the window
   * are split and wait for window updates: this is the backpressure senders rely on.
   */
  CompletableFuture<Void> write(ByteBuf data);

  /** Data that arrives before a handler is set is buffered (bounded by the window). */
  void setHandler(StreamHandler handler);

  /** Half-close: sends FIN once queued writes went out. */
  void closeWrite();

  /** Abrupt close: RST. */
  void reset();

  boolean isOpen();
}
