package io.layerproof.wallet.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.layerproof.chain.contracts.JobMarketEip712;
import io.layerproof.chain.event.Bytes32;
import io.layerproof.chain.event.EcdsaSignature;
import io.layerproof.chain.event.EthAddress;
import io.layerproof.chain.event.LedgerDomain;
import io.layerproof.wallet.TestKeys;
import io.layerproof.wallet.eip712.ChatRequest;
import io.layerproof.wallet.eip712.GatewayEip712;
import io.layerproof.wallet.eip712.MessagesHash;
import io.layerproof.wallet.eip712.RevokeSession;
import io.layerproof.wallet.eip712.SessionGrant;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.SignatureException;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.Keys;
import org.web3j.crypto.Sign;
import org.web3j.utils.Numeric;

/** Every acceptance and every rejection reason of the verifier, through the wire forms. */
class GatewayVerifierTest {

  static final LedgerDomain D = TestKeys.DEPLOYMENT;
  static final Credentials BUYER = TestKeys.credentials("buyer");
  static final Credentials OTHER = TestKeys.credentials("other");
  static final long EXPIRY = TestKeys.NOW + 300;
  static final GatewayVerifier VERIFIER = new GatewayVerifier(D, TestKeys.clockAt(TestKeys.NOW));
  static final String BODY =
      "{\"model\":\"llama-3.2-1b\",\"messages\":[{\"role\":\"user\",\"content\":\"Hello\"}],"
          + "\"max_tokens\":128,\"temperature\":0.7,\"stream\":true}";
  static final BigInteger PRICE = new BigInteger("2000000000000000");
  static final BigInteger NONCE = BigInteger.valueOf(99);

  private static final ObjectMapper JSON = new ObjectMapper();

  // ---- helpers ----

  static SignedChatRequest signChat(String body, LedgerDomain domain, Credentials key)
      throws RejectedException {
    ChatRequest r =
        ChatBody.parse(body.getBytes(StandardCharsets.UTF_8)).toRequest(PRICE, NONCE, EXPIRY);
    return new SignedChatRequest(
        r, EthAddress.fromHex(key.getAddress()), GatewayEip712.sign(domain, r, key));
  }

  static Map<String, String> headers(SignedChatRequest s) {
    Map<String, String> h = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    h.putAll(s.headers());
    return h;
  }

  static Verification<ChatRequest> verifyHttp(Map<String, String> headers, String body) {
    return VERIFIER.verifyChatHttp(headers::get, body.getBytes(StandardCharsets.UTF_8));
  }

  static RejectReason reasonOf(Verification<?> v) {
    assertInstanceOf(Verification.Invalid.class, v, "expected a rejection");
    return v.reasonOrNull();
  }

  static Map<String, String> withHeader(Map<String, String> h, String name, String value) {
    Map<String, String> copy = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    copy.putAll(h);
    if (value == null) {
      copy.remove(name);
    } else {
      copy.put(name, value);
    }
    return copy;
  }

  static String sigWith(Map<String, String> h, Consumer<byte[]> edit) {
    byte[] sig = Numeric.hexStringToByteArray(h.get(ChatHeaders.SIGNATURE));
    edit.accept(sig);
    return Numeric.toHexString(sig);
  }

  static SignedSessionGrant grant(LedgerDomain domain, Credentials key) {
    SessionGrant g =
        new SessionGrant(
            Bytes32.keccak("session-1".getBytes(StandardCharsets.UTF_8)),
            new BigInteger("10000000000000000000"),
            EXPIRY,
            BigInteger.valueOf(5));
    return new SignedSessionGrant(
        g, EthAddress.fromHex(key.getAddress()), domain, GatewayEip712.sign(domain, g, key));
  }

  static SignedRevocation revocation(LedgerDomain domain, Credentials key) {
    RevokeSession r =
        new RevokeSession(
            Bytes32.keccak("session-1".getBytes(StandardCharsets.UTF_8)), BigInteger.valueOf(6));
    return new SignedRevocation(
        r, EthAddress.fromHex(key.getAddress()), domain, GatewayEip712.sign(domain, r, key));
  }

  // ---- acceptance ----

