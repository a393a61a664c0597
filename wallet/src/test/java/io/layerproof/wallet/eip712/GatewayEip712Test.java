package io.layerproof.wallet.eip712;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.layerproof.chain.contracts.JobMarketEip712;
import io.layerproof.chain.event.Bytes32;
import io.layerproof.chain.event.EcdsaSignature;
import io.layerproof.chain.event.EthAddress;
import io.layerproof.chain.event.LedgerDomain;
import io.layerproof.wallet.TestKeys;
import io.layerproof.wallet.auth.Signatures;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.Hash;
import org.web3j.crypto.StructuredDataEncoder;

/**
 * The hand-rolled EIP-712 hashing agrees with Web3j's generic StructuredDataEncoder on typed data
 * written out here by hand, the type strings are exactly the documented ones, and signatures are
 * low-s, v 27/28, deterministic and recover to their signer.
 */
class GatewayEip712Test {

  static final LedgerDomain D = TestKeys.DEPLOYMENT;
  static final Bytes32 MESSAGES = Bytes32.keccak("[]".getBytes(StandardCharsets.UTF_8));

  static final ChatRequest CHAT =
      new ChatRequest(
          "llama-3.2-1b",
          MESSAGES,
          256,
          new BigInteger("1000000000000000000"),
          BigInteger.valueOf(42),
          1_900_000_000L);
  static final SessionGrant GRANT =
      new SessionGrant(
          Bytes32.keccak("session".getBytes(StandardCharsets.UTF_8)),
          new BigInteger("5000000000000000000"),
          1_900_000_000L,
          BigInteger.valueOf(7));
  static final RevokeSession REVOKE = new RevokeSession(GRANT.sessionId(), BigInteger.valueOf(8));

  private static final String DOMAIN_TYPE_JSON =
      "\"EIP712Domain\":[{\"name\":\"name\",\"type\":\"string\"},"
          + "{\"name\":\"version\",\"type\":\"string\"},"
          + "{\"name\":\"chainId\",\"type\":\"uint256\"},"
          + "{\"name\":\"verifyingContract\",\"type\":\"address\"}]";

  private static String domainJson() {
    return "\"domain\":{\"name\":\"Layerproof Gateway\",\"version\":\"1\",\"chainId\":1337,"
        + "\"verifyingContract\":\"0x72e136710bac73e9e18b09dca780c303804e71b6\"}";
  }

  @Test
  void typeStringsAreExactlyTheDocumentedOnes() {
    assertEquals(
        "ChatRequest(string model,bytes32 messagesHash,uint32 maxTokens,uint256 maxPrice,"
            + "uint256 nonce,uint64 expiry)",
        CHAT.encodeType());
    assertEquals(ChatRequest.TYPE, CHAT.encodeType());
    assertEquals(
        "SessionGrant(bytes32 sessionId,uint256 spendingCap,uint64 expiry,uint256 nonce)",
        GRANT.encodeType());
    assertEquals(SessionGrant.TYPE, GRANT.encodeType());
    assertEquals("RevokeSession(bytes32 sessionId,uint256 nonce)", REVOKE.encodeType());
    assertEquals(RevokeSession.TYPE, REVOKE.encodeType());
    assertArrayEquals(
        Hash.sha3(ChatRequest.TYPE.getBytes(StandardCharsets.UTF_8)),
        CHAT.typeHash().toByteArray());
  }

  @Test
  void chatRequestDigestMatchesStructuredDataEncoder() throws Exception {
    String json =
        "{\"types\":{"
            + DOMAIN_TYPE_JSON
            + ",\"ChatRequest\":[{\"name\":\"model\",\"type\":\"string\"},"
            + "{\"name\":\"messagesHash\",\"type\":\"bytes32\"},"
            + "{\"name\":\"maxTokens\",\"type\":\"uint32\"},"
            + "{\"name\":\"maxPrice\",\"type\":\"uint256\"},"
            + "{\"name\":\"nonce\",\"type\":\"uint256\"},"
            + "{\"name\":\"expiry\",\"type\":\"uint64\"}]},"
            + "\"primaryType\":\"ChatRequest\","
            + domainJson()
            + ",\"message\":{\"model\":\"llama-3.2-1b\",\"messagesHash\":\""
            + MESSAGES
            + "\",\"maxTokens\":256,\"maxPrice\":\"1000000000000000000\",\"nonce\":42,"
            + "\"expiry\":1900000000}}";
    StructuredDataEncoder web3j = new StructuredDataEncoder(json);
    assertArrayEquals(web3j.hashDomain(), GatewayEip712.domainSeparator(D).toByteArray());
    assertArrayEquals(web3j.hashStructuredData(), GatewayEip712.digest(D, CHAT).toByteArray());
    // The eth_signTypedData_v4 JSON this module writes describes the same digest.
    assertArrayEquals(
        web3j.hashStructuredData(),
        new StructuredDataEncoder(GatewayEip712.typedDataJson(D, CHAT)).hashStructuredData());
  }

