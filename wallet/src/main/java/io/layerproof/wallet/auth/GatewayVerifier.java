package io.layerproof.wallet.auth;

import io.layerproof.chain.event.Bytes32;
import io.layerproof.chain.event.EthAddress;
import io.layerproof.chain.event.LedgerDomain;
import io.layerproof.wallet.eip712.ChatRequest;
import io.layerproof.wallet.eip712.GatewayEip712;
import io.layerproof.wallet.eip712.GatewayMessage;
import io.layerproof.wallet.eip712.RevokeSession;
import io.layerproof.wallet.eip712.SessionGrant;
import java.time.Clock;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * Checks signed gateway messages for one deployment (chain id and JobMarket address: JobMarket's
 * EIP-712 domain, the one every wallet signature uses) against a clock. Checks run cheapest first
 * and stop at the first failure: member bounds, signature format (65 bytes, v 27/28, low s), the
 * stated domain where the wire form carries one, expiry ({@code now < expiry}, in whole Unix
 * seconds of {@code clock}), then recovery of the signer from the digest under this deployment's
 * domain, which must equal the claimed address. A signature made for another chain or contract, by
 * another key, or over any other member values recovers to another address and is refused as {@link
 * RejectReason#WRONG_SIGNER}.
 *
 * <p>A valid chat request's {@link Verification.Valid#digest()} is JobMarket's jobId for it, and
 * its signature is the one {@code JobMarket.openJob} takes.
 *
 * <p>Not checked here: replay (the gateway records each accepted nonce per signer; on chain,
 * JobMarket refuses a spent nonce), the escrow balance, session caps, and that a revocation's
 * signer granted the session.
 */
public final class GatewayVerifier {

  private final LedgerDomain domain;
  private final Clock clock;

  public GatewayVerifier(LedgerDomain domain, Clock clock) {
    this.domain = Objects.requireNonNull(domain, "domain");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  public LedgerDomain domain() {
    return domain;
  }

  // ---- chat requests ----

  public Verification<ChatRequest> verifyChat(
      ChatRequest request, EthAddress claimedSigner, byte[] signature) {
    return verify(request, claimedSigner, signature, null);
  }

  public Verification<ChatRequest> verifyChat(SignedChatRequest signed) {
    return verifyChat(signed.request(), signed.address(), signed.signature().toByteArray());
  }

  /**
   * Reads and checks a signed chat request from HTTP ({@code header}: case-insensitive lookup, null
   * when absent; {@code body}: the raw OpenAI body).
   */
  public Verification<ChatRequest> verifyChatHttp(Function<String, String> header, byte[] body) {
    try {
      return verifyChat(SignedChatRequest.fromHttp(header, body));
    } catch (RejectedException e) {
      return invalid(e);
    }
  }

  // ---- session grants ----

  public Verification<SessionGrant> verifyGrant(
      SessionGrant grant, EthAddress claimedSigner, byte[] signature) {
    return verify(grant, claimedSigner, signature, null);
  }

  public Verification<SessionGrant> verifyGrant(SignedSessionGrant signed) {
    return verify(
        signed.grant(), signed.address(), signed.signature().toByteArray(), signed.domain());
  }

  /** Reads and checks a {@code POST /v1/sessions} body. */
  public Verification<SessionGrant> verifyGrantJson(byte[] body) {
    try {
      return verifyGrant(SignedSessionGrant.fromJson(body));
    } catch (RejectedException e) {
      return invalid(e);
    }
  }

  // ---- revocations ----

  public Verification<RevokeSession> verifyRevocation(
      RevokeSession revoke, EthAddress claimedSigner, byte[] signature) {
    return verify(revoke, claimedSigner, signature, null);
  }

  public Verification<RevokeSession> verifyRevocation(SignedRevocation signed) {
    return verify(
        signed.revoke(), signed.address(), signed.signature().toByteArray(), signed.domain());
  }

  /** Reads and checks a {@code POST /v1/sessions/revoke} body. */
  public Verification<RevokeSession> verifyRevocationJson(byte[] body) {
    try {
      return verifyRevocation(SignedRevocation.fromJson(body));
    } catch (RejectedException e) {
      return invalid(e);
    }
  }

  // ---- the checks ----

  private <T extends GatewayMessage> Verification<T> verify(
      T message, EthAddress claimedSigner, byte[] signature, LedgerDomain statedDomain) {
    Objects.requireNonNull(message, "message");
    Objects.requireNonNull(claimedSigner, "claimedSigner");
    Optional<String> bounds = message.boundsViolation();
    if (bounds.isPresent()) {
      return new Verification.Invalid<>(
          RejectReason.FIELD_OUT_OF_RANGE, message.primaryType() + ": " + bounds.get());
    }
    try {
      Signatures.checkFormat(signature);
    } catch (RejectedException e) {
      return invalid(e);
    }
    if (statedDomain != null && !statedDomain.equals(domain)) {
      return new Verification.Invalid<>(
          RejectReason.WRONG_DOMAIN,
          "signed for chain "
              + statedDomain.chainId()
              + " and contract "
              + statedDomain.contract()
              + "; this gateway is chain "
              + domain.chainId()
              + " and contract "
              + domain.contract());
    }
    long expiry = expiryOf(message);
    if (expiry > 0) {
      long now = clock.instant().getEpochSecond();
      if (now >= expiry) {
        return new Verification.Invalid<>(
            RejectReason.EXPIRED,
            message.primaryType() + " expired at " + expiry + " (now " + now + ")");
      }
    }
    Bytes32 digest = GatewayEip712.digest(domain, message);
    EthAddress signer;
    try {
      signer = Signatures.recover(digest, signature);
    } catch (RejectedException e) {
      return invalid(e);
    }
    if (!signer.equals(claimedSigner)) {
      return new Verification.Invalid<>(
          RejectReason.WRONG_SIGNER,
          "the signature recovers to "
              + signer
              + ", not "
              + claimedSigner
              + " (another key, domain or field values)");
    }
    return new Verification.Valid<>(message, signer, digest);
  }

  /** The expiry in Unix seconds, or 0 for messages without one. */
  private static long expiryOf(GatewayMessage message) {
    if (message instanceof ChatRequest c) {
      return c.expiry();
    }
    if (message instanceof SessionGrant g) {
      return g.expiry();
    }
    return 0;
  }

  private static <T extends GatewayMessage> Verification<T> invalid(RejectedException e) {
    return Verification.Invalid.of(e);
  }
}