  @Test
  void aSignedChatRequestVerifiesFromHeadersAndTheUnmodifiedBody() throws Exception {
    SignedChatRequest s = signChat(BODY, D, BUYER);
    Verification.Valid<ChatRequest> v = verifyHttp(headers(s), BODY).orThrow();
    assertEquals(EthAddress.fromHex(BUYER.getAddress()), v.signer());
    assertEquals(GatewayEip712.digest(D, s.request()), v.digest());
    assertEquals("llama-3.2-1b", v.message().model());
    assertEquals(128, v.message().maxTokens());
    assertEquals(PRICE, v.message().maxPrice());
    assertEquals(NONCE, v.message().nonce());
    assertEquals(EXPIRY, v.message().expiry());
    assertEquals(
        MessagesHash.ofJson("[{\"content\":\"Hello\",\"role\":\"user\"}]"),
        v.message().messagesHash());
    // Header names are case-insensitive, as HTTP says; unsigned body members may be anything.
    Map<String, String> lower = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    s.headers().forEach((k, val) -> lower.put(k.toLowerCase(), val));
    assertTrue(verifyHttp(lower, BODY.replace("0.7", "0.2")).isValid());
    // max_completion_tokens stands in for max_tokens.
    String newer = BODY.replace("\"max_tokens\"", "\"max_completion_tokens\"");
    assertTrue(verifyHttp(headers(signChat(newer, D, BUYER)), newer).isValid());
  }

  @Test
  void grantsAndRevocationsVerifyFromTheirJson() throws Exception {
    SignedSessionGrant g = grant(D, BUYER);
    Verification.Valid<SessionGrant> v =
        VERIFIER.verifyGrantJson(g.toJson().getBytes(StandardCharsets.UTF_8)).orThrow();
    assertEquals(g.grant(), v.message());
    assertEquals(EthAddress.fromHex(BUYER.getAddress()), v.signer());
    assertEquals(g, SignedSessionGrant.fromJson(g.toJson().getBytes(StandardCharsets.UTF_8)));

    SignedRevocation r = revocation(D, BUYER);
    Verification.Valid<RevokeSession> rv =
        VERIFIER.verifyRevocationJson(r.toJson().getBytes(StandardCharsets.UTF_8)).orThrow();
    assertEquals(r.revoke(), rv.message());
    assertEquals(EthAddress.fromHex(BUYER.getAddress()), rv.signer());
  }

  @Test
  void replayIsNotCheckedHereTheGatewayTracksNonces() throws Exception {
    SignedChatRequest s = signChat(BODY, D, BUYER);
    assertTrue(verifyHttp(headers(s), BODY).isValid());
    assertTrue(verifyHttp(headers(s), BODY).isValid(), "the same request verifies again");
  }

  // ---- wrong signer, chain, contract ----

  @Test
  void anotherSignerIsRefused() throws Exception {
    SignedChatRequest byOther = signChat(BODY, D, OTHER);
    Map<String, String> h = withHeader(headers(byOther), ChatHeaders.ADDRESS, BUYER.getAddress());
    assertEquals(RejectReason.WRONG_SIGNER, reasonOf(verifyHttp(h, BODY)));

    SignedSessionGrant g = grant(D, OTHER);
    assertEquals(
        RejectReason.WRONG_SIGNER,
        reasonOf(
            VERIFIER.verifyGrant(
                new SignedSessionGrant(
                    g.grant(), EthAddress.fromHex(BUYER.getAddress()), D, g.signature()))));
    SignedRevocation r = revocation(D, OTHER);
    assertEquals(
        RejectReason.WRONG_SIGNER,
        reasonOf(
            VERIFIER.verifyRevocation(
                r.revoke(), EthAddress.fromHex(BUYER.getAddress()), r.signature().toByteArray())));
  }

