package io.layerproof.chain.contracts;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.layerproof.contracts.generated.JobMarket;
import java.math.BigInteger;
import java.security.SignatureException;
import org.junit.jupiter.api.Test;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.Keys;
import org.web3j.crypto.StructuredDataEncoder;
import org.web3j.utils.Numeric;

/**
 * The hand-rolled EIP-712 hashes agree with Web3j's generic StructuredDataEncoder, and signatures
 * recover to their signer. (That JobMarket accepts them is proven by the contract suite.)
 */
class JobMarketEip712Test {

  private static final String MARKET = "0x5fbdb2315678afecb367f032d93f642f64180aa3";
  private static final long CHAIN = 31337;

  private static String domainJson(String name) {
    return "\"domain\":{\"name\":\""
        + name
        + "\",\"version\":\"1\",\"chainId\":"
        + CHAIN
        + ",\"verifyingContract\":\""
        + MARKET
        + "\"}";
  }

  private static final String DOMAIN_TYPE =
      "\"EIP712Domain\":[{\"name\":\"name\",\"type\":\"string\"},{\"name\":\"version\",\"type\":\"string\"},"
          + "{\"name\":\"chainId\",\"type\":\"uint256\"},{\"name\":\"verifyingContract\",\"type\":\"address\"}]";

  @Test
  void jobRequestDigestMatchesStructuredDataEncoder() throws Exception {
    byte[] model = ContractFixture.h("llama-3.2-1b");
    byte[] messages = ContractFixture.h("[{\"role\":\"user\",\"content\":\"hi\"}]");
    JobMarket.JobRequest req =
        new JobMarket.JobRequest(
            model,
            messages,
            BigInteger.valueOf(256),
            new BigInteger("1000000000000000000"),
            BigInteger.valueOf(42),
            BigInteger.valueOf(1_900_000_000L));
    String json =
        "{\"types\":{"
            + DOMAIN_TYPE
            + ",\"JobRequest\":[{\"name\":\"model\",\"type\":\"bytes32\"},{\"name\":\"messagesHash\",\"type\":\"bytes32\"},"
            + "{\"name\":\"maxTokens\",\"type\":\"uint256\"},{\"name\":\"maxPrice\",\"type\":\"uint256\"},"
            + "{\"name\":\"nonce\",\"type\":\"uint256\"},{\"name\":\"expiry\",\"type\":\"uint256\"}]},"
            + "\"primaryType\":\"JobRequest\","
            + domainJson(JobMarketEip712.NAME)
            + ",\"message\":{\"model\":\""
            + Numeric.toHexString(model)
            + "\",\"messagesHash\":\""
            + Numeric.toHexString(messages)
            + "\",\"maxTokens\":256,\"maxPrice\":\"1000000000000000000\",\"nonce\":42,\"expiry\":1900000000}}";
    byte[] expected = new StructuredDataEncoder(json).hashStructuredData();
    assertArrayEquals(expected, JobMarketEip712.jobRequestDigest(CHAIN, MARKET, req));
    assertArrayEquals(
        new StructuredDataEncoder(json).hashDomain(),
        JobMarketEip712.domainSeparator(CHAIN, MARKET));
    // The chain id and the market are part of the domain: no replay across chains or deployments.
    assertNotEquals(
        Numeric.toHexString(expected),
        Numeric.toHexString(JobMarketEip712.jobRequestDigest(CHAIN + 1, MARKET, req)));
  }

  @Test
  void fraudVerdictDigestMatchesStructuredDataEncoder() throws Exception {
    byte[] jobId = ContractFixture.h("job");
    byte[] evidence = ContractFixture.h("evidence");
    String json =
        "{\"types\":{"
            + DOMAIN_TYPE
            + ",\"FraudVerdict\":[{\"name\":\"jobId\",\"type\":\"bytes32\"},{\"name\":\"shardIndex\",\"type\":\"uint256\"},"
            + "{\"name\":\"evidenceHash\",\"type\":\"bytes32\"}]},"
            + "\"primaryType\":\"FraudVerdict\","
            + domainJson(JobMarketEip712.NAME)
            + ",\"message\":{\"jobId\":\""
            + Numeric.toHexString(jobId)
            + "\",\"shardIndex\":3,\"evidenceHash\":\""
            + Numeric.toHexString(evidence)
            + "\"}}";
    assertArrayEquals(
        new StructuredDataEncoder(json).hashStructuredData(),
        JobMarketEip712.fraudVerdictDigest(CHAIN, MARKET, jobId, BigInteger.valueOf(3), evidence));
  }

