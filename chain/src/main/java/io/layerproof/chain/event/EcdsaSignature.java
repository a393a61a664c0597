package io.layerproof.chain.event;

import com.fasterxml.jackson.annotation.JsonCreator;

/** A 65-byte secp256k1 signature r || s || v (v = 27 or 28), as wallets and OpenZeppelin use. */
public final class EcdsaSignature extends ByteValue {

  private EcdsaSignature(byte[] bytes) {
    super(bytes, 65, "ECDSA signature");
  }

  public static EcdsaSignature of(byte[] bytes) {
    return new EcdsaSignature(bytes);
  }

  @JsonCreator
  public static EcdsaSignature fromHex(String hex) {
    return new EcdsaSignature(parseHex(hex, 65, "ECDSA signature"));
  }
}