  @Test
  void anotherChainIdOrContractIsRefused() throws Exception {
    LedgerDomain otherChain = new LedgerDomain(1, D.contract());
    LedgerDomain otherContract =
        LedgerDomain.of(D.chainId(), "0x5fbdb2315678afecb367f032d93f642f64180aa3");
    for (LedgerDomain wrong : new LedgerDomain[] {otherChain, otherContract}) {
      // Chat headers carry no domain: the signature recovers to someone else.
      SignedChatRequest s = signChat(BODY, wrong, BUYER);
      assertEquals(RejectReason.WRONG_SIGNER, reasonOf(verifyHttp(headers(s), BODY)), "" + wrong);

      // Session JSON states its domain: refused as such.
      SignedSessionGrant g = grant(wrong, BUYER);
      assertEquals(
          RejectReason.WRONG_DOMAIN,
          reasonOf(VERIFIER.verifyGrantJson(g.toJson().getBytes(StandardCharsets.UTF_8))));
      SignedRevocation r = revocation(wrong, BUYER);
      assertEquals(
          RejectReason.WRONG_DOMAIN,
          reasonOf(VERIFIER.verifyRevocationJson(r.toJson().getBytes(StandardCharsets.UTF_8))));
      // ... and a grant that lies about its domain still fails on the signature.
      SignedSessionGrant lying = new SignedSessionGrant(g.grant(), g.address(), D, g.signature());
      assertEquals(RejectReason.WRONG_SIGNER, reasonOf(VERIFIER.verifyGrant(lying)));
    }
  }

  // ---- expiry ----

  @Test
  void expiryIsExclusiveAgainstTheGivenClock() throws Exception {
    Map<String, String> h = headers(signChat(BODY, D, BUYER));
    GatewayVerifier justBefore = new GatewayVerifier(D, TestKeys.clockAt(EXPIRY - 1));
    GatewayVerifier atExpiry = new GatewayVerifier(D, TestKeys.clockAt(EXPIRY));
    GatewayVerifier after = new GatewayVerifier(D, TestKeys.clockAt(EXPIRY + 3600));
    byte[] body = BODY.getBytes(StandardCharsets.UTF_8);
    assertTrue(justBefore.verifyChatHttp(h::get, body).isValid());
    assertEquals(RejectReason.EXPIRED, reasonOf(atExpiry.verifyChatHttp(h::get, body)));
    assertEquals(RejectReason.EXPIRED, reasonOf(after.verifyChatHttp(h::get, body)));

    SignedSessionGrant g = grant(D, BUYER);
    assertTrue(justBefore.verifyGrant(g).isValid());
    assertEquals(RejectReason.EXPIRED, reasonOf(atExpiry.verifyGrant(g)));
    // Revocations carry no expiry.
    assertTrue(after.verifyRevocation(revocation(D, BUYER)).isValid());
  }

  // ---- malformed signatures ----

  @Test
  void signaturesOfTheWrongLengthAreMalformed() throws Exception {
    Map<String, String> h = headers(signChat(BODY, D, BUYER));
    String sig = h.get(ChatHeaders.SIGNATURE);
    for (String bad : new String[] {sig.substring(0, sig.length() - 2), sig + "1b", "0x", "0x1b"}) {
      assertEquals(
          RejectReason.MALFORMED_SIGNATURE,
          reasonOf(verifyHttp(withHeader(h, ChatHeaders.SIGNATURE, bad), BODY)),
          bad);
    }
    for (String bad : new String[] {sig.substring(2), sig.substring(0, 130) + "zz1b"}) {
      assertEquals(
          RejectReason.MALFORMED_SIGNATURE,
          reasonOf(verifyHttp(withHeader(h, ChatHeaders.SIGNATURE, bad), BODY)),
          bad);
    }
    SignedChatRequest s = signChat(BODY, D, BUYER);
    assertEquals(
        RejectReason.MALFORMED_SIGNATURE,
        reasonOf(
            VERIFIER.verifyChat(
                s.request(), s.address(), Arrays.copyOf(s.signature().toByteArray(), 64))));
    assertEquals(
        RejectReason.MALFORMED_SIGNATURE,
        reasonOf(VERIFIER.verifyChat(s.request(), s.address(), null)));
  }

  @Test
  void zeroOrOutOfRangeROrSIsMalformed() throws Exception {
    Map<String, String> h = headers(signChat(BODY, D, BUYER));
    byte[] n = Numeric.toBytesPadded(Signatures.CURVE_ORDER, 32);
    for (Consumer<byte[]> edit :
        java.util.List.<Consumer<byte[]>>of(
            sig -> Arrays.fill(sig, 0, 32, (byte) 0), // r = 0
            sig -> Arrays.fill(sig, 32, 64, (byte) 0), // s = 0
            sig -> System.arraycopy(n, 0, sig, 0, 32))) { // r = n
      assertEquals(
          RejectReason.MALFORMED_SIGNATURE,
          reasonOf(verifyHttp(withHeader(h, ChatHeaders.SIGNATURE, sigWith(h, edit)), BODY)));
    }
  }

