package io.layerproof.node.bus;

/** Bytes from a peer that do not decode into a valid message; the message says what is wrong. */
public final class MalformedMessageException extends Exception {
  public MalformedMessageException(String reason) {
    super(reason);
  }
}
