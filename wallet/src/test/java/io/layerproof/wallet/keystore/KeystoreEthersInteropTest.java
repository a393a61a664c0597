package io.layerproof.wallet.keystore;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.layerproof.chain.event.EthAddress;
import io.layerproof.wallet.Ethers;
import io.layerproof.wallet.TestKeys;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ethers.js decrypts a keystore this module wrote, and this module loads one ethers wrote. */
class KeystoreEthersInteropTest {

  private static final String PASSWORD = "interop password";

  @Test
  void ethersAndThisModuleReadEachOthersKeystores(@TempDir Path dir) throws Exception {
    Keystore ours =
        Keystore.importPrivateKey(
            dir.resolve("ours.json"), PASSWORD, TestKeys.privateKeyHex("keystore-java"));
    Path theirs = dir.resolve("ethers.json");

    ObjectNode input = new ObjectMapper().createObjectNode();
    input.put("mode", "keystore");
    input.put("javaKeystore", ours.file().toString());
    input.put("password", PASSWORD);
    input.put("privateKey", TestKeys.privateKeyHex("keystore-ethers"));
    input.put("ethersKeystore", theirs.toString());
    JsonNode out = Ethers.run(input);

    assertEquals(ours.address(), EthAddress.fromHex(out.get("javaAddress").asText()));
    EthAddress ethersAddress = EthAddress.fromHex(out.get("ethersAddress").asText());
    assertEquals(
        EthAddress.fromHex(TestKeys.credentials("keystore-ethers").getAddress()), ethersAddress);
    assertEquals(ethersAddress, Keystore.load(theirs, PASSWORD).address());
  }
}
