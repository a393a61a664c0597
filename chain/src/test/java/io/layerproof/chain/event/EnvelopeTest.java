package io.layerproof.chain.event;

import static io.layerproof.chain.event.TestEvents.DOMAIN;
import static io.layerproof.chain.event.TestEvents.h;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.layerproof.chain.contracts.JobMarketEip712;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.web3j.crypto.Credentials;

/** Signing, verification and every way an envelope is refused (Must show 1 and 4). */
class EnvelopeTest {

  private final NodeKey key = TestEvents.nodeKey("author");
  private final EventSigner signer = new EventSigner(key, DOMAIN, 0);
  private final EnvelopeVerifier verifier = new EnvelopeVerifier(DOMAIN);
  private final TokenStreamed token = new TokenStreamed(h("job"), 3, 29_871);

  @Test
  void aSignedEnvelopeVerifiesAndKeepsItsContent() {
    SignedEvent signed = signer.sign(token);
    byte[] wire = signed.toWire();
    VerifiedEvent v = verifier.verify(wire);
    assertEquals(signed, v.envelope());
    assertArrayEquals(wire, v.wire());
    byte[] body = CanonicalJson.encode(signed.body());
    assertEquals(EnvelopeFormat.bodyHash(body), v.bodyHash());
    assertEquals(EnvelopeFormat.envelopeHash(v.bodyHash(), signed.sig()), v.envelopeHash());
    assertEquals(v.envelopeHash(), EnvelopeFormat.envelopeHashOfWire(wire));
    // The fixed wire layout is exactly Jackson's canonical encoding of the envelope record.
    assertArrayEquals(CanonicalJson.encode(signed), wire);
    assertEquals(key.id(), v.author());
  }

  @Test
  void theSignerNumbersItsEventsAndPicksFreshIds() {
    EventSigner s = new EventSigner(key, DOMAIN, 41);
    SignedEvent a = s.sign(token);
    SignedEvent b = s.sign(token);
    assertEquals(41, a.seq());
    assertEquals(42, b.seq());
    assertFalse(a.id().equals(b.id()));
    assertEquals(43, s.nextSeq());
  }

  @Test
  void flippingAnyBitOfTheEnvelopeIsRefused() {
    byte[] wire = signer.sign(token).toWire();
    for (int i = 0; i < wire.length; i++) {
      for (int bit : new int[] {0x01, 0x20}) {
        byte[] tampered = wire.clone();
        tampered[i] ^= (byte) bit;
        int at = i;
        assertThrows(
            EventRejectedException.class,
            () -> verifier.verify(tampered),
            () -> "a flip at byte " + at + " was accepted");
      }
    }
  }

  @Test
  void aChangedFieldIsABadAuthorSignature() {
    SignedEvent signed = signer.sign(token);
    EventBody b = signed.body();
    EventBody changed =
        new EventBody(
            b.version(),
            b.chainId(),
            b.contract(),
            b.author(),
            b.seq(),
            b.id(),
            new TokenStreamed(h("job"), 3, 666),
            null);
    assertRejected(
        RejectReason.BAD_AUTHOR_SIGNATURE,
        () -> verifier.verify(new SignedEvent(changed, signed.sig()).toWire()));
    // Signed by someone else than the stated author.
    EventSigner impostor = new EventSigner(TestEvents.nodeKey("impostor"), DOMAIN, 0);
    SignedEvent forged = impostor.sign(token);
    EventBody f = forged.body();
    EventBody claimed =
        new EventBody(
            f.version(), f.chainId(), f.contract(), key.id(), f.seq(), f.id(), token, null);
    assertRejected(
        RejectReason.BAD_AUTHOR_SIGNATURE,
        () -> verifier.verify(new SignedEvent(claimed, forged.sig()).toWire()));
  }

  @Test
  void anotherChainOrContractIsRefused() {
    SignedEvent otherChain =
        new EventSigner(key, new LedgerDomain(1, DOMAIN.contract()), 0).sign(token);
    assertRejected(RejectReason.WRONG_CHAIN_ID, () -> verifier.verify(otherChain.toWire()));
    SignedEvent otherContract =
        new EventSigner(key, LedgerDomain.of(1337, "0x00000000000000000000000000000000000000c1"), 0)
            .sign(token);
    assertRejected(RejectReason.WRONG_CONTRACT, () -> verifier.verify(otherContract.toWire()));
  }

  @Test
  void anUnknownVersionIsRefused() {
    EventBody v2 =
        new EventBody(
            2, DOMAIN.chainId(), DOMAIN.contract(), key.id(), 0, EventId.random(), token, null);
    byte[] wire = EventSigner.sign(key, v2).toWire();
    assertRejected(RejectReason.UNKNOWN_VERSION, () -> verifier.verify(wire));
    // A later version with a field this one does not know is still reported as a version error.
    String text =
        new String(wire, StandardCharsets.UTF_8).replace("\"v\":2", "\"priority\":1,\"v\":2");
    assertRejected(
        RejectReason.UNKNOWN_VERSION, () -> verifier.verify(text.getBytes(StandardCharsets.UTF_8)));
    assertRejected(RejectReason.UNKNOWN_VERSION, () -> verifier.verify(EventSigner.sign(key, v2)));
  }

