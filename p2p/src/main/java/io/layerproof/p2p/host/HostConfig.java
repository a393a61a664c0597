package io.layerproof.p2p.host;

import io.layerproof.p2p.mux.YamuxConfig;
import io.layerproof.p2p.pubsub.GossipConfig;
import io.layerproof.p2p.transport.TransportConfig;
import java.time.Duration;

/**
 * Settings of a {@link Host}.
 *
 * @param streamSelectTimeout a new stream must agree on its protocol within this
 * @param requestTimeout a request/response exchange must finish within this
 * @param maxRequestBytes largest request or response accepted (at most 16 MiB)
 * @param agentVersion what identify announces
 */
public record HostConfig(
    TransportConfig transport,
    YamuxConfig yamux,
    GossipConfig gossip,
    Duration streamSelectTimeout,
    Duration requestTimeout,
    int maxRequestBytes,
    String agentVersion) {

  public static HostConfig defaults() {
    return new HostConfig(
        TransportConfig.defaults(),
        // Windows may grow to 16 MiB (js-libp2p's maximum too): with the spec's 256 KiB a stream
        // moves at most one window per round trip, which caps hidden-state transfers.
        YamuxConfig.defaults().withMaxReceiveWindow(16 * 1024 * 1024),
        GossipConfig.DEFAULT,
        Duration.ofSeconds(10),
        Duration.ofSeconds(60),
        16 * 1024 * 1024,
        "layerproof/0.1.0");
  }

  public HostConfig withGossip(GossipConfig g) {
    return new HostConfig(
        transport, yamux, g, streamSelectTimeout, requestTimeout, maxRequestBytes, agentVersion);
  }

  public HostConfig withTransport(TransportConfig t) {
    return new HostConfig(
        t, yamux, gossip, streamSelectTimeout, requestTimeout, maxRequestBytes, agentVersion);
  }
}
