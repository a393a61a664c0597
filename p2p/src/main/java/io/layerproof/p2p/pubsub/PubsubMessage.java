package io.layerproof.p2p.pubsub;

import com.google.protobuf.ByteString;

/**
 * The pubsub {@code Message}: every field is optional on the wire, so absent fields are {@code
 * null} here (presence matters: the signature covers exactly the fields that were sent).
 *
 * @param from the author's peer id (multihash bytes)
 * @param data the payload
 * @param seqno 8-byte big-endian sequence number, unique per author
 * @param topic the topic it was published to
 * @param signature Ed25519 signature over {@code "libp2p-pubsub:" || message without signature/key}
 * @param key the author's {@code PublicKey} protobuf, only when {@code from} does not inline it
 */
public record PubsubMessage(
    ByteString from,
    ByteString data,
    ByteString seqno,
    String topic,
    ByteString signature,
    ByteString key) {

  /** The same message without signature and key: what the author signs. */
  public PubsubMessage unsigned() {
    return new PubsubMessage(from, data, seqno, topic, null, null);
  }

  public PubsubMessage withSignature(ByteString signature, ByteString key) {
    return new PubsubMessage(from, data, seqno, topic, signature, key);
  }

  /** Payload bytes (empty when absent). */
  public byte[] dataBytes() {
    return data == null ? new byte[0] : data.toByteArray();
  }
}
