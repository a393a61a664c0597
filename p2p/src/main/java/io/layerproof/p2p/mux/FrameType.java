package io.layerproof.p2p.mux;

/** The yamux message types (the second header byte). */
public enum FrameType {
  DATA(0),
  WINDOW_UPDATE(1),
  PING(2),
  GO_AWAY(3);

  private static final FrameType[] BY_CODE = values();

  private final int code;

  FrameType(int code) {
    this.code = code;
  }

  public int code() {
    return code;
  }

  /** Returns the type for a wire code, or null when the code is unknown. */
  public static FrameType fromCode(int code) {
    return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : null;
  }
}
