package io.layerproof.wallet.eip712;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import io.layerproof.chain.contracts.JobMarketEip712;
import io.layerproof.chain.event.Bytes32;
import io.layerproof.chain.event.LedgerDomain;
import io.layerproof.contracts.generated.JobMarket;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.StringLength;
import org.web3j.crypto.Hash;
import org.web3j.crypto.StructuredDataEncoder;

/**
 * For any in-range values, the digest equals Web3j's StructuredDataEncoder over the v4 JSON, and
 * for chat requests JobMarket's jobId from the chain module.
 */
class GatewayEip712PropertyTest {

  @Property(tries = 150)
  void chatRequestDigestAgreesWithWeb3j(
      @ForAll @StringLength(min = 1, max = 40) String model,
      @ForAll("bytes32") Bytes32 messagesHash,
      @ForAll @LongRange(min = 1, max = 0xFFFF_FFFFL) long maxTokens,
      @ForAll("positiveUint256") BigInteger maxPrice,
      @ForAll("uint256") BigInteger nonce,
      @ForAll @LongRange(min = 1) long expiry,
      @ForAll @LongRange(min = 1, max = 1L << 40) long chainId,
      @ForAll("bytes32") Bytes32 contractSeed)
      throws Exception {
    ChatRequest r = new ChatRequest(model, messagesHash, maxTokens, maxPrice, nonce, expiry);
    if (r.boundsViolation().isPresent()) {
      return; // an unpaired surrogate or over-long model: covered by the unit tests
    }
    LedgerDomain d = domain(chainId, contractSeed);
    byte[] web3j =
        new StructuredDataEncoder(GatewayEip712.typedDataJson(d, r)).hashStructuredData();
    assertArrayEquals(web3j, GatewayEip712.digest(d, r).toByteArray());
    // ... which is JobMarket's jobId for the request, its model the hash of the id's UTF-8 bytes.
    JobMarket.JobRequest job = r.toJobRequest();
    assertArrayEquals(Hash.sha3(model.getBytes(StandardCharsets.UTF_8)), job.model);
    assertArrayEquals(
        web3j, JobMarketEip712.jobRequestDigest(chainId, d.contract().toString(), job));
  }

  @Property(tries = 150)
  void sessionMessagesDigestAgreeWithWeb3j(
      @ForAll("bytes32") Bytes32 sessionId,
      @ForAll("positiveUint256") BigInteger cap,
      @ForAll @LongRange(min = 1) long expiry,
      @ForAll("uint256") BigInteger nonce,
      @ForAll @IntRange(min = 1) int chainId,
      @ForAll("bytes32") Bytes32 contractSeed)
      throws Exception {
    if (sessionId.isZero()) {
      return;
    }
    LedgerDomain d = domain(chainId, contractSeed);
    SessionGrant g = new SessionGrant(sessionId, cap, expiry, nonce);
    assertArrayEquals(
        new StructuredDataEncoder(GatewayEip712.typedDataJson(d, g)).hashStructuredData(),
        GatewayEip712.digest(d, g).toByteArray());
    RevokeSession r = new RevokeSession(sessionId, nonce);
    assertArrayEquals(
        new StructuredDataEncoder(GatewayEip712.typedDataJson(d, r)).hashStructuredData(),
        GatewayEip712.digest(d, r).toByteArray());
  }

  private static LedgerDomain domain(long chainId, Bytes32 seed) {
    String hex = seed.toString();
    return LedgerDomain.of(chainId, "0x" + hex.substring(hex.length() - 40));
  }

  @Provide
  Arbitrary<Bytes32> bytes32() {
    return Arbitraries.bytes().array(byte[].class).ofSize(32).map(Bytes32::of);
  }

  @Provide
  Arbitrary<BigInteger> uint256() {
    return Arbitraries.oneOf(
        Arbitraries.bigIntegers()
            .between(BigInteger.ZERO, BigInteger.TWO.pow(256).subtract(BigInteger.ONE)),
        Arbitraries.of(
            BigInteger.ZERO, BigInteger.ONE, BigInteger.TWO.pow(256).subtract(BigInteger.ONE)));
  }

  @Provide
  Arbitrary<BigInteger> positiveUint256() {
    return uint256().filter(v -> v.signum() > 0);
  }
}
