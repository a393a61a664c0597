package io.layerproof.p2p.transport;

import java.util.List;

/**
 * Plugs a stream muxer into upgraded connections. Called on the channel's event loop once the muxer
 * protocol is agreed, for dialed and accepted connections alike; the implementation adds its
 * handlers with {@code connection.channel().pipeline().addLast(...)} and they receive every byte
 * that follows, including any the remote pipelined after the muxer negotiation.
 */
@FunctionalInterface
public interface MuxerFactory {

  String YAMUX = "/yamux/1.0.0";

  void install(UpgradedConnection connection) throws Exception;

  /** Muxer protocol ids, in order of preference. */
  default List<String> protocols() {
    return List.of(YAMUX);
  }
}
