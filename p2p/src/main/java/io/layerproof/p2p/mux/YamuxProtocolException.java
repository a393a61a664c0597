package io.layerproof.p2p.mux;

import io.netty.handler.codec.DecoderException;

/**
 * The peer broke the yamux protocol: the session answers with GoAway(protocol error) and closes.
 */
public class YamuxProtocolException extends DecoderException {
  public YamuxProtocolException(String message) {
    super(message);
  }
}
