package io.layerproof.node.sequencing;

import io.layerproof.chain.event.NodeId;
import io.layerproof.node.bus.Bus;
import io.layerproof.node.bus.Membership;
import io.layerproof.node.bus.Rejections;
import io.layerproof.node.bus.Scheduler;

/** What the sequencing parts of one node share: its bus, time, membership and settings. */
record Context(
    Bus bus,
    Scheduler scheduler,
    Membership membership,
    SequencingConfig config,
    Rejections rejections) {

  NodeId self() {
    return bus.self();
  }

  void send(NodeId to, SequencingMessage m) {
    bus.send(to, SequencingNode.TOPIC, SequencingCodec.encode(m));
  }

  void publish(SequencingMessage m) {
    bus.publish(SequencingNode.TOPIC, SequencingCodec.encode(m));
  }

  void reject(NodeId from, String reason) {
    rejections.reject(self(), from, reason);
  }

  long now() {
    return scheduler.nowMillis();
  }
}
