package io.layerproof.p2p.identity;

import java.io.ByteArrayOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Optional;

/**
 * A libp2p peer id: the multihash of the peer's {@code PublicKey} protobuf (identity multihash when
 * it is at most 42 bytes, as an Ed25519 key is; SHA2-256 otherwise). Written as base58btc (the
 * legacy form every implementation prints: {@code 12D3KooW...}, {@code Qm...}); parsed from that or
 * from a CIDv1 with the {@code libp2p-key} codec ({@code bafz...}).
 */
public final class PeerId implements Comparable<PeerId> {

  static final int IDENTITY = 0x00;
  static final int SHA2_256 = 0x12;
  static final int LIBP2P_KEY = 0x72;
  static final int MAX_INLINE_KEY = 42;

  /** Longest multihash accepted: a 1-byte code, a 1-byte length and up to 64 bytes. */
  static final int MAX_BYTES = 66;

  private final byte[] multihash;

  private PeerId(byte[] multihash) {
    this.multihash = multihash;
  }

  public static PeerId fromPublicKey(PeerPublicKey key) {
    byte[] proto = key.toProtobuf();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    if (proto.length <= MAX_INLINE_KEY) {
      Varint.write(out, IDENTITY);
      Varint.write(out, proto.length);
      out.writeBytes(proto);
    } else {
      Varint.write(out, SHA2_256);
      Varint.write(out, 32);
      out.writeBytes(sha256(proto));
    }
    return new PeerId(out.toByteArray());
  }

  /**
   * From multihash bytes (as carried in gossip {@code from} fields and multiaddrs).
   *
   * @throws IllegalArgumentException unless an identity or SHA2-256 multihash of the right length
   */
  public static PeerId fromBytes(byte[] multihash) {
    if (multihash.length > MAX_BYTES) {
      throw new IllegalArgumentException("peer id longer than " + MAX_BYTES + " bytes");
    }
    int[] pos = {0};
    long code = Varint.read(multihash, pos);
    long length = Varint.read(multihash, pos);
    if (length != multihash.length - pos[0]) {
      throw new IllegalArgumentException("multihash length " + length + " does not match");
    }
    if (code == SHA2_256 && length != 32) {
      throw new IllegalArgumentException("a SHA2-256 multihash has 32 bytes");
    }
    if (code == IDENTITY) {
      if (length > MAX_INLINE_KEY) {
        throw new IllegalArgumentException("an identity peer id inlines at most 42 bytes");
      }
    } else if (code != SHA2_256) {
      throw new IllegalArgumentException("unsupported multihash code " + code);
    }
    return new PeerId(multihash.clone());
  }

  /**
   * From text: base58btc ({@code 1...} or {@code Qm...}) or a base32 CIDv1 ({@code b...}) with the
   * libp2p-key codec.
   *
   * @throws IllegalArgumentException if it is neither
   */
  public static PeerId fromString(String s) {
    if (s == null || s.isEmpty() || s.length() > 128) {
      throw new IllegalArgumentException("not a peer id");
    }
    if (s.startsWith("1") || s.startsWith("Qm")) {
      return fromBytes(Multibase.decodeBase58(s));
    }
    if (s.startsWith("b")) {
      byte[] cid = Multibase.decodeBase32(s.substring(1));
      int[] pos = {0};
      if (Varint.read(cid, pos) != 1) {
        throw new IllegalArgumentException("not a CIDv1");
      }
      if (Varint.read(cid, pos) != LIBP2P_KEY) {
        throw new IllegalArgumentException("a peer id CID has the libp2p-key codec");
      }
      return fromBytes(Arrays.copyOfRange(cid, pos[0], cid.length));
    }
    throw new IllegalArgumentException("not a peer id: " + s);
  }

  public byte[] toBytes() {
    return multihash.clone();
  }

  public String toBase58() {
    return Multibase.base58(multihash);
  }

  /** The CIDv1 form, base32 with the {@code b} prefix. */
  public String toCid() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Varint.write(out, 1);
    Varint.write(out, LIBP2P_KEY);
    out.writeBytes(multihash);
    return "b" + Multibase.base32(out.toByteArray());
  }

  /** The public key, when the id inlines it (identity multihash of an Ed25519 key). */
  public Optional<PeerPublicKey> publicKey() {
    if (multihash[0] != IDENTITY) {
      return Optional.empty();
    }
    try {
      return Optional.of(
          PeerPublicKey.fromProtobuf(Arrays.copyOfRange(multihash, 2, multihash.length)));
    } catch (IllegalArgumentException notEd25519) {
      return Optional.empty();
    }
  }

  /** Whether {@code key} is this peer's key. */
  public boolean matches(PeerPublicKey key) {
    return equals(fromPublicKey(key));
  }

  private static byte[] sha256(byte[] data) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(data);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public int compareTo(PeerId o) {
    return Arrays.compareUnsigned(multihash, o.multihash);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PeerId p && Arrays.equals(multihash, p.multihash);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(multihash);
  }

  @Override
  public String toString() {
    return toBase58();
  }
}
