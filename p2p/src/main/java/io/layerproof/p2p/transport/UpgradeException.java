package io.layerproof.p2p.transport;

/** A connection could not be upgraded; the cause says which stage failed and why. */
public final class UpgradeException extends Exception {
  public UpgradeException(String message, Throwable cause) {
    super(message, cause);
  }
}