  @Test
  void theHighSTwinOfAValidSignatureIsRefused() throws Exception {
    SignedChatRequest s = signChat(BODY, D, BUYER);
    byte[] sig = s.signature().toByteArray();
    BigInteger sValue = new BigInteger(1, Arrays.copyOfRange(sig, 32, 64));
    byte[] twin = sig.clone();
    System.arraycopy(
        Numeric.toBytesPadded(Signatures.CURVE_ORDER.subtract(sValue), 32), 0, twin, 32, 32);
    twin[64] = (byte) (sig[64] == 27 ? 28 : 27);

    // Plain ECDSA recovery accepts the twin as the same signer: only the low-s rule refuses it.
    BigInteger key =
        Sign.signedMessageHashToKey(
            GatewayEip712.digest(D, s.request()).toByteArray(),
            new Sign.SignatureData(
                twin[64], Arrays.copyOfRange(twin, 0, 32), Arrays.copyOfRange(twin, 32, 64)));
    assertEquals(BUYER.getAddress(), Numeric.prependHexPrefix(Keys.getAddress(key)));

    assertEquals(
        RejectReason.HIGH_S, reasonOf(VERIFIER.verifyChat(s.request(), s.address(), twin)));
    Map<String, String> h =
        withHeader(headers(s), ChatHeaders.SIGNATURE, Numeric.toHexString(twin));
    assertEquals(RejectReason.HIGH_S, reasonOf(verifyHttp(h, BODY)));
  }

  @Test
  void vOtherThan27Or28IsRefused() throws Exception {
    Map<String, String> h = headers(signChat(BODY, D, BUYER));
    for (int v : new int[] {0, 1, 26, 29, 35, 37, 255}) {
      String bad = sigWith(h, sig -> sig[64] = (byte) v);
      assertEquals(
          RejectReason.BAD_V,
          reasonOf(verifyHttp(withHeader(h, ChatHeaders.SIGNATURE, bad), BODY)),
          "v = " + v);
    }
    // v = 0/1 would recover the signer if it were accepted (27/28 minus 27): refused anyway.
    SignedChatRequest s = signChat(BODY, D, BUYER);
    byte[] raw = s.signature().toByteArray();
    raw[64] -= 27;
    assertEquals(RejectReason.BAD_V, reasonOf(VERIFIER.verifyChat(s.request(), s.address(), raw)));
  }

  // ---- tampered fields ----

  @Test
  void everyTamperedChatFieldBreaksTheSignature() throws Exception {
    Map<String, String> h = headers(signChat(BODY, D, BUYER));
    assertTrue(verifyHttp(h, BODY).isValid());
    String[] bodies = {
      BODY.replace("llama-3.2-1b", "llama-3.2-3b"), // model
      BODY.replace("Hello", "Hello!"), // messages
      BODY.replace("\"user\"", "\"system\""), // messages
      BODY.replace("128", "129"), // max_tokens
    };
    for (String b : bodies) {
      assertEquals(RejectReason.WRONG_SIGNER, reasonOf(verifyHttp(h, b)), b);
    }
    Map<String, String> price =
        withHeader(h, ChatHeaders.MAX_PRICE, PRICE.add(BigInteger.ONE).toString());
    Map<String, String> nonce = withHeader(h, ChatHeaders.NONCE, "100");
    Map<String, String> expiry = withHeader(h, ChatHeaders.EXPIRY, Long.toString(EXPIRY + 1));
    for (Map<String, String> t : java.util.List.of(price, nonce, expiry)) {
      assertEquals(RejectReason.WRONG_SIGNER, reasonOf(verifyHttp(t, BODY)), t.toString());
    }
    // Flipping one bit of r gives another well-formed signature, of someone else.
    String flipped = sigWith(h, sig -> sig[5] ^= 1);
    RejectReason r = reasonOf(verifyHttp(withHeader(h, ChatHeaders.SIGNATURE, flipped), BODY));
    assertTrue(r == RejectReason.WRONG_SIGNER || r == RejectReason.MALFORMED_SIGNATURE, "" + r);
  }