  @Test
  void malformedJsonIsRefused() {
    String wire = new String(signer.sign(token).toWire(), StandardCharsets.UTF_8);
    for (String bad :
        List.of(
            "",
            "{",
            "not json",
            "[]",
            "{}",
            "null",
            wire.substring(0, wire.length() / 2),
            wire.replace("\"seq\":0", "\"seq\":0.5"),
            wire.replace("{\"body\"", "{\"extra\":1,\"body\""))) {
      assertRejected(
          RejectReason.MALFORMED, () -> verifier.verify(bad.getBytes(StandardCharsets.UTF_8)));
    }
  }

  @Test
  void unknownTypesAndInvalidFieldsAreRefused() {
    String wire = new String(signer.sign(token).toWire(), StandardCharsets.UTF_8);
    assertRejected(
        RejectReason.UNKNOWN_EVENT_TYPE,
        () ->
            verifier.verify(
                wire.replace("TokenStreamed", "TokenStolen").getBytes(StandardCharsets.UTF_8)));
    assertRejected(
        RejectReason.INVALID_FIELD,
        () ->
            verifier.verify(
                wire.replace("\"position\":3", "\"position\":-3")
                    .getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void nonCanonicalInputIsRefused() {
    String wire = new String(signer.sign(token).toWire(), StandardCharsets.UTF_8);
    List<String> variants = new ArrayList<>();
    variants.add(wire.replace(",\"seq\"", ", \"seq\"")); // whitespace
    variants.add(
        wire.replace(
            "\"chainId\":1337",
            "\"chainId\":01337".substring(0, 0) + "\"chainId\":1337 ")); // trailing space
    variants.add(
        wire.replace(
            key.id().toString(),
            key.id().toString().toUpperCase().replace("0X", "0x"))); // hex case
    variants.add( // keys out of order
        wire.replace("\"position\":3,\"tokenId\":29871", "\"tokenId\":29871,\"position\":3"));
    for (String v : variants) {
      assertFalse(v.equals(wire), "variant must differ");
      assertRejected(
          RejectReason.NON_CANONICAL, () -> verifier.verify(v.getBytes(StandardCharsets.UTF_8)));
    }
  }

  @Test
  void oversizedEnvelopesAreRefusedBeforeParsing() {
    byte[] big = new byte[EnvelopeFormat.MAX_ENVELOPE_BYTES + 1];
    assertRejected(RejectReason.OVERSIZED, () -> verifier.verify(big));
    List<ShardAssignment> shards = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      shards.add(new ShardAssignment(i, key.id(), i, i + 1));
    }
    SignedEvent huge = signer.sign(new ShardsAssigned(h("job"), shards, key.id()));
    assertTrue(huge.toWire().length > EnvelopeFormat.MAX_ENVELOPE_BYTES);
    assertRejected(RejectReason.OVERSIZED, () -> verifier.verify(huge.toWire()));
    assertRejected(RejectReason.OVERSIZED, () -> verifier.verify(huge));
  }

  @Test
  void aJobPostedNeedsTheBuyersSignature() {
    Credentials alice = TestEvents.buyer("alice");
    TestEvents.SignedRequest req = TestEvents.postJob(DOMAIN, alice, 9);
    VerifiedEvent ok = verifier.verify(signer.sign(req.event(), req.signature()).toWire());
    assertEquals(req.event(), ok.event());

    assertRejected(
        RejectReason.MISSING_BUYER_SIGNATURE,
        () -> verifier.verify(signer.sign(req.event()).toWire()));

    // Signed by another wallet than the event's buyer.
    Credentials mallory = TestEvents.buyer("mallory");
    EcdsaSignature byMallory =
        EcdsaSignature.of(JobMarketEip712.sign(req.event().buyerDigest(DOMAIN), mallory));
    assertRejected(
        RejectReason.WRONG_BUYER,
        () -> verifier.verify(signer.sign(req.event(), byMallory).toWire()));

    // The buyer signed the same request for another chain: it recovers to someone else here.
    EcdsaSignature otherChain =
        EcdsaSignature.of(
            JobMarketEip712.sign(
                req.event().buyerDigest(new LedgerDomain(1, DOMAIN.contract())), alice));
    assertRejected(
        RejectReason.WRONG_BUYER,
        () -> verifier.verify(signer.sign(req.event(), otherChain).toWire()));

    byte[] garbage = new byte[65];
    garbage[64] = 27;
    assertRejected(
        RejectReason.BAD_BUYER_SIGNATURE,
        () -> verifier.verify(signer.sign(req.event(), EcdsaSignature.of(garbage)).toWire()));

    JobPosted e = req.event();
    JobPosted wrongId =
        new JobPosted(
            h("not the digest"),
            e.buyer(),
            e.model(),
            e.messagesHash(),
            e.maxTokens(),
            e.maxPrice(),
            e.nonce(),
            e.expiry());
    assertRejected(
        RejectReason.JOB_ID_MISMATCH,
        () -> verifier.verify(signer.sign(wrongId, req.signature()).toWire()));

    assertRejected(
        RejectReason.UNEXPECTED_BUYER_SIGNATURE,
        () -> verifier.verify(signer.sign(token, req.signature()).toWire()));
  }

  @Test
  void aNodeKeyNeverPrintsItsSeed() {
    assertEquals("NodeKey[" + key.id() + "]", key.toString());
  }

  private static void assertRejected(RejectReason reason, Executable action) {
    EventRejectedException e = assertThrows(EventRejectedException.class, action);
    assertEquals(reason, e.reason(), () -> "unexpected rejection: " + e.getMessage());
    assertFalse(e.getMessage().isBlank());
  }
}
