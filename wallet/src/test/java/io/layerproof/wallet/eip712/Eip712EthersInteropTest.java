package io.layerproof.wallet.eip712;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.layerproof.chain.contracts.JobMarketEip712;
import io.layerproof.chain.event.Bytes32;
import io.layerproof.chain.event.EcdsaSignature;
import io.layerproof.chain.event.EthAddress;
import io.layerproof.chain.event.LedgerDomain;
import io.layerproof.wallet.Ethers;
import io.layerproof.wallet.TestKeys;
import io.layerproof.wallet.auth.Signatures;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.web3j.crypto.Credentials;

/**
 * ethers.js, with JobMarket's domain and the types written out from docs/api.md, computes the same
 * digests (hashing the model id into the JobRequest's bytes32 model itself), recovers the Java
 * signatures to the right signer, and signs byte-for-byte the same (both use RFC 6979 and low s),
 * and the ethers signature of a JobRequest verifies with the chain module's JobMarketEip712; its
 * messages canonicalisation (JSON.stringify, sorted keys) hashes like {@link MessagesHash}.
 */
class Eip712EthersInteropTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void ethersAgreesOnDigestsSignaturesAndSigners() throws Exception {
    Credentials key = TestKeys.credentials("ethers-typed");
    LedgerDomain other = LedgerDomain.of(8453, "0x00000000000000000000000000000000deadbeef");
    List<LedgerDomain> domains =
        List.of(TestKeys.DEPLOYMENT, TestKeys.DEPLOYMENT, TestKeys.DEPLOYMENT, other, other);
    List<GatewayMessage> messages =
        List.of(
            GatewayEip712Test.CHAT,
            GatewayEip712Test.GRANT,
            GatewayEip712Test.REVOKE,
            new ChatRequest(
                "modèle/日本語-😀",
                Bytes32.keccak("x".getBytes(StandardCharsets.UTF_8)),
                ChatRequest.MAX_TOKENS_LIMIT,
                BigInteger.TWO.pow(256).subtract(BigInteger.ONE),
                BigInteger.TWO.pow(200).add(BigInteger.valueOf(12345)),
                Long.MAX_VALUE),
            new SessionGrant(
                Bytes32.keccak("s2".getBytes(StandardCharsets.UTF_8)),
                BigInteger.ONE,
                1,
                BigInteger.ZERO));

    ObjectNode input = JSON.createObjectNode();
    input.put("mode", "typed");
    input.put("privateKey", TestKeys.privateKeyHex("ethers-typed"));
    ArrayNode cases = input.putArray("cases");
    for (int i = 0; i < messages.size(); i++) {
      LedgerDomain d = domains.get(i);
      GatewayMessage m = messages.get(i);
      ObjectNode c = cases.addObject();
      c.put("chainId", d.chainId());
      c.put("verifyingContract", d.contract().toString());
      c.put("primaryType", m.primaryType());
      ObjectNode message =
          (ObjectNode) JSON.readTree(GatewayEip712.typedDataJson(d, m)).get("message");
      if (m instanceof ChatRequest chat) {
        message.remove("model"); // ethers hashes the id itself
        c.put("modelId", chat.model());
      }
      c.set("message", message);
      c.put("javaSignature", GatewayEip712.sign(d, m, key).toString());
    }
    JsonNode out = Ethers.run(input);

    EthAddress signer = EthAddress.fromHex(key.getAddress());
    assertEquals(signer, EthAddress.fromHex(out.get("address").asText()));
    JsonNode results = out.get("results");
    assertEquals(messages.size(), results.size());
    for (int i = 0; i < messages.size(); i++) {
      LedgerDomain d = domains.get(i);
      GatewayMessage m = messages.get(i);
      JsonNode r = results.get(i);
      String what = m.primaryType() + " #" + i;
      Bytes32 digest = GatewayEip712.digest(d, m);
      assertEquals(digest, Bytes32.fromHex(r.get("digest").asText()), what);
      assertEquals(
          GatewayEip712.domainSeparator(d),
          Bytes32.fromHex(r.get("domainSeparator").asText()),
          what);
      assertEquals(signer, EthAddress.fromHex(r.get("recovered").asText()), what);
      EcdsaSignature theirs = EcdsaSignature.fromHex(r.get("signature").asText());
      assertEquals(GatewayEip712.sign(d, m, key), theirs, what);
      assertEquals(signer, Signatures.recover(digest, theirs.toByteArray()), what);
      if (m instanceof ChatRequest chat) {
        assertEquals(chat.modelHash(), Bytes32.fromHex(r.get("modelHash").asText()), what);
        // ethers' signature is the one JobMarket takes: the chain module recovers the buyer.
        byte[] jobId =
            JobMarketEip712.jobRequestDigest(
                d.chainId(), d.contract().toString(), chat.toJobRequest());
        assertEquals(digest, Bytes32.of(jobId), what);
        assertEquals(
            signer, EthAddress.fromHex(JobMarketEip712.recover(jobId, theirs.toByteArray())), what);
      } else {
        assertTrue(r.get("modelHash").isNull(), what);
      }
    }
  }

  @Test
  void ethersHashesMessagesTheSameWay() throws Exception {
    List<String> texts =
        List.of(
            "[{\"role\":\"user\",\"content\":\"hi\"}]",
            "[{\"role\":\"system\",\"content\":\"Be brief.\"},"
                + " {\"content\":\"Explain \\\"EIP-712\\\"\\n\\ttabs \\u0001 \\u001f / é 日本 😀\","
                + " \"role\":\"user\", \"name\":\"bob\"}]",
            "[{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"a\"},"
                + "{\"type\":\"image_url\",\"image_url\":{\"url\":\"data:,x\",\"detail\":\"low\"}}]}]",
            "[{\"z\":{\"b\":1,\"a\":[3,-2,{\"y\":true,\"x\":null}]},\"\uFF5E\":0,"
                + "\"\uD83D\uDE00\":9007199254740991,\"B\":false}]",
            "[{\"role\":\"assistant\",\"tool_calls\":[{\"id\":\"c1\",\"type\":\"function\","
                + "\"function\":{\"name\":\"f\",\"arguments\":\"{\\\"x\\\": 1.5}\"}}]}]");
    ObjectNode input = JSON.createObjectNode();
    input.put("mode", "messages");
    ArrayNode cases = input.putArray("cases");
    texts.forEach(cases::add);
    JsonNode results = Ethers.run(input).get("results");
    assertEquals(texts.size(), results.size());
    for (int i = 0; i < texts.size(); i++) {
      String text = texts.get(i);
      byte[] ours =
          MessagesHash.canonicalBytes(
              MessagesHash.readStrict(text.getBytes(StandardCharsets.UTF_8)));
      assertEquals(
          results.get(i).get("canonical").asText(), new String(ours, StandardCharsets.UTF_8), text);
      assertEquals(
          Bytes32.fromHex(results.get(i).get("hash").asText()), MessagesHash.ofJson(text), text);
    }
  }
}
