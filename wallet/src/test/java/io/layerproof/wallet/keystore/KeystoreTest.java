package io.layerproof.wallet.keystore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.layerproof.chain.event.EthAddress;
import io.layerproof.wallet.TestKeys;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.ECKeyPair;
import org.web3j.crypto.Sign;
import org.web3j.crypto.Wallet;
import org.web3j.crypto.WalletFile;

/**
 * Keystore files: standard scrypt, owner-only and atomic writes, round trips, and a clear reason
 * for every way loading can fail. Standard scrypt costs about a second per key derivation, so the
 * created keystore is shared and the malformed-file cases use Web3j's light parameters.
 */
class KeystoreTest {

  private static final String PASSWORD = "correct horse battery staple";
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path shared;
  private static Keystore created;

  @BeforeAll
  static void createOne() throws Exception {
    created = Keystore.create(shared.resolve("keys/created.json"), PASSWORD);
  }

  @Test
  void createdKeystoreLoadsBackToTheSameKey() throws Exception {
    Keystore loaded = Keystore.load(created.file(), PASSWORD);
    assertEquals(created.address(), loaded.address());
    // Compare the keys without letting a failure message print them.
    assertTrue(created.credentials().equals(loaded.credentials()), "the same key pair");
    assertEquals(created.address(), Keystore.readAddress(created.file()));
  }