  @Test
  void everyTamperedGrantOrRevocationFieldBreaksTheSignature() throws Exception {
    SignedSessionGrant g = grant(D, BUYER);
    SessionGrant o = g.grant();
    SessionGrant[] tampered = {
      new SessionGrant(Bytes32.keccak(new byte[] {1}), o.spendingCap(), o.expiry(), o.nonce()),
      new SessionGrant(o.sessionId(), o.spendingCap().add(BigInteger.ONE), o.expiry(), o.nonce()),
      new SessionGrant(o.sessionId(), o.spendingCap(), o.expiry() + 1, o.nonce()),
      new SessionGrant(o.sessionId(), o.spendingCap(), o.expiry(), o.nonce().add(BigInteger.ONE)),
    };
    for (SessionGrant t : tampered) {
      SignedSessionGrant forged = new SignedSessionGrant(t, g.address(), D, g.signature());
      assertEquals(
          RejectReason.WRONG_SIGNER,
          reasonOf(VERIFIER.verifyGrantJson(forged.toJson().getBytes(StandardCharsets.UTF_8))),
          t.toString());
    }
    SignedRevocation r = revocation(D, BUYER);
    RevokeSession[] revokes = {
      new RevokeSession(Bytes32.keccak(new byte[] {2}), r.revoke().nonce()),
      new RevokeSession(r.revoke().sessionId(), r.revoke().nonce().add(BigInteger.ONE)),
    };
    for (RevokeSession t : revokes) {
      assertEquals(
          RejectReason.WRONG_SIGNER,
          reasonOf(VERIFIER.verifyRevocation(t, r.address(), r.signature().toByteArray())));
    }
  }

  // ---- bounds and malformed requests ----

  @Test
  void fieldsOutOfRangeAreRefusedBeforeTheSignature() throws Exception {
    Map<String, String> h = headers(signChat(BODY, D, BUYER));
    String over256 = BigInteger.TWO.pow(256).toString();
    assertEquals(
        RejectReason.FIELD_OUT_OF_RANGE,
        reasonOf(verifyHttp(withHeader(h, ChatHeaders.MAX_PRICE, over256), BODY)));
    assertEquals(
        RejectReason.FIELD_OUT_OF_RANGE,
        reasonOf(verifyHttp(withHeader(h, ChatHeaders.MAX_PRICE, "0"), BODY)));
    assertEquals(
        RejectReason.FIELD_OUT_OF_RANGE,
        reasonOf(verifyHttp(withHeader(h, ChatHeaders.NONCE, over256), BODY)));
    assertEquals(
        RejectReason.FIELD_OUT_OF_RANGE,
        reasonOf(verifyHttp(withHeader(h, ChatHeaders.EXPIRY, "9223372036854775808"), BODY)));
    assertEquals(
        RejectReason.FIELD_OUT_OF_RANGE,
        reasonOf(verifyHttp(withHeader(h, ChatHeaders.EXPIRY, "0"), BODY)));
    for (String tokens : new String[] {"0", "4294967296", "-1", "100000000000000000000000"}) {
      assertEquals(
          RejectReason.FIELD_OUT_OF_RANGE,
          reasonOf(verifyHttp(h, BODY.replace("128", tokens))),
          tokens);
    }
    String longModel = BODY.replace("llama-3.2-1b", "m".repeat(257));
    assertEquals(RejectReason.FIELD_OUT_OF_RANGE, reasonOf(verifyHttp(h, longModel)));

    SignedSessionGrant g = grant(D, BUYER);
    ObjectNode zeroCap = (ObjectNode) JSON.readTree(g.toJson());
    ((ObjectNode) zeroCap.get("grant")).put("spendingCap", "0");
    assertEquals(
        RejectReason.FIELD_OUT_OF_RANGE,
        reasonOf(VERIFIER.verifyGrantJson(zeroCap.toString().getBytes(StandardCharsets.UTF_8))));
    ObjectNode zeroId = (ObjectNode) JSON.readTree(g.toJson());
    ((ObjectNode) zeroId.get("grant")).put("sessionId", Bytes32.ZERO.toString());
    assertEquals(
        RejectReason.FIELD_OUT_OF_RANGE,
        reasonOf(VERIFIER.verifyGrantJson(zeroId.toString().getBytes(StandardCharsets.UTF_8))));
    // Low level: a record built out of range.
    SignedChatRequest s = signChat(BODY, D, BUYER);
    ChatRequest r = s.request();
    ChatRequest huge =
        new ChatRequest(r.model(), r.messagesHash(), 1L << 32, r.maxPrice(), r.nonce(), r.expiry());
    assertEquals(
        RejectReason.FIELD_OUT_OF_RANGE,
        reasonOf(VERIFIER.verifyChat(huge, s.address(), s.signature().toByteArray())));
  }

