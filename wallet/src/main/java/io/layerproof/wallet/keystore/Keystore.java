package io.layerproof.wallet.keystore;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.layerproof.chain.event.EthAddress;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Set;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.ECKeyPair;
import org.web3j.crypto.Keys;
import org.web3j.crypto.Sign;
import org.web3j.crypto.Wallet;
import org.web3j.crypto.WalletFile;
import org.web3j.crypto.exception.CipherException;

/**
 * An unlocked Ethereum JSON keystore (version 3, the format of geth, ethers and Web3j): the file it
 * came from and the credentials it holds.
 *
 * <p>New keystores use Web3j's standard scrypt parameters (N = 2^18, r = 8, p = 1) and AES-128-CTR.
 * Files are written owner-only (mode 0600) and atomically: the JSON goes to a temporary file in the
 * same folder, is flushed to disk, then linked into place, so a crash never leaves a half-written
 * keystore and an existing file is never overwritten.
 *
 * <p>The private key is never printed: {@link #toString()} shows the address and the file only, and
 * no exception message carries a key or a password.
 */
public final class Keystore {

  /** Owner read/write only. */
  public static final Set<PosixFilePermission> OWNER_ONLY =
      Set.copyOf(PosixFilePermissions.fromString("rw-------"));

  private static final Set<PosixFilePermission> OWNER_ONLY_DIR =
      Set.copyOf(PosixFilePermissions.fromString("rwx------"));

  /** Keystores are well under a kilobyte; anything much larger is not one. */
  private static final int MAX_FILE_BYTES = 64 * 1024;

  private static final int MAX_SCRYPT_N = 1 << 20;
  private static final int MAX_SCRYPT_R = 8;
  private static final int MAX_SCRYPT_P = 16;
  private static final int MAX_PBKDF2_ROUNDS = 10_000_000;
  private static final BigInteger CURVE_ORDER = Sign.CURVE_PARAMS.getN();
  private static final HexFormat HEX = HexFormat.of();

  private static final ObjectMapper MAPPER =
      JsonMapper.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

  private static final DateTimeFormatter FILE_TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH-mm-ss.SSS'Z'").withZone(ZoneOffset.UTC);

  private final Path file;
  private final Credentials credentials;
  private final EthAddress address;

  private Keystore(Path file, Credentials credentials) {
    this.file = file;
    this.credentials = credentials;
    this.address = EthAddress.fromHex(credentials.getAddress());
  }

  /** Generates a new key (from a {@link java.security.SecureRandom}) into a new file. */
  public static Keystore create(Path file, String password) throws KeystoreException {
    ECKeyPair keyPair;
    try {
      keyPair = Keys.createEcKeyPair();
    } catch (java.security.GeneralSecurityException e) {
      throw new KeystoreException(KeystoreException.Reason.IO, "cannot generate a key: " + e, e);
    }
    return write(file, password, keyPair);
  }

  /**
   * Encrypts an existing private key into a new file. {@code privateKeyHex} is 64 hex digits,
   * optionally {@code 0x}-prefixed.
   */
  public static Keystore importPrivateKey(Path file, String password, String privateKeyHex)
      throws KeystoreException {
    Objects.requireNonNull(privateKeyHex, "privateKeyHex");
    String hex = privateKeyHex.strip();
    if (hex.startsWith("0x") || hex.startsWith("0X")) {
      hex = hex.substring(2);
    }
    if (hex.length() != 64 || !isHex(hex)) {
      throw new KeystoreException(
          KeystoreException.Reason.INVALID_KEY, "a private key must be 32 bytes (64 hex digits)");
    }
    byte[] key = HEX.parseHex(hex);
    try {
      return importPrivateKey(file, password, key);
    } finally {
      wipe(key);
    }
  }

  /** Encrypts an existing 32-byte private key into a new file. */
  public static Keystore importPrivateKey(Path file, String password, byte[] privateKey)
      throws KeystoreException {
    Objects.requireNonNull(privateKey, "privateKey");
    if (privateKey.length != 32) {
      throw new KeystoreException(
          KeystoreException.Reason.INVALID_KEY,
          "a private key must be 32 bytes, got " + privateKey.length);
    }
    BigInteger k = new BigInteger(1, privateKey);
    if (k.signum() == 0 || k.compareTo(CURVE_ORDER) >= 0) {
      throw new KeystoreException(
          KeystoreException.Reason.INVALID_KEY, "the private key is outside the secp256k1 range");
    }
    return write(file, password, ECKeyPair.create(k));
  }

