package io.layerproof.p2p.protocol;

/** The protocol ids this node speaks (multistream-select names). */
public final class ProtocolIds {

  public static final String IDENTIFY = "/ipfs/id/1.0.0";
  public static final String PING = "/ipfs/ping/1.0.0";
  public static final String REQUEST_RESPONSE = "/layerproof/reqresp/1.0.0";
  public static final String GOSSIPSUB_V11 = "/meshsub/1.1.0";
  public static final String GOSSIPSUB_V10 = "/meshsub/1.0.0";
  public static final String NOISE = "/noise";
  public static final String YAMUX = "/yamux/1.0.0";

  /** The identify protocolVersion libp2p peers announce. */
  public static final String PROTOCOL_VERSION = "ipfs/0.1.0";

  /** Longest protocol id this node registers (multistream-select allows more; ours stay short). */
  public static final int MAX_ID_LENGTH = 128;

  /**
   * Checks an application protocol id: {@code /}-rooted, printable ASCII, no newline (the
   * multistream-select delimiter), at most {@link #MAX_ID_LENGTH} characters.
   */
  public static String requireValid(String id) {
    if (id == null
        || id.length() < 2
        || id.length() > MAX_ID_LENGTH
        || id.charAt(0) != '/'
        || !id.chars().allMatch(ch -> ch > 0x20 && ch < 0x7f)) {
      throw new IllegalArgumentException("not a usable protocol id: " + id);
    }
    return id;
  }

  private ProtocolIds() {}
}