  @Test
  void fileIsOwnerOnlyStandardScryptAndNothingIsLeftBehind() throws Exception {
    Path file = created.file();
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    assertEquals(
        "rwx------",
        PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent())),
        "a folder the keystore had to create is owner-only too");
    try (Stream<Path> files = Files.list(file.getParent())) {
      assertEquals(List.of(file), files.toList(), "no temporary file left next to the keystore");
    }
    JsonNode json = JSON.readTree(file.toFile());
    assertEquals(3, json.get("version").asInt());
    assertEquals(created.address().toString().substring(2), json.get("address").asText());
    JsonNode crypto = json.get("crypto");
    assertEquals("aes-128-ctr", crypto.get("cipher").asText());
    assertEquals("scrypt", crypto.get("kdf").asText());
    JsonNode kdf = crypto.get("kdfparams");
    assertEquals(1 << 18, kdf.get("n").asInt());
    assertEquals(8, kdf.get("r").asInt());
    assertEquals(1, kdf.get("p").asInt());
    assertEquals(32, kdf.get("dklen").asInt());
  }

  @Test
  void importedRawKeyRoundTripsAndIsNeverPrinted(@TempDir Path dir) throws Exception {
    String keyHex = TestKeys.privateKeyHex("import");
    String expected = TestKeys.credentials("import").getAddress();
    Path file = dir.resolve(Keystore.standardFileName(EthAddress.fromHex(expected), Instant.EPOCH));
    Keystore imported = Keystore.importPrivateKey(file, PASSWORD, keyHex);
    assertEquals(EthAddress.fromHex(expected), imported.address());
    assertEquals(
        "UTC--1970-01-01T00-00-00.000Z--" + expected.substring(2) + ".json",
        file.getFileName().toString());

    Keystore loaded = Keystore.load(file, PASSWORD);
    assertEquals(imported.address(), loaded.address());
    assertTrue(
        loaded
            .credentials()
            .getEcKeyPair()
            .getPrivateKey()
            .equals(new BigInteger(keyHex.substring(2), 16)),
        "the loaded private key is the imported one");

    String bare = keyHex.substring(2);
    String content = Files.readString(file);
    assertFalse(content.toLowerCase().contains(bare), "the key is not in the file in clear");
    assertTrue(loaded.toString().contains(expected), loaded.toString());
    assertFalse(loaded.toString().toLowerCase().contains(bare), "toString shows no key");
  }

  @Test
  void wrongPasswordIsRefusedWithItsOwnReason() {
    KeystoreException e =
        assertThrows(KeystoreException.class, () -> Keystore.load(created.file(), "not it"));
    assertEquals(KeystoreException.Reason.WRONG_PASSWORD, e.reason());
    assertTrue(e.getMessage().contains("wrong password"), e.getMessage());
    assertFalse(e.getMessage().contains("not it"), "the message never repeats the password");
  }

  @Test
  void neverOverwritesAnExistingFile() throws Exception {
    byte[] before = Files.readAllBytes(created.file());
    KeystoreException e =
        assertThrows(
            KeystoreException.class,
            () ->
                Keystore.importPrivateKey(
                    created.file(), PASSWORD, TestKeys.privateKeyHex("overwrite")));
    assertEquals(KeystoreException.Reason.FILE_EXISTS, e.reason());
    assertTrue(java.util.Arrays.equals(before, Files.readAllBytes(created.file())));
  }

  @Test
  void invalidPrivateKeysAreRefusedWithoutEchoingThem(@TempDir Path dir) {
    String n = Sign.CURVE_PARAMS.getN().toString(16);
    for (String bad :
        List.of(
            "0x" + "00".repeat(32), // zero
            "0x" + n, // the curve order
            "0x" + "ff".repeat(32), // above it
            "0x" + "11".repeat(31), // 31 bytes
            "0x" + "zz".repeat(32))) { // not hex
      KeystoreException e =
          assertThrows(
              KeystoreException.class,
              () -> Keystore.importPrivateKey(dir.resolve("k.json"), PASSWORD, bad),
              bad);
      assertEquals(KeystoreException.Reason.INVALID_KEY, e.reason(), bad);
      assertFalse(e.getMessage().contains(bad.substring(2)), "the message never echoes the key");
    }
    assertFalse(Files.exists(dir.resolve("k.json")));
  }

  @Test
  void readsWeb3jLightKeystoresAndRefusesATamperedAddress(@TempDir Path dir) throws Exception {
    Credentials c = TestKeys.credentials("light");
    WalletFile light = Wallet.createLight(PASSWORD, c.getEcKeyPair());
    Path file = dir.resolve("light.json");
    JSON.writeValue(file.toFile(), light);
    assertEquals(EthAddress.fromHex(c.getAddress()), Keystore.load(file, PASSWORD).address());

    ObjectNode tampered = (ObjectNode) JSON.readTree(file.toFile());
    tampered.put("address", TestKeys.credentials("other").getAddress().substring(2));
    Path t = dir.resolve("tampered.json");
    Files.writeString(t, tampered.toString());
    KeystoreException e = assertThrows(KeystoreException.class, () -> Keystore.load(t, PASSWORD));
    assertEquals(KeystoreException.Reason.ADDRESS_MISMATCH, e.reason());
  }

  @Test
  void malformedAndUnsupportedFilesHaveClearReasons(@TempDir Path dir) throws Exception {
    ECKeyPair pair = TestKeys.credentials("malformed").getEcKeyPair();
    ObjectNode good = JSON.valueToTree(Wallet.createLight(PASSWORD, pair));

    assertReason(dir, "not json {", KeystoreException.Reason.MALFORMED, "not JSON");
    assertReason(dir, "[1,2]", KeystoreException.Reason.MALFORMED, "not a JSON object");
    assertReason(
        dir, "{\"version\":3,\"version\":3}", KeystoreException.Reason.MALFORMED, "not JSON");

    ObjectNode noCrypto = good.deepCopy();
    noCrypto.remove("crypto");
    assertReason(dir, noCrypto.toString(), KeystoreException.Reason.MALFORMED, "crypto");

    ObjectNode badHex = good.deepCopy();
    ((ObjectNode) badHex.get("crypto")).put("ciphertext", "xyz");
    assertReason(dir, badHex.toString(), KeystoreException.Reason.MALFORMED, "ciphertext");

    ObjectNode shortMac = good.deepCopy();
    ((ObjectNode) shortMac.get("crypto")).put("mac", "abcd");
    assertReason(dir, shortMac.toString(), KeystoreException.Reason.MALFORMED, "mac");

    ObjectNode hugeN = good.deepCopy();
    ((ObjectNode) hugeN.get("crypto").get("kdfparams")).put("n", 1 << 30);
    assertReason(dir, hugeN.toString(), KeystoreException.Reason.MALFORMED, "scrypt");

    ObjectNode v4 = good.deepCopy();
    v4.put("version", 4);
    assertReason(dir, v4.toString(), KeystoreException.Reason.UNSUPPORTED, "version 4");

    ObjectNode cbc = good.deepCopy();
    ((ObjectNode) cbc.get("crypto")).put("cipher", "aes-128-cbc");
    assertReason(dir, cbc.toString(), KeystoreException.Reason.UNSUPPORTED, "aes-128-cbc");

    KeystoreException missing =
        assertThrows(
            KeystoreException.class, () -> Keystore.load(dir.resolve("absent.json"), PASSWORD));
    assertEquals(KeystoreException.Reason.NOT_FOUND, missing.reason());
  }

  private static void assertReason(
      Path dir, String content, KeystoreException.Reason reason, String mentions) throws Exception {
    Path f = Files.createTempFile(dir, "bad", ".json");
    Files.write(f, content.getBytes(StandardCharsets.UTF_8));
    KeystoreException e = assertThrows(KeystoreException.class, () -> Keystore.load(f, PASSWORD));
    assertEquals(reason, e.reason(), e.getMessage());
    assertTrue(e.getMessage().contains(mentions), e.getMessage());
  }
}
