package io.layerproof.wallet.eip712;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.layerproof.chain.contracts.JobMarketEip712;
import io.layerproof.chain.event.Bytes32;
import io.layerproof.chain.event.EcdsaSignature;
import io.layerproof.chain.event.EnvelopeVerifier;
import io.layerproof.chain.event.EthAddress;
import io.layerproof.chain.event.EventRejectedException;
import io.layerproof.chain.event.EventSigner;
import io.layerproof.chain.event.JobPosted;
import io.layerproof.chain.event.LedgerDomain;
import io.layerproof.chain.event.NodeKey;
import io.layerproof.chain.event.SignedEvent;
import io.layerproof.contracts.generated.JobMarket;
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
 * written out here by hand, the domain is JobMarket's and a chat request is JobMarket's JobRequest
 * (same digest, same signature, accepted in a JobPosted envelope), the type strings are exactly the
 * documented ones, and signatures are low-s, v 27/28, deterministic and recover to their signer.
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
    return "\"domain\":{\"name\":\"Layerproof JobMarket\",\"version\":\"1\",\"chainId\":1337,"
        + "\"verifyingContract\":\"0x72e136710bac73e9e18b09dca780c303804e71b6\"}";
  }

  @Test
  void typeStringsAreExactlyTheDocumentedOnes() {
    assertEquals(
        "JobRequest(bytes32 model,bytes32 messagesHash,uint256 maxTokens,uint256 maxPrice,"
            + "uint256 nonce,uint256 expiry)",
        CHAT.encodeType());
    assertEquals(ChatRequest.TYPE, CHAT.encodeType());
    assertEquals(JobMarketEip712.JOB_REQUEST_TYPE, CHAT.encodeType());
    assertEquals("JobRequest", CHAT.primaryType());
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
            + ",\"JobRequest\":[{\"name\":\"model\",\"type\":\"bytes32\"},"
            + "{\"name\":\"messagesHash\",\"type\":\"bytes32\"},"
            + "{\"name\":\"maxTokens\",\"type\":\"uint256\"},"
            + "{\"name\":\"maxPrice\",\"type\":\"uint256\"},"
            + "{\"name\":\"nonce\",\"type\":\"uint256\"},"
            + "{\"name\":\"expiry\",\"type\":\"uint256\"}]},"
            + "\"primaryType\":\"JobRequest\","
            + domainJson()
            + ",\"message\":{\"model\":\""
            + Bytes32.keccak("llama-3.2-1b".getBytes(StandardCharsets.UTF_8))
            + "\",\"messagesHash\":\""
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
   * ethers.js 6.15 (TypedDataEncoder, keccak256 of toUtf8Bytes), not with this module.
   */
  @Test
  void docsExampleVectors() {
    Bytes32 messagesHash = MessagesHash.ofJson("[{\"role\":\"user\",\"content\":\"Hello\"}]");
    assertEquals(
        Bytes32.fromHex("0x50a8699d9791c859c7367b165a9d6a9062b2794587feb29102e918ea2169ddd3"),
        messagesHash);
    assertEquals(
        Bytes32.fromHex("0xfbc98a8e2d37a5b11145f513fa339090a08610e280a0437903a95c569df26153"),
        GatewayEip712.domainSeparator(D));
    assertEquals(
        Bytes32.fromHex("0x2bce8b8d8eef8590cb92af892674df8e186c0dfbf634f1eafffbcdc8812d4a9c"),
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
        Bytes32.fromHex("0xb782ae3e552d6208ecc1b871686036f48ee6df5d338f66f83e9a448408155a18"),
        chat.modelHash());
    assertEquals(
        Bytes32.fromHex("0xf28e0292ab7a0b46396b17285570c27c54ab75960ef727ad1e7e956fa579fa21"),
        GatewayEip712.digest(D, chat));
    Bytes32 sessionId = Bytes32.keccak("session-1".getBytes(StandardCharsets.UTF_8));
    assertEquals(
        Bytes32.fromHex("0x052d512126fae2f4410912aa194f97435d54663c2411876d7b56c5ff785d9b8b"),
        sessionId);
    assertEquals(
        Bytes32.fromHex("0x5726733a5e5410711e351c821cc83461d76358866e1da7f3f9669168fd1af76e"),
        GatewayEip712.digest(
            D,
            new SessionGrant(
                sessionId,
                new BigInteger("10000000000000000000"),
                1_893_456_300L,
                BigInteger.valueOf(5))));
    assertEquals(
        Bytes32.fromHex("0xcca818025c697ec4268be8257f15d5d1cf8f08e32e0b5fb5b669434a1c78f21b"),
        GatewayEip712.digest(D, new RevokeSession(sessionId, BigInteger.valueOf(6))));
  }

  @Test
  void theDomainIsJobMarketsAndSeparatesChainsAndContracts() {
    assertEquals("Layerproof JobMarket", GatewayEip712.NAME);
    assertEquals(
        Bytes32.of(JobMarketEip712.domainSeparator(D.chainId(), D.contract().toString())),
        GatewayEip712.domainSeparator(D));
    for (GatewayMessage m : new GatewayMessage[] {CHAT, GRANT, REVOKE}) {
      Bytes32 digest = GatewayEip712.digest(D, m);
      assertNotEquals(digest, GatewayEip712.digest(new LedgerDomain(1, D.contract()), m));
      assertNotEquals(
          digest,
          GatewayEip712.digest(
              LedgerDomain.of(1337, "0x0000000000000000000000000000000000000001"), m));
    }
  }

  @Test
  void aChatRequestIsJobMarketsJobRequest() throws Exception {
    JobMarket.JobRequest job = CHAT.toJobRequest();
    assertArrayEquals(
        Hash.sha3("llama-3.2-1b".getBytes(StandardCharsets.UTF_8)), job.model, "model hash");
    assertArrayEquals(CHAT.modelHash().toByteArray(), job.model);
    assertArrayEquals(MESSAGES.toByteArray(), job.messagesHash);
    assertEquals(BigInteger.valueOf(256), job.maxTokens);
    assertEquals(CHAT.maxPrice(), job.maxPrice);
    assertEquals(CHAT.nonce(), job.nonce);
    assertEquals(BigInteger.valueOf(1_900_000_000L), job.expiry);

    String market = D.contract().toString();
    byte[] jobId = JobMarketEip712.jobRequestDigest(D.chainId(), market, job);
    assertArrayEquals(jobId, GatewayEip712.digest(D, CHAT).toByteArray());
    assertArrayEquals(jobId, CHAT.digest(D).toByteArray());
    // The generic typed-data path (what typedDataJson describes) lands on the same digest.
    byte[] prefixed = new byte[66];
    prefixed[0] = 0x19;
    prefixed[1] = 0x01;
    GatewayEip712.domainSeparator(D).copyTo(prefixed, 2);
    CHAT.structHash().copyTo(prefixed, 34);
    assertArrayEquals(jobId, Hash.sha3(prefixed));

    // The same signature as the chain module's JobRequest signer, recovering to the buyer.
    Credentials buyer = TestKeys.credentials("buyer");
    EcdsaSignature sig = GatewayEip712.sign(D, CHAT, buyer);
    assertArrayEquals(
        JobMarketEip712.signJobRequest(D.chainId(), market, job, buyer), sig.toByteArray());
    assertEquals(buyer.getAddress(), JobMarketEip712.recover(jobId, sig.toByteArray()));

    // The event ledger accepts it as the buyer's signature on a JobPosted envelope.
    JobPosted posted =
        new JobPosted(
            Bytes32.of(jobId),
            EthAddress.fromHex(buyer.getAddress()),
            CHAT.modelHash(),
            CHAT.messagesHash(),
            job.maxTokens,
            job.maxPrice,
            job.nonce,
            job.expiry);
    assertTrue(posted.jobIdMatches(D));
    assertArrayEquals(jobId, posted.buyerDigest(D));
    SignedEvent envelope = new EventSigner(NodeKey.fromSeed(new byte[32]), D, 0).sign(posted, sig);
    assertEquals(posted, new EnvelopeVerifier(D).verify(envelope).event());
    // ... and refuses it for another buyer.
    JobPosted otherBuyer =
        new JobPosted(
            Bytes32.of(jobId),
            EthAddress.fromHex(TestKeys.credentials("other").getAddress()),
            CHAT.modelHash(),
            CHAT.messagesHash(),
            job.maxTokens,
            job.maxPrice,
            job.nonce,
            job.expiry);
    SignedEvent forged =
        new EventSigner(NodeKey.fromSeed(new byte[32]), D, 0).sign(otherBuyer, sig);
    assertEquals(
        io.layerproof.chain.event.RejectReason.WRONG_BUYER,
        assertThrows(EventRejectedException.class, () -> new EnvelopeVerifier(D).verify(forged))
            .reason());
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