  @Test
  void malformedRequestsSayWhat() throws Exception {
    Map<String, String> h = headers(signChat(BODY, D, BUYER));
    for (String name : ChatHeaders.ALL) {
      Verification<ChatRequest> v = verifyHttp(withHeader(h, name, null), BODY);
      assertEquals(RejectReason.MALFORMED_REQUEST, reasonOf(v), name);
      assertTrue(((Verification.Invalid<ChatRequest>) v).detail().contains(name), name);
    }
    for (String[] bad :
        new String[][] {
          {ChatHeaders.ADDRESS, "0x1234"},
          {ChatHeaders.MAX_PRICE, "0x10"},
          {ChatHeaders.MAX_PRICE, "-1"},
          {ChatHeaders.NONCE, "007"},
          {ChatHeaders.EXPIRY, "1.5"},
          {ChatHeaders.EXPIRY, ""},
        }) {
      assertEquals(
          RejectReason.MALFORMED_REQUEST,
          reasonOf(verifyHttp(withHeader(h, bad[0], bad[1]), BODY)),
          bad[0] + ": " + bad[1]);
    }
    for (String body :
        new String[] {
          "not json",
          "[]",
          BODY.replace("\"max_tokens\":128,", ""),
          BODY.replace("\"llama-3.2-1b\"", "7"),
          BODY.replace("[{\"role\":\"user\",\"content\":\"Hello\"}]", "[]"),
          BODY.replace("\"Hello\"", "1.5"),
          BODY.replace("\"max_tokens\":128", "\"max_tokens\":128,\"max_completion_tokens\":64"),
          BODY.replace("\"stream\":true", "\"stream\":true,\"model\":\"x\""),
          BODY + "{}",
        }) {
      assertEquals(RejectReason.MALFORMED_REQUEST, reasonOf(verifyHttp(h, body)), body);
    }
    SignedSessionGrant g = grant(D, BUYER);
    ObjectNode extra = (ObjectNode) JSON.readTree(g.toJson());
    extra.put("admin", true);
    assertEquals(
        RejectReason.MALFORMED_REQUEST,
        reasonOf(VERIFIER.verifyGrantJson(extra.toString().getBytes(StandardCharsets.UTF_8))));
    ObjectNode numericCap = (ObjectNode) JSON.readTree(g.toJson());
    ((ObjectNode) numericCap.get("grant")).put("spendingCap", 10);
    assertEquals(
        RejectReason.MALFORMED_REQUEST,
        reasonOf(VERIFIER.verifyGrantJson(numericCap.toString().getBytes(StandardCharsets.UTF_8))));
  }

  @Test
  void orThrowCarriesTheReason() throws Exception {
    Map<String, String> h =
        withHeader(headers(signChat(BODY, D, OTHER)), ChatHeaders.ADDRESS, BUYER.getAddress());
    RejectedException e =
        assertThrows(RejectedException.class, () -> verifyHttp(h, BODY).orThrow());
    assertEquals(RejectReason.WRONG_SIGNER, e.reason());
    assertTrue(e.getMessage().contains(OTHER.getAddress().toLowerCase()), e.getMessage());
  }

  @Test
  void aJobRequestSignedByTheChainModuleVerifiesAsAChatRequest()
      throws SignatureException, Exception {
    // The chain module's JobRequest signer (what a JobMarket buyer uses) produces the very
    // signature the gateway expects, and the verified digest is JobMarket's jobId.
    SignedChatRequest s = signChat(BODY, D, BUYER);
    String market = D.contract().toString();
    byte[] chainSig =
        JobMarketEip712.signJobRequest(D.chainId(), market, s.request().toJobRequest(), BUYER);
    assertEquals(s.signature(), EcdsaSignature.of(chainSig));
    Verification.Valid<ChatRequest> v =
        VERIFIER.verifyChat(s.request(), s.address(), chainSig).orThrow();
    assertEquals(
        Bytes32.of(
            JobMarketEip712.jobRequestDigest(D.chainId(), market, s.request().toJobRequest())),
        v.digest());
    assertEquals(BUYER.getAddress(), JobMarketEip712.recover(v.digest().toByteArray(), chainSig));
  }
}