  @Test
  void sessionGrantDigestMatchesStructuredDataEncoder() throws Exception {
    String json =
        "{\"types\":{"
            + DOMAIN_TYPE_JSON
            + ",\"SessionGrant\":[{\"name\":\"sessionId\",\"type\":\"bytes32\"},"
            + "{\"name\":\"spendingCap\",\"type\":\"uint256\"},"
            + "{\"name\":\"expiry\",\"type\":\"uint64\"},"
            + "{\"name\":\"nonce\",\"type\":\"uint256\"}]},"
            + "\"primaryType\":\"SessionGrant\","
            + domainJson()
            + ",\"message\":{\"sessionId\":\""
            + GRANT.sessionId()
            + "\",\"spendingCap\":\"5000000000000000000\",\"expiry\":1900000000,\"nonce\":7}}";
    byte[] expected = new StructuredDataEncoder(json).hashStructuredData();
    assertArrayEquals(expected, GatewayEip712.digest(D, GRANT).toByteArray());
    assertArrayEquals(
        expected,
        new StructuredDataEncoder(GatewayEip712.typedDataJson(D, GRANT)).hashStructuredData());
  }

  @Test
  void revokeSessionDigestMatchesStructuredDataEncoder() throws Exception {
    String json =
        "{\"types\":{"
            + DOMAIN_TYPE_JSON
            + ",\"RevokeSession\":[{\"name\":\"sessionId\",\"type\":\"bytes32\"},"
            + "{\"name\":\"nonce\",\"type\":\"uint256\"}]},"
            + "\"primaryType\":\"RevokeSession\","
            + domainJson()
            + ",\"message\":{\"sessionId\":\""
            + REVOKE.sessionId()
            + "\",\"nonce\":8}}";
    byte[] expected = new StructuredDataEncoder(json).hashStructuredData();
    assertArrayEquals(expected, GatewayEip712.digest(D, REVOKE).toByteArray());
    assertArrayEquals(
        expected,
        new StructuredDataEncoder(GatewayEip712.typedDataJson(D, REVOKE)).hashStructuredData());
  }

  /**
   * The worked example in docs/api.md ("Signatures"); the expected values were computed with
   * ethers.js TypedDataEncoder, not with this module.
   */
  @Test
  void docsExampleVectors() {
    Bytes32 messagesHash = MessagesHash.ofJson("[{\"role\":\"user\",\"content\":\"Hello\"}]");
    assertEquals(
        Bytes32.fromHex("0x50a8699d9791c859c7367b165a9d6a9062b2794587feb29102e918ea2169ddd3"),
        messagesHash);
    assertEquals(
        Bytes32.fromHex("0x5c1810edd4cdaa5c3d62661e412714f29913ae695934e7e25cdd1be37f10558e"),
        GatewayEip712.domainSeparator(D));
    assertEquals(
        Bytes32.fromHex("0x0bd7fd82eb79d84c2367918b9085fc3bf0894c7529c2a0c13aa7a39ca128c431"),
        CHAT.typeHash());
    assertEquals(
        Bytes32.fromHex("0xdd64ac619645e96b8a5cd5312b42a5c4d33aa5fa9c00138b251b647a9fa89e54"),
        GRANT.typeHash());
    assertEquals(
        Bytes32.fromHex("0xace7284ecec6a9299acd17735a087c44adda5b217552a1421622342dc9e05d6a"),
        REVOKE.typeHash());
    ChatRequest chat =
        new ChatRequest(
            "llama-3.2-1b",
            messagesHash,
            128,
            new BigInteger("2000000000000000"),
            BigInteger.valueOf(99),
            1_893_456_300L);
    assertEquals(
        Bytes32.fromHex("0x1a330a8fdd63d20524fd04328cdf1aad3fbf9d05aae00045b4eba3f3112d2b82"),
        GatewayEip712.digest(D, chat));
    Bytes32 sessionId = Bytes32.keccak("session-1".getBytes(StandardCharsets.UTF_8));
    assertEquals(
        Bytes32.fromHex("0x052d512126fae2f4410912aa194f97435d54663c2411876d7b56c5ff785d9b8b"),
        sessionId);
    assertEquals(
        Bytes32.fromHex("0x4a15f8d2ef443c51e67312d17e6b3573e685d09f6b087dbaaaf3b029eefe7d91"),
        GatewayEip712.digest(
            D,
            new SessionGrant(
                sessionId,
                new BigInteger("10000000000000000000"),
                1_893_456_300L,
                BigInteger.valueOf(5))));
    assertEquals(
        Bytes32.fromHex("0xf85a81e0c06868c493019f6afc1fa67e126ba16af5ea72572f10460efb29136f"),
        GatewayEip712.digest(D, new RevokeSession(sessionId, BigInteger.valueOf(6))));
  }

