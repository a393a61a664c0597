package io.layerproof.p2p.identity;

import java.util.Arrays;
import java.util.HexFormat;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;

/** A peer's Ed25519 public key (the only key type this network issues and accepts). */
public final class PeerPublicKey {

  public static final int SIZE = Ed25519PublicKeyParameters.KEY_SIZE;

  private final byte[] raw;

  private PeerPublicKey(byte[] raw) {
    this.raw = raw;
  }

  /** From the 32 raw key bytes. */
  public static PeerPublicKey ofRaw(byte[] raw) {
    if (raw.length != SIZE) {
      throw new IllegalArgumentException("an Ed25519 public key is 32 bytes, got " + raw.length);
    }
    return new PeerPublicKey(raw.clone());
  }

  /**
   * From the libp2p {@code PublicKey} protobuf.
   *
   * @throws IllegalArgumentException if malformed, not deterministic, or not Ed25519
   */
  public static PeerPublicKey fromProtobuf(byte[] encoded) {
    KeyProto.Decoded d = KeyProto.decode(encoded);
    if (d.type() != KeyProto.ED25519) {
      throw new IllegalArgumentException("unsupported key type " + d.type() + " (only Ed25519)");
    }
    return ofRaw(d.data());
  }

  public byte[] raw() {
    return raw.clone();
  }

  /** The libp2p {@code PublicKey} protobuf: what peer ids hash and handshakes carry. */
  public byte[] toProtobuf() {
    return KeyProto.encode(KeyProto.ED25519, raw);
  }

  public PeerId peerId() {
    return PeerId.fromPublicKey(this);
  }

  /** Ed25519 (RFC 8032) verification of {@code signature} over {@code message}. */
  public boolean verify(byte[] message, byte[] signature) {
    if (signature == null || signature.length != 64) {
      return false;
    }
    Ed25519Signer v = new Ed25519Signer();
    v.init(false, new Ed25519PublicKeyParameters(raw, 0));
    v.update(message, 0, message.length);
    return v.verifySignature(signature);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PeerPublicKey k && Arrays.equals(raw, k.raw);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(raw);
  }

  @Override
  public String toString() {
    return "Ed25519:" + HexFormat.of().formatHex(raw);
  }
}
