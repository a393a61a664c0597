package io.layerproof.p2p.identity;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Arrays;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;

/**
 * A node's Ed25519 identity key: signs handshake payloads and gossip messages. Stored on disk as
 * the libp2p {@code PrivateKey} protobuf (Data = 32-byte seed followed by the 32-byte public key,
 * the form go- and js-libp2p write), owner-only, so other libp2p tools can load it.
 */
public final class PeerKey {

  private static final SecureRandom RANDOM = new SecureRandom();

  private final Ed25519PrivateKeyParameters key;
  private final PeerPublicKey publicKey;
  private final PeerId peerId;

  private PeerKey(Ed25519PrivateKeyParameters key) {
    this.key = key;
    this.publicKey = PeerPublicKey.ofRaw(key.generatePublicKey().getEncoded());
    this.peerId = publicKey.peerId();
  }

  public static PeerKey generate() {
    return new PeerKey(new Ed25519PrivateKeyParameters(RANDOM));
  }

  /** From a 32-byte seed. */
  public static PeerKey ofSeed(byte[] seed) {
    if (seed.length != Ed25519PrivateKeyParameters.KEY_SIZE) {
      throw new IllegalArgumentException("an Ed25519 seed is 32 bytes, got " + seed.length);
    }
    return new PeerKey(new Ed25519PrivateKeyParameters(seed, 0));
  }

  /**
   * From the libp2p {@code PrivateKey} protobuf (Data = seed || public key, or the bare seed).
   *
   * @throws IllegalArgumentException if malformed, not Ed25519, or the public half does not match
   */
  public static PeerKey fromProtobuf(byte[] encoded) {
    KeyProto.Decoded d = KeyProto.decode(encoded);
    if (d.type() != KeyProto.ED25519) {
      throw new IllegalArgumentException("unsupported key type " + d.type() + " (only Ed25519)");
    }
    byte[] data = d.data();
    if (data.length != 32 && data.length != 64) {
      throw new IllegalArgumentException("an Ed25519 private key is 32 or 64 bytes");
    }
    PeerKey k = ofSeed(Arrays.copyOf(data, 32));
    if (data.length == 64 && !Arrays.equals(Arrays.copyOfRange(data, 32, 64), k.publicKey.raw())) {
      throw new IllegalArgumentException("the stored public key does not match the seed");
    }
    return k;
  }

  /** The libp2p {@code PrivateKey} protobuf (seed || public key). */
  public byte[] toProtobuf() {
    byte[] data = new byte[64];
    key.encode(data, 0);
    System.arraycopy(publicKey.raw(), 0, data, 32, 32);
    return KeyProto.encode(KeyProto.ED25519, data);
  }

  /**
   * The key in {@code file}, made (owner-only, written atomically) if the file does not exist.
   *
   * @throws UncheckedIOException if the file cannot be read or written
   * @throws IllegalArgumentException if the file holds no valid key
   */
  public static PeerKey loadOrCreate(Path file) {
    try {
      if (Files.exists(file)) {
        return fromProtobuf(Files.readAllBytes(file));
      }
      PeerKey k = generate();
      Path dir = file.toAbsolutePath().getParent();
      Files.createDirectories(dir);
      Path tmp = Files.createTempFile(dir, file.getFileName().toString(), ".tmp");
      try {
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
      } catch (UnsupportedOperationException notPosix) {
        // Best effort on file systems without POSIX permissions.
      }
      Files.write(tmp, k.toProtobuf());
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
      return k;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read or write the peer key " + file, e);
    }
  }

  public PeerPublicKey publicKey() {
    return publicKey;
  }

  public PeerId peerId() {
    return peerId;
  }

  /** Ed25519 signature (64 bytes) over {@code message}. */
  public byte[] sign(byte[] message) {
    Ed25519Signer s = new Ed25519Signer();
    s.init(true, key);
    s.update(message, 0, message.length);
    return s.generateSignature();
  }

  /** Never prints key material. */
  @Override
  public String toString() {
    return "PeerKey[" + peerId + "]";
  }
}
