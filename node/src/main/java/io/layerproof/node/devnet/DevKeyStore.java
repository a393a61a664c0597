package io.layerproof.node.devnet;

import io.layerproof.chain.event.NodeKey;
import io.layerproof.p2p.identity.PeerKey;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.HexFormat;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.Keys;

/**
 * The devnet's demo keys, made on first run and kept in the data folder (owner-only files). They
 * are development keys for a local chain: never printed, never committed. Real operators use
 * keystores (see the wallet module).
 */
final class DevKeyStore {

  private static final SecureRandom RANDOM = new SecureRandom();

  private final Path dir;

  DevKeyStore(Path dir) {
    this.dir = dir;
  }

  /** Loads the named account, creating its keys if this data folder has none yet. */
  DevAccount loadOrCreate(String name) {
    try {
      Files.createDirectories(dir);
      Credentials wallet = Credentials.create(readOrCreate(name + ".eth", DevKeyStore::newWallet));
      String seed = readOrCreate(name + ".node-key", DevKeyStore::newNodeKey);
      return new DevAccount(name, wallet, decodeNodeKey(seed), decodePeerKey(seed));
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

  /** The RFC 8032 seed, hex: the ledger's {@link NodeKey} signs with it. */
  private static String newNodeKey() {
    byte[] seed = new byte[32];
    RANDOM.nextBytes(seed);
    return HexFormat.of().formatHex(seed);
  }

  /** The same seed as the libp2p identity: the peer id then names the registered node key. */
  private static PeerKey decodePeerKey(String stored) {
    try {
      return PeerKey.ofSeed(HexFormat.of().parseHex(stored));
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException("malformed node key file (expected a 32-byte hex seed)");
    }
  }

  private static NodeKey decodeNodeKey(String stored) {
    try {
      return NodeKey.fromSeed(HexFormat.of().parseHex(stored));
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException("malformed node key file (expected a 32-byte hex seed)");
    }
  }
}