  @Test
  void theDomainSeparatesChainsContractsAndJobMarketsOwnSignatures() {
    Bytes32 digest = GatewayEip712.digest(D, CHAT);
    assertNotEquals(digest, GatewayEip712.digest(new LedgerDomain(1, D.contract()), CHAT));
    assertNotEquals(
        digest,
        GatewayEip712.digest(
            LedgerDomain.of(1337, "0x0000000000000000000000000000000000000001"), CHAT));
    // Same chain and contract, JobMarket's own name: a different separator, so a gateway signature
    // is never an on-chain job request.
    assertNotEquals(
        GatewayEip712.domainSeparator(D),
        Bytes32.of(JobMarketEip712.domainSeparator(D.chainId(), D.contract().toString())));
  }

  @Test
  void signaturesAreLowSv27Or28DeterministicAndRecoverTheSigner() throws Exception {
    Credentials buyer = TestKeys.credentials("buyer");
    for (GatewayMessage m : new GatewayMessage[] {CHAT, GRANT, REVOKE}) {
      EcdsaSignature sig = GatewayEip712.sign(D, m, buyer);
      byte[] b = sig.toByteArray();
      assertEquals(65, b.length);
      assertTrue(b[64] == 27 || b[64] == 28, "v = " + b[64]);
      BigInteger s = new BigInteger(1, Arrays.copyOfRange(b, 32, 64));
      assertTrue(s.compareTo(Signatures.HALF_CURVE_ORDER) <= 0, "low s");
      assertEquals(sig, GatewayEip712.sign(D, m, buyer), "RFC 6979: the same signature twice");
      assertEquals(
          EthAddress.fromHex(buyer.getAddress()),
          Signatures.recover(GatewayEip712.digest(D, m), b));
      // The chain module's independent recovery (JobMarket's) agrees.
      assertEquals(
          buyer.getAddress(), JobMarketEip712.recover(GatewayEip712.digest(D, m).toByteArray(), b));
    }
  }

  @Test
  void outOfBoundsMessagesAreNeverHashedOrSigned() {
    Credentials buyer = TestKeys.credentials("buyer");
    GatewayMessage[] bad = {
      new ChatRequest("", MESSAGES, 1, BigInteger.ONE, BigInteger.ZERO, 1),
      new ChatRequest("m".repeat(257), MESSAGES, 1, BigInteger.ONE, BigInteger.ZERO, 1),
      new ChatRequest("bad\uD800", MESSAGES, 1, BigInteger.ONE, BigInteger.ZERO, 1),
      new ChatRequest("m", MESSAGES, 0, BigInteger.ONE, BigInteger.ZERO, 1),
      new ChatRequest("m", MESSAGES, 1L << 32, BigInteger.ONE, BigInteger.ZERO, 1),
      new ChatRequest("m", MESSAGES, 1, BigInteger.ZERO, BigInteger.ZERO, 1),
      new ChatRequest("m", MESSAGES, 1, BigInteger.TWO.pow(256), BigInteger.ZERO, 1),
      new ChatRequest("m", MESSAGES, 1, BigInteger.ONE, BigInteger.ONE.negate(), 1),
      new ChatRequest("m", MESSAGES, 1, BigInteger.ONE, BigInteger.ZERO, 0),
      new SessionGrant(Bytes32.ZERO, BigInteger.ONE, 1, BigInteger.ZERO),
      new SessionGrant(GRANT.sessionId(), BigInteger.ZERO, 1, BigInteger.ZERO),
      new SessionGrant(GRANT.sessionId(), BigInteger.ONE, -1, BigInteger.ZERO),
      new SessionGrant(GRANT.sessionId(), BigInteger.ONE, 1, BigInteger.TWO.pow(256)),
      new RevokeSession(Bytes32.ZERO, BigInteger.ZERO),
      new RevokeSession(GRANT.sessionId(), BigInteger.ONE.negate()),
    };
    for (GatewayMessage m : bad) {
      assertTrue(m.boundsViolation().isPresent(), m.toString());
      assertThrows(
          IllegalArgumentException.class, () -> GatewayEip712.sign(D, m, buyer), m::toString);
      assertThrows(IllegalArgumentException.class, () -> GatewayEip712.typedDataJson(D, m));
    }
    // The edges themselves are fine.
    assertTrue(
        new ChatRequest(
                "m".repeat(256),
                MESSAGES,
                ChatRequest.MAX_TOKENS_LIMIT,
                BigInteger.TWO.pow(256).subtract(BigInteger.ONE),
                BigInteger.TWO.pow(256).subtract(BigInteger.ONE),
                Long.MAX_VALUE)
            .boundsViolation()
            .isEmpty());
  }
}
