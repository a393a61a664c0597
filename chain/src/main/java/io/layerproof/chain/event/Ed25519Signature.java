package io.layerproof.chain.event;

import com.fasterxml.jackson.annotation.JsonCreator;

/** A 64-byte Ed25519 signature (RFC 8032: R || S). */
public final class Ed25519Signature extends ByteValue {

  private Ed25519Signature(byte[] bytes) {
    super(bytes, 64, "Ed25519 signature");
  }

  public static Ed25519Signature of(byte[] bytes) {
    return new Ed25519Signature(bytes);
  }

  @JsonCreator
  public static Ed25519Signature fromHex(String hex) {
    return new Ed25519Signature(parseHex(hex, 64, "Ed25519 signature"));
  }
}
