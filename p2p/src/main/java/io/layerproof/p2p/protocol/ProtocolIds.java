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

  private ProtocolIds() {}
}
