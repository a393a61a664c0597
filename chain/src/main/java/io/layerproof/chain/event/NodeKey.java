package io.layerproof.chain.event;

import java.security.SecureRandom;
import org.bouncycastle.math.ec.rfc8032.Ed25519;

/**
 * A node's Ed25519 signing key (RFC 8032, Bouncy Castle's low-level API). {@link #toString} shows
 * only the public key: the seed must never reach a log.
 */
public final class NodeKey {

  private static final SecureRandom RANDOM = new SecureRandom();

  private final byte[] seed;
  private final NodeId id;

  private NodeKey(byte[] seed) {
    if (seed.length != Ed25519.SECRET_KEY_SIZE) {
      throw new IllegalArgumentException("an Ed25519 seed is 32 bytes");
    }
    this.seed = seed.clone();
    byte[] pk = new byte[Ed25519.PUBLIC_KEY_SIZE];
    Ed25519.generatePublicKey(this.seed, 0, pk, 0);
    this.id = NodeId.of(pk);
  }

  /** The key whose RFC 8032 private seed is {@code seed} (32 bytes). */
  public static NodeKey fromSeed(byte[] seed) {
    return new NodeKey(seed);
  }

  public static NodeKey generate() {
    byte[] seed = new byte[Ed25519.SECRET_KEY_SIZE];
    RANDOM.nextBytes(seed);
    return new NodeKey(seed);
  }

  public NodeId id() {
    return id;
  }

  public Ed25519Signature sign(byte[] message) {
    byte[] sig = new byte[Ed25519.SIGNATURE_SIZE];
    Ed25519.sign(seed, 0, message, 0, message.length, sig, 0);
    return Ed25519Signature.of(sig);
  }

  @Override
  public String toString() {
    return "NodeKey[" + id + "]";
  }
}
