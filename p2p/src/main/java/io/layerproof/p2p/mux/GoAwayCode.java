package io.layerproof.p2p.mux;

/** GoAway reasons, carried in the header's length field. */
public enum GoAwayCode {
  NORMAL(0),
  PROTOCOL_ERROR(1),
  INTERNAL_ERROR(2);

  private final int code;

  GoAwayCode(int code) {
    this.code = code;
  }

  public int code() {
    return code;
  }
}
