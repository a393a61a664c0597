package io.layerproof.node.bus;

import io.layerproof.chain.event.NodeId;
import java.util.function.Consumer;

/**
 * The narrow view of the network that election and event routing use: one node's endpoint. The
 * in-memory network implements it for tests and the devnet; p2p gossip implements it for real
 * nodes.
 *
 * <p>Delivery is best effort: a message may be lost (and the protocols above retry), but it is
 * never duplicated into a different message. Handlers run on the node's {@link Scheduler}, one at a
 * time, so the code above needs no locks.
 */
public interface Bus {
  NodeId self();

  /** Sends to every currently reachable peer subscribed to {@code topic}, not to self. */
  void publish(Topic topic, byte[] payload);

  /** Sends to one peer; to self it is delivered locally; to an unreachable peer it is lost. */
  void send(NodeId to, Topic topic, byte[] payload);

  void subscribe(Topic topic, Consumer<Inbound> handler);

  /** Reachability changes, starting with one "up" for each peer reachable when subscribing. */
  void onPeerEvent(Consumer<PeerEvent> listener);
}
