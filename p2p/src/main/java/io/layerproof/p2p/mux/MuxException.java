package io.layerproof.p2p.mux;

import java.io.IOException;

/** Fails stream writes, opens and pings when a stream or the connection cannot serve them. */
public class MuxException extends IOException {
  public MuxException(String message) {
    super(message);
  }
}
