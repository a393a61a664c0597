package io.layerproof.chain.event;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.exc.InvalidTypeIdException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import io.layerproof.chain.contracts.JobMarketEip712;
import java.io.IOException;
import java.security.SignatureException;

/**
 * The stateless checks every node runs on an incoming envelope, cheapest first: size, JSON shape,
 * version, canonical form, domain (chain id and contract), the author's Ed25519 signature, and for
 * buyer-authorised events the buyer's EIP-712 signature (secp256k1, recovered with Web3j and
 * matched against the event's buyer). Thread-safe; verification of different events can run in
 * parallel, which is how the ledger reaches its ingest rate.
 */
public final class EnvelopeVerifier {

  private final LedgerDomain domain;

  public EnvelopeVerifier(LedgerDomain domain) {
    this.domain = Checks.present(domain, "domain");
  }

  public LedgerDomain domain() {
    return domain;
  }

  /**
   * Verifies untrusted wire bytes.
   *
   * @throws EventRejectedException with the reason of the first failed check
   */
  public VerifiedEvent verify(byte[] wire) {
    if (wire == null || wire.length == 0) {
      throw new EventRejectedException(RejectReason.MALFORMED, "empty envelope");
    }
    if (wire.length > EnvelopeFormat.MAX_ENVELOPE_BYTES) {
      throw new EventRejectedException(
          RejectReason.OVERSIZED,
          "envelope is "
              + wire.length
              + " bytes, the limit is "
              + EnvelopeFormat.MAX_ENVELOPE_BYTES);
    }
    SignedEvent envelope = decode(wire);
    checkVersion(envelope.body().version());
    byte[] body = CanonicalJson.encode(envelope.body());
    if (!EnvelopeFormat.isWireOf(wire, body, envelope.sig())) {
      throw new EventRejectedException(
          RejectReason.NON_CANONICAL,
          "envelope is not in canonical form (sorted keys, no whitespace, lowercase hex)");
    }
    return verifyDecoded(envelope, body, wire);
  }

  /** Verifies an envelope built in memory (e.g. by a local {@link EventSigner}). */
  public VerifiedEvent verify(SignedEvent envelope) {
    checkVersion(envelope.body().version());
    byte[] body = CanonicalJson.encode(envelope.body());
    byte[] wire = EnvelopeFormat.wire(body, envelope.sig());
    if (wire.length > EnvelopeFormat.MAX_ENVELOPE_BYTES) {
      throw new EventRejectedException(
          RejectReason.OVERSIZED,
          "envelope is "
              + wire.length
              + " bytes, the limit is "
              + EnvelopeFormat.MAX_ENVELOPE_BYTES);
    }
    return verifyDecoded(envelope, body, wire);
  }

  private VerifiedEvent verifyDecoded(SignedEvent envelope, byte[] body, byte[] wire) {
    EventBody b = envelope.body();
    if (b.chainId() != domain.chainId()) {
      throw new EventRejectedException(
          RejectReason.WRONG_CHAIN_ID,
          "signed for chain " + b.chainId() + ", this ledger is on chain " + domain.chainId());
    }
    if (!b.contract().equals(domain.contract())) {
      throw new EventRejectedException(
          RejectReason.WRONG_CONTRACT,
          "signed for contract " + b.contract() + ", this ledger's is " + domain.contract());
    }
    Bytes32 bodyHash = EnvelopeFormat.bodyHash(body);
    if (!Ed25519Verifier.verify(
        b.author(), EnvelopeFormat.signingMessage(bodyHash), envelope.sig())) {
      throw new EventRejectedException(
          RejectReason.BAD_AUTHOR_SIGNATURE, "author " + b.author() + " did not sign this body");
    }
    checkBuyer(b);
    return new VerifiedEvent(
        envelope, wire, bodyHash, EnvelopeFormat.envelopeHash(bodyHash, envelope.sig()));
  }

  private void checkBuyer(EventBody b) {
    if (!(b.event() instanceof BuyerAuthorized authorized)) {
      if (b.buyerSig() != null) {
        throw new EventRejectedException(
            RejectReason.UNEXPECTED_BUYER_SIGNATURE,
            b.event().type() + " is not buyer-authorised but carries a buyer signature");
      }
      return;
    }
    if (b.buyerSig() == null) {
      throw new EventRejectedException(
          RejectReason.MISSING_BUYER_SIGNATURE, b.event().type() + " needs the buyer's signature");
    }
    byte[] digest = authorized.buyerDigest(domain);
    if (b.event() instanceof JobPosted posted && !posted.jobIdMatches(domain)) {
      throw new EventRejectedException(
          RejectReason.JOB_ID_MISMATCH,
          "job id " + posted.jobId() + " is not the request's EIP-712 digest");
    }
    String signer;
    try {
      signer = JobMarketEip712.recover(digest, b.buyerSig().raw());
    } catch (SignatureException | RuntimeException e) {
      throw new EventRejectedException(
          RejectReason.BAD_BUYER_SIGNATURE, "buyer signature does not recover: " + e.getMessage());
    }
    if (!EthAddress.fromHex(signer).equals(authorized.buyer())) {
      throw new EventRejectedException(
          RejectReason.WRONG_BUYER,
          "buyer signature is by " + signer + ", the event's buyer is " + authorized.buyer());
    }
  }

  private static void checkVersion(int version) {
    if (version != EnvelopeFormat.VERSION) {
      throw new EventRejectedException(
          RejectReason.UNKNOWN_VERSION,
          "envelope version " + version + ", this node reads version " + EnvelopeFormat.VERSION);
    }
  }

  private static SignedEvent decode(byte[] wire) {
    try {
      SignedEvent envelope = CanonicalJson.decode(wire, SignedEvent.class);
      if (envelope == null) {
        throw new EventRejectedException(RejectReason.MALFORMED, "envelope is JSON null");
      }
      return envelope;
    } catch (StreamReadException e) {
      throw new EventRejectedException(
          RejectReason.MALFORMED, "not JSON: " + e.getOriginalMessage());
    } catch (InvalidTypeIdException e) {
      throw new EventRejectedException(
          RejectReason.UNKNOWN_EVENT_TYPE, "unknown event type " + e.getTypeId());
    } catch (ValueInstantiationException e) {
      // A record constructor refused a value: say which check failed, not Jackson's wrapper. A
      // missing field (null) is a shape error; a value out of range is an invalid field.
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      RejectReason reason =
          cause instanceof NullPointerException
              ? RejectReason.MALFORMED
              : RejectReason.INVALID_FIELD;
      throw rejectedShape(wire, reason, cause.getMessage());
    } catch (JacksonException e) {
      throw rejectedShape(wire, RejectReason.MALFORMED, e.getOriginalMessage());
    } catch (IOException e) {
      throw new EventRejectedException(RejectReason.MALFORMED, "unreadable: " + e.getMessage());
    }
  }

  /**
   * A later version may change the body's shape, so a shape error may really be a version error:
   * look for the version before blaming the JSON (only on this error path).
   */
  private static EventRejectedException rejectedShape(
      byte[] wire, RejectReason reason, String message) {
    try {
      JsonNode v = CanonicalJson.mapper().readTree(wire).path("body").path("v");
      if (v.isInt() && v.intValue() != EnvelopeFormat.VERSION) {
        return new EventRejectedException(
            RejectReason.UNKNOWN_VERSION,
            "envelope version "
                + v.intValue()
                + ", this node reads version "
                + EnvelopeFormat.VERSION);
      }
    } catch (IOException | RuntimeException ignored) {
      // fall through to the shape error
    }
    return new EventRejectedException(reason, message);
  }
}