  /** Decrypts the keystore at {@code file}. */
  public static Keystore load(Path file, String password) throws KeystoreException {
    Objects.requireNonNull(password, "password");
    WalletFile walletFile = parse(file);
    ECKeyPair keyPair;
    try {
      keyPair = Wallet.decrypt(password, walletFile);
    } catch (CipherException e) {
      if ("Invalid password provided".equals(e.getMessage())) {
        throw new KeystoreException(
            KeystoreException.Reason.WRONG_PASSWORD, "wrong password for keystore " + file);
      }
      throw new KeystoreException(
          KeystoreException.Reason.MALFORMED,
          "cannot decrypt keystore " + file + ": " + e.getMessage(),
          e);
    } catch (RuntimeException e) {
      // A MAC that matches by chance over a zero or out-of-range key, and similar oddities.
      throw new KeystoreException(
          KeystoreException.Reason.MALFORMED, "keystore " + file + " holds no valid key", e);
    }
    BigInteger k = keyPair.getPrivateKey();
    if (k.signum() == 0 || k.compareTo(CURVE_ORDER) >= 0) {
      throw new KeystoreException(
          KeystoreException.Reason.MALFORMED, "keystore " + file + " holds no valid key");
    }
    Credentials credentials = Credentials.create(keyPair);
    String named = walletFile.getAddress();
    if (named != null) {
      String derived = credentials.getAddress().substring(2);
      String stated = named.startsWith("0x") ? named.substring(2) : named;
      if (!derived.equalsIgnoreCase(stated)) {
        throw new KeystoreException(
            KeystoreException.Reason.ADDRESS_MISMATCH,
            "keystore " + file + " names address " + named + " but decrypts to 0x" + derived);
      }
    }
    return new Keystore(file, credentials);
  }

  /**
   * The address a keystore file names, without its password (the optional {@code address} field;
   * only {@link #load} proves it).
   */
  public static EthAddress readAddress(Path file) throws KeystoreException {
    WalletFile walletFile = parse(file);
    String named = walletFile.getAddress();
    if (named == null) {
      throw new KeystoreException(
          KeystoreException.Reason.MALFORMED, "keystore " + file + " names no address");
    }
    return EthAddress.fromHex(named.startsWith("0x") ? named : "0x" + named);
  }

  /** The geth-style file name, {@code UTC--<time>--<address without 0x>.json}. */
  public static String standardFileName(EthAddress address, Instant time) {
    return "UTC--" + FILE_TIME.format(time) + "--" + address.toString().substring(2) + ".json";
  }

  public Path file() {
    return file;
  }

  public EthAddress address() {
    return address;
  }

  /** The signing credentials. Never log them: they hold the private key. */
  public Credentials credentials() {
    return credentials;
  }

  /** The address and file only; never the key. */
  @Override
  public String toString() {
    return "Keystore[address=" + address + ", file=" + file + "]";
  }

  // ---- writing ----

  private static Keystore write(Path file, String password, ECKeyPair keyPair)
      throws KeystoreException {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(password, "password");
    if (password.isEmpty()) {
      throw new IllegalArgumentException("refusing to encrypt a key with an empty password");
    }
    WalletFile walletFile;
    try {
      walletFile = Wallet.createStandard(password, keyPair);
    } catch (CipherException e) {
      throw new KeystoreException(KeystoreException.Reason.IO, "cannot encrypt the key: " + e, e);
    }
    byte[] json;
    try {
      json = MAPPER.writeValueAsBytes(walletFile);
    } catch (JsonProcessingException e) {
      throw new KeystoreException(KeystoreException.Reason.IO, "cannot encode the keystore", e);
    }
    writeOwnerOnlyAtomically(file, json);
    return new Keystore(file, Credentials.create(keyPair));
  }

