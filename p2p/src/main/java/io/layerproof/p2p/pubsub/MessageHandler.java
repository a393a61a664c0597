package io.layerproof.p2p.pubsub;

/** Receives each validated message of a subscribed topic once. */
@FunctionalInterface
public interface MessageHandler {
  void onMessage(String topic, PubsubMessage message);
}
