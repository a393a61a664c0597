package io.layerproof.node.devnet;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.HexFormat;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.Keys;

/**
 * The devnet's demo keys, made on first run and kept in the data folder (owner-only files). They
 * are development keys for a local chain: never printed, never committed. Real operators use
 * keystores (see the wallet module).
 */
final class DevKeyStore {

  private final Path dir;

  DevKeyStore(Path dir) {
    this.dir = dir;
  }

  /** Loads the named account, creating its keys if this data folder has none yet. */
  DevAccount loadOrCreate(String name) {
    try {
      Files.createDirectories(dir);
      Credentials wallet = Credentials.create(readOrCreate(name + ".eth", DevKeyStore::newWallet));
      KeyPair node = decodeEd25519(readOrCreate(name + ".ed25519", DevKeyStore::newNodeKey));
      return new DevAccount(name, wallet, node);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read or write keys in " + dir, e);
    }
  }

  private String readOrCreate(String file, java.util.function.Supplier<String> fresh)
      throws IOException {
    Path path = dir.resolve(file);
    if (Files.exists(path)) {
      return Files.readString(path, StandardCharsets.US_ASCII).trim();
    }
    String value = fresh.get();
    Path tmp = Files.createTempFile(dir, file, ".tmp");
    try {
      Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
    } catch (UnsupportedOperationException notPosix) {
      // Best effort on file systems without POSIX permissions.
    }
    Files.writeString(tmp, value + "\n", StandardCharsets.US_ASCII);
    Files.move(tmp, path, StandardCopyOption.ATOMIC_MOVE);
    return value;
  }

  private static String newWallet() {
    try {
      return Keys.createEcKeyPair().getPrivateKey().toString(16);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("no secp256k1 key generator", e);
    }
  }

  /** PKCS#8 private key, then X.509 public key, hex, separated by a colon. */
  private static String newNodeKey() {
    try {
      KeyPair kp = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
      HexFormat hex = HexFormat.of();
      return hex.formatHex(kp.getPrivate().getEncoded())
          + ":"
          + hex.formatHex(kp.getPublic().getEncoded());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("no Ed25519 key generator", e);
    }
  }

  private static KeyPair decodeEd25519(String stored) {
    String[] parts = stored.split(":");
    if (parts.length != 2) {
      throw new IllegalStateException("malformed Ed25519 key file");
    }
    try {
      KeyFactory kf = KeyFactory.getInstance("Ed25519");
      HexFormat hex = HexFormat.of();
      PrivateKey priv = kf.generatePrivate(new PKCS8EncodedKeySpec(hex.parseHex(parts[0])));
      PublicKey pub = kf.generatePublic(new X509EncodedKeySpec(hex.parseHex(parts[1])));
      return new KeyPair(pub, priv);
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      throw new IllegalStateException("malformed Ed25519 key file", e);
    }
  }
}
