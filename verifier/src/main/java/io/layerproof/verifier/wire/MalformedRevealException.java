package io.layerproof.verifier.wire;

/**
 * Bytes that are not a well-formed reveal message within the limits. The message says what is wrong
 * and where, for logs and for the peer; it never carries a stack trace to anyone.
 */
public final class MalformedRevealException extends IllegalArgumentException {

  private static final long serialVersionUID = 1L;

  public MalformedRevealException(String message) {
    super(message);
  }

  MalformedRevealException(String message, Throwable cause) {
    super(message, cause);
  }
}
