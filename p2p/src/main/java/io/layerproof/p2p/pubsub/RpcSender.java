package io.layerproof.p2p.pubsub;

import io.layerproof.p2p.identity.PeerId;

/** Where the router's output goes: the transport frames and writes it on the peer's stream. */
@FunctionalInterface
public interface RpcSender {
  void send(PeerId to, Rpc rpc);
}
