package io.layerproof.p2p.pubsub;

import java.util.List;

/** The protocol ids the router speaks, in preference order for multistream-select. */
public final class GossipProtocols {
  public static final String MESHSUB_V11 = "/meshsub/1.1.0";

  /** v1.0 peers: no peer exchange or backoff in PRUNE. */
  public static final String MESHSUB_V10 = "/meshsub/1.0.0";

  public static final List<String> SUPPORTED = List.of(MESHSUB_V11, MESHSUB_V10);

  private GossipProtocols() {}

  public static boolean isSupported(String protocol) {
    return SUPPORTED.contains(protocol);
  }
}
