package io.layerproof.chain.event;

import com.fasterxml.jackson.annotation.JsonCreator;

/** A node's identity: its 32-byte Ed25519 public key (RFC 8032 encoding). */
public final class NodeId extends ByteValue implements Comparable<NodeId> {

  private NodeId(byte[] bytes) {
    super(bytes, 32, "node id");
  }

  public static NodeId of(byte[] publicKey) {
    return new NodeId(publicKey);
  }

  @JsonCreator
  public static NodeId fromHex(String hex) {
    return new NodeId(parseHex(hex, 32, "node id"));
  }

  @Override
  public int compareTo(NodeId o) {
    return compareBytes(o);
  }
}
