package io.layerproof.wallet.auth;

import static org.junit.jupiter.api.Assertions.assertFalse;

import io.layerproof.chain.event.EthAddress;
import io.layerproof.wallet.TestKeys;
import io.layerproof.wallet.eip712.ChatRequest;
import io.layerproof.wallet.eip712.GatewayEip712;
import io.layerproof.wallet.eip712.MessagesHash;
import java.math.BigInteger;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.web3j.crypto.Credentials;

/** No single-bit change to a signature, or to a signed member, ever verifies for the signer. */
class SignaturePropertyTest {

  private static final Credentials BUYER = TestKeys.credentials("buyer");
  private static final EthAddress ADDRESS = EthAddress.fromHex(BUYER.getAddress());
  private static final GatewayVerifier VERIFIER =
      new GatewayVerifier(TestKeys.DEPLOYMENT, TestKeys.clockAt(TestKeys.NOW));
  private static final ChatRequest REQUEST =
      new ChatRequest(
          "m",
          MessagesHash.ofJson("[{\"role\":\"user\",\"content\":\"x\"}]"),
          10,
          BigInteger.TEN,
          BigInteger.ONE,
          TestKeys.NOW + 60);
  private static final byte[] SIG =
      GatewayEip712.sign(TestKeys.DEPLOYMENT, REQUEST, BUYER).toByteArray();

  @Property(tries = 300)
  void aFlippedSignatureBitNeverVerifies(
      @ForAll @IntRange(min = 0, max = 64) int index, @ForAll @IntRange(min = 0, max = 7) int bit) {
    byte[] sig = SIG.clone();
    sig[index] ^= (byte) (1 << bit);
    assertFalse(VERIFIER.verifyChat(REQUEST, ADDRESS, sig).isValid());
  }

  @Property(tries = 200)
  void aChangedMemberNeverVerifies(
      @ForAll @IntRange(min = 0, max = 4) int member,
      @ForAll @IntRange(min = 1, max = 1000) int by) {
    ChatRequest r = REQUEST;
    BigInteger d = BigInteger.valueOf(by);
    ChatRequest changed =
        switch (member) {
          case 0 ->
              new ChatRequest(
                  r.model() + by,
                  r.messagesHash(),
                  r.maxTokens(),
                  r.maxPrice(),
                  r.nonce(),
                  r.expiry());
          case 1 ->
              new ChatRequest(
                  r.model(),
                  r.messagesHash(),
                  r.maxTokens() + by,
                  r.maxPrice(),
                  r.nonce(),
                  r.expiry());
          case 2 ->
              new ChatRequest(
                  r.model(),
                  r.messagesHash(),
                  r.maxTokens(),
                  r.maxPrice().add(d),
                  r.nonce(),
                  r.expiry());
          case 3 ->
              new ChatRequest(
                  r.model(),
                  r.messagesHash(),
                  r.maxTokens(),
                  r.maxPrice(),
                  r.nonce().add(d),
                  r.expiry());
          default ->
              new ChatRequest(
                  r.model(),
                  r.messagesHash(),
                  r.maxTokens(),
                  r.maxPrice(),
                  r.nonce(),
                  r.expiry() + by);
        };
    assertFalse(VERIFIER.verifyChat(changed, ADDRESS, SIG).isValid());
  }
}
