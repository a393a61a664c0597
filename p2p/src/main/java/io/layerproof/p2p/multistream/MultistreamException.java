package io.layerproof.p2p.multistream;

/** A multistream-select negotiation failed: no common protocol, a protocol error, or a timeout. */
public final class MultistreamException extends Exception {
  public MultistreamException(String message) {
    super(message);
  }
}
