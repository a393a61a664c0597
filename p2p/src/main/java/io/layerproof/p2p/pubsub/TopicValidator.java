package io.layerproof.p2p.pubsub;

import io.layerproof.p2p.identity.PeerId;

/** Application validation of a topic's messages, after the signature check. Runs synchronously. */
@FunctionalInterface
public interface TopicValidator {
  ValidationResult validate(PeerId forwarder, PubsubMessage message);
}
