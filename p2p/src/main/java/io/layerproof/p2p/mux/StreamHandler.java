package io.layerproof.p2p.mux;

import io.netty.buffer.ByteBuf;

/** Receives a stream's events on the connection's event loop. */
public interface StreamHandler {
  /** The handler owns {@code data} and must release it. */
  void onData(MuxStream stream, ByteBuf data);

  /** The peer half-closed (FIN): no more data will arrive. */
  default void onRemoteClose(MuxStream stream) {}

  /** The peer reset the stream or the connection went away. */
  default void onReset(MuxStream stream) {}
}
