package io.layerproof.p2p.security.noise;

/** The Noise handshake or transport failed: bad signature, wrong peer, bad frame, or timeout. */
public final class NoiseException extends Exception {
  public NoiseException(String message) {
    super(message);
  }

  public NoiseException(String message, Throwable cause) {
    super(message, cause);
  }
}