  /**
   * Writes {@code content} to a new file readable by its owner only. The bytes go to a 0600
   * temporary file in the same folder, are forced to disk, and the file is hard-linked into place
   * (which fails rather than replaces when the target exists), falling back to an atomic rename on
   * file systems without hard links. A folder that has to be created is made 0700.
   */
  static void writeOwnerOnlyAtomically(Path file, byte[] content) throws KeystoreException {
    Path target = file.toAbsolutePath().normalize();
    Path dir = target.getParent();
    try {
      if (!Files.isDirectory(dir)) {
        Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(OWNER_ONLY_DIR));
      }
      if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
        throw new KeystoreException(
            KeystoreException.Reason.FILE_EXISTS, "refusing to overwrite " + target);
      }
      Path tmp =
          Files.createTempFile(
              dir,
              "." + target.getFileName() + ".",
              ".tmp",
              PosixFilePermissions.asFileAttribute(OWNER_ONLY));
      try {
        Files.setPosixFilePermissions(tmp, OWNER_ONLY); // whatever the umask did
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
          ByteBuffer buf = ByteBuffer.wrap(content);
          while (buf.hasRemaining()) {
            ch.write(buf);
          }
          ch.force(true);
        }
        try {
          Files.createLink(target, tmp);
        } catch (FileAlreadyExistsException e) {
          throw new KeystoreException(
              KeystoreException.Reason.FILE_EXISTS, "refusing to overwrite " + target);
        } catch (UnsupportedOperationException | IOException noHardLinks) {
          if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
            throw new KeystoreException(
                KeystoreException.Reason.FILE_EXISTS, "refusing to overwrite " + target);
          }
          Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
        }
      } finally {
        Files.deleteIfExists(tmp);
      }
      forceDirectory(dir);
    } catch (UnsupportedOperationException e) {
      throw new KeystoreException(
          KeystoreException.Reason.IO,
          "cannot write " + target + " owner-only: the file system has no POSIX permissions",
          e);
    } catch (IOException e) {
      throw new KeystoreException(
          KeystoreException.Reason.IO, "cannot write " + target + ": " + e, e);
    }
  }

  /** Makes the new directory entry durable (best effort: not every file system allows it). */
  private static void forceDirectory(Path dir) {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException | UnsupportedOperationException ignored) {
      // The file itself is on disk; only the folder entry may be lost in a crash.
    }
  }

  // ---- reading ----

  private static WalletFile parse(Path file) throws KeystoreException {
    Objects.requireNonNull(file, "file");
    byte[] bytes;
    try {
      if (Files.size(file) > MAX_FILE_BYTES) {
        throw malformed(file, "larger than " + MAX_FILE_BYTES + " bytes");
      }
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new KeystoreException(KeystoreException.Reason.NOT_FOUND, "no keystore at " + file);
    } catch (IOException e) {
      throw new KeystoreException(
          KeystoreException.Reason.IO, "cannot read keystore " + file + ": " + e, e);
    }
    JsonNode root;
    try {
      root = MAPPER.readTree(bytes);
    } catch (JsonProcessingException e) {
      throw malformed(file, "not JSON (" + e.getOriginalMessage() + ")");
    } catch (IOException e) {
      throw malformed(file, "not JSON (" + e.getMessage() + ")");
    }
    if (root == null || !root.isObject()) {
      throw malformed(file, "not a JSON object");
    }
    JsonNode version = root.get("version");
    if (version == null || !version.isIntegralNumber()) {
      throw malformed(file, "no integer \"version\"");
    }
    if (version.asLong() != 3) {
      throw new KeystoreException(
          KeystoreException.Reason.UNSUPPORTED,
          "keystore " + file + " is version " + version + "; only version 3 is supported");
    }
    JsonNode crypto = root.has("crypto") ? root.get("crypto") : root.get("Crypto");
    if (crypto == null || !crypto.isObject()) {
      throw malformed(file, "no \"crypto\" object");
    }
    String cipher = text(file, crypto, "cipher");
    if (!"aes-128-ctr".equals(cipher)) {
      throw new KeystoreException(
          KeystoreException.Reason.UNSUPPORTED,
          "keystore " + file + " uses cipher " + cipher + "; only aes-128-ctr is supported");
    }
    String kdf = text(file, crypto, "kdf");
    JsonNode cipherParams = object(file, crypto, "cipherparams");
    JsonNode kdfParams = object(file, crypto, "kdfparams");

    WalletFile.Crypto c = new WalletFile.Crypto();
    c.setCipher(cipher);
    c.setCiphertext(hex(file, crypto, "ciphertext", 32, 32));
    WalletFile.CipherParams cp = new WalletFile.CipherParams();
    cp.setIv(hex(file, cipherParams, "iv", 16, 16));
    c.setCipherparams(cp);
    c.setMac(hex(file, crypto, "mac", 32, 32));
    c.setKdf(kdf);
    if ("scrypt".equals(kdf)) {
      int dklen = integer(file, kdfParams, "dklen");
      int n = integer(file, kdfParams, "n");
      int r = integer(file, kdfParams, "r");
      int p = integer(file, kdfParams, "p");
      if (dklen != 32
          || n < 2
          || n > MAX_SCRYPT_N
          || Integer.bitCount(n) != 1
          || r < 1
          || r > MAX_SCRYPT_R
          || p < 1
          || p > MAX_SCRYPT_P) {
        throw malformed(
            file,
            "scrypt parameters out of bounds (dklen 32, n a power of two up to 2^20, r 1..8,"
                + " p 1..16)");
      }
      WalletFile.ScryptKdfParams sp = new WalletFile.ScryptKdfParams();
      sp.setDklen(dklen);
      sp.setN(n);
      sp.setR(r);
      sp.setP(p);
      sp.setSalt(hex(file, kdfParams, "salt", 1, 1024));
      c.setKdfparams(sp);
    } else if ("pbkdf2".equals(kdf)) {
      int dklen = integer(file, kdfParams, "dklen");
      int rounds = integer(file, kdfParams, "c");
      String prf = text(file, kdfParams, "prf");
      if (dklen != 32 || rounds < 1 || rounds > MAX_PBKDF2_ROUNDS) {
        throw malformed(file, "pbkdf2 parameters out of bounds (dklen 32, c 1..10^7)");
      }
      if (!"hmac-sha256".equals(prf)) {
        throw new KeystoreException(
            KeystoreException.Reason.UNSUPPORTED,
            "keystore " + file + " uses pbkdf2 with " + prf + "; only hmac-sha256 is supported");
      }
      WalletFile.Aes128CtrKdfParams pp = new WalletFile.Aes128CtrKdfParams();
      pp.setDklen(dklen);
      pp.setC(rounds);
      pp.setPrf(prf);
      pp.setSalt(hex(file, kdfParams, "salt", 1, 1024));
      c.setKdfparams(pp);
    } else {
      throw new KeystoreException(
          KeystoreException.Reason.UNSUPPORTED,
          "keystore " + file + " uses KDF " + kdf + "; only scrypt and pbkdf2 are supported");
    }

    WalletFile walletFile = new WalletFile();
    walletFile.setVersion(3);
    walletFile.setCrypto(c);
    JsonNode address = root.get("address");
    if (address != null && !address.isNull()) {
      String a = address.isTextual() ? address.asText() : "";
      String digits = a.startsWith("0x") ? a.substring(2) : a;
      if (digits.length() != 40 || !isHex(digits)) {
        throw malformed(file, "\"address\" is not 20 bytes of hex");
      }
      walletFile.setAddress(a);
    }
    JsonNode id = root.get("id");
    if (id != null && id.isTextual()) {
      walletFile.setId(id.asText());
    }
    return walletFile;
  }

  private static KeystoreException malformed(Path file, String what) {
    return new KeystoreException(
        KeystoreException.Reason.MALFORMED, "malformed keystore " + file + ": " + what);
  }

  private static String text(Path file, JsonNode node, String field) throws KeystoreException {
    JsonNode v = node.get(field);
    if (v == null || !v.isTextual()) {
      throw malformed(file, "no string \"" + field + "\"");
    }
    return v.asText();
  }

  private static JsonNode object(Path file, JsonNode node, String field) throws KeystoreException {
    JsonNode v = node.get(field);
    if (v == null || !v.isObject()) {
      throw malformed(file, "no object \"" + field + "\"");
    }
    return v;
  }

  private static int integer(Path file, JsonNode node, String field) throws KeystoreException {
    JsonNode v = node.get(field);
    if (v == null || !v.isIntegralNumber() || !v.canConvertToInt()) {
      throw malformed(file, "no integer \"" + field + "\"");
    }
    return v.asInt();
  }

  /** Hex (no 0x) of {@code min..max} bytes, returned as read. */
  private static String hex(Path file, JsonNode node, String field, int min, int max)
      throws KeystoreException {
    String v = text(file, node, field);
    if (v.length() % 2 != 0 || v.length() < 2 * min || v.length() > 2 * max || !isHex(v)) {
      throw malformed(
          file,
          "\""
              + field
              + "\" is not "
              + (min == max ? min + " bytes" : min + ".." + max + " bytes")
              + " of hex");
    }
    return v;
  }

  private static boolean isHex(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))) {
        return false;
      }
    }
    return true;
  }

  /** Clears a byte array that held key material (best effort). */
  private static void wipe(byte[] secret) {
    if (secret != null) {
      Arrays.fill(secret, (byte) 0);
    }
  }
}