  @Test
  void sessionGrantDigestMatchesStructuredDataEncoder() throws Exception {
    byte[] sessionId = ContractFixture.h("session");
    JobMarket.SessionGrant grant =
        new JobMarket.SessionGrant(
            sessionId,
            new BigInteger("5000000000000000000"),
            BigInteger.valueOf(1_900_000_000L),
            BigInteger.valueOf(7));
    String json =
        "{\"types\":{"
            + DOMAIN_TYPE
            + ",\"SessionGrant\":[{\"name\":\"sessionId\",\"type\":\"bytes32\"},"
            + "{\"name\":\"spendingCap\",\"type\":\"uint256\"},{\"name\":\"expiry\",\"type\":\"uint64\"},"
            + "{\"name\":\"nonce\",\"type\":\"uint256\"}]},"
            + "\"primaryType\":\"SessionGrant\","
            + domainJson(JobMarketEip712.NAME)
            + ",\"message\":{\"sessionId\":\""
            + Numeric.toHexString(sessionId)
            + "\",\"spendingCap\":\"5000000000000000000\",\"expiry\":1900000000,\"nonce\":7}}";
    byte[] digest = JobMarketEip712.sessionGrantDigest(CHAIN, MARKET, grant);
    assertArrayEquals(new StructuredDataEncoder(json).hashStructuredData(), digest);
    Credentials buyer = Credentials.create(Keys.createEcKeyPair());
    assertEquals(
        buyer.getAddress(),
        JobMarketEip712.recover(
            digest, JobMarketEip712.signSessionGrant(CHAIN, MARKET, grant, buyer)));
    // expiry is a uint64 in the type string: a larger value (the wrapper's fields are mutable)
    // would hash to a grant the contract can never be given.
    JobMarket.SessionGrant tooLate =
        new JobMarket.SessionGrant(sessionId, BigInteger.ONE, BigInteger.ONE, BigInteger.ONE);
    tooLate.expiry = BigInteger.TWO.pow(64);
    assertThrows(
        IllegalArgumentException.class,
        () -> JobMarketEip712.sessionGrantDigest(CHAIN, MARKET, tooLate));
  }

  @Test
  void revokeSessionDigestMatchesStructuredDataEncoder() throws Exception {
    byte[] sessionId = ContractFixture.h("session");
    String json =
        "{\"types\":{"
            + DOMAIN_TYPE
            + ",\"RevokeSession\":[{\"name\":\"sessionId\",\"type\":\"bytes32\"},"
            + "{\"name\":\"nonce\",\"type\":\"uint256\"}]},"
            + "\"primaryType\":\"RevokeSession\","
            + domainJson(JobMarketEip712.NAME)
            + ",\"message\":{\"sessionId\":\""
            + Numeric.toHexString(sessionId)
            + "\",\"nonce\":12}}";
    byte[] digest =
        JobMarketEip712.revokeSessionDigest(CHAIN, MARKET, sessionId, BigInteger.valueOf(12));
    assertArrayEquals(new StructuredDataEncoder(json).hashStructuredData(), digest);
    Credentials buyer = Credentials.create(Keys.createEcKeyPair());
    assertEquals(
        buyer.getAddress(),
        JobMarketEip712.recover(
            digest,
            JobMarketEip712.signRevokeSession(
                CHAIN, MARKET, sessionId, BigInteger.valueOf(12), buyer)));
  }

  @Test
  void signaturesRecoverToTheSigner() throws Exception {
    Credentials signer = Credentials.create(Keys.createEcKeyPair());
    byte[] digest = ContractFixture.h("digest");
    byte[] sig = JobMarketEip712.sign(digest, signer);
    assertEquals(65, sig.length);
    int v = sig[64] & 0xff;
    assertEquals(true, v == 27 || v == 28);
    assertEquals(signer.getAddress(), JobMarketEip712.recover(digest, sig));
    assertNotEquals(signer.getAddress(), JobMarketEip712.recover(ContractFixture.h("other"), sig));
    assertThrows(SignatureException.class, () -> JobMarketEip712.recover(digest, new byte[64]));
  }

  @Test
  void revertDecoderNamesCustomErrorsAndBuiltIns() {
    RevertDecoder d = RevertDecoder.instance();
    // InsufficientFreeBalance(uint256,uint256) with (5, 7)
    String selector =
        Numeric.toHexString(
                org.web3j.crypto.Hash.sha3("InsufficientFreeBalance(uint256,uint256)".getBytes()))
            .substring(0, 10);
    String data =
        selector
            + Numeric.toHexStringNoPrefixZeroPadded(BigInteger.valueOf(5), 64)
            + Numeric.toHexStringNoPrefixZeroPadded(BigInteger.valueOf(7), 64);
    RevertDecoder.Decoded decoded = d.decode(data);
    assertEquals("InsufficientFreeBalance", decoded.name());
    assertEquals(java.util.List.of(BigInteger.valueOf(5), BigInteger.valueOf(7)), decoded.args());
    assertEquals("InsufficientFreeBalance(5, 7)", decoded.toString());
    // Panic(0x11): arithmetic overflow
    assertEquals(
        "Panic",
        d.decode("0x4e487b71" + Numeric.toHexStringNoPrefixZeroPadded(BigInteger.valueOf(0x11), 64))
            .name());
    assertEquals(null, d.decode("0xdeadbeef"));
    assertEquals(null, d.decode("0x"));
  }
}
