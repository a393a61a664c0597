package io.layerproof.p2p.mux;

/** The yamux header flags (a 16-bit field; unknown bits are ignored, as go-yamux does). */
public final class Flags {
  public static final int NONE = 0;

  /** Opens a stream, or asks for a ping reply. */
  public static final int SYN = 1;

  /** Acknowledges a stream open, or answers a ping. */
  public static final int ACK = 2;

  /** Half-close. */
  public static final int FIN = 4;

  /** Reset. */
  public static final int RST = 8;

  private Flags() {}
}
