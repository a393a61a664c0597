package io.layerproof.wallet.eip712;

import io.layerproof.chain.event.Bytes32;
import java.math.BigInteger;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A wallet's grant of a spending session, signed once:
 *
 * <pre>
 * SessionGrant(bytes32 sessionId,uint256 spendingCap,uint64 expiry,uint256 nonce)
 * </pre>
 *
 * The gateway registers it and hands back an API key bound to {@code sessionId}; requests with that
 * key are charged to the signing wallet's escrow until their total reaches {@code spendingCap}
 * (token base units) or until {@code expiry} (Unix seconds, valid while {@code now < expiry}).
 * Signed in JobMarket's domain ({@link GatewayEip712}), which verifies it on chain too.
 *
 * <p>Bounds: sessionId not zero, spendingCap 1..2^256-1, expiry 1..2^63-1, nonce 0..2^256-1.
 */
public record SessionGrant(Bytes32 sessionId, BigInteger spendingCap, long expiry, BigInteger nonce)
    implements GatewayMessage {

  public static final String PRIMARY_TYPE = "SessionGrant";

  /** The exact EIP-712 type string (its keccak256 is the type hash). */
  public static final String TYPE =
      "SessionGrant(bytes32 sessionId,uint256 spendingCap,uint64 expiry,uint256 nonce)";

  private static final List<TypedField> FIELDS =
      List.of(
          new TypedField("sessionId", "bytes32"),
          new TypedField("spendingCap", "uint256"),
          new TypedField("expiry", "uint64"),
          new TypedField("nonce", "uint256"));

  public SessionGrant {
    Objects.requireNonNull(sessionId, "sessionId");
    Objects.requireNonNull(spendingCap, "spendingCap");
    Objects.requireNonNull(nonce, "nonce");
  }

  @Override
  public String primaryType() {
    return PRIMARY_TYPE;
  }

  @Override
  public List<TypedField> fields() {
    return FIELDS;
  }

  @Override
  public List<Object> values() {
    return List.of(sessionId, spendingCap, expiry, nonce);
  }

  @Override
  public Optional<String> boundsViolation() {
    if (sessionId.isZero()) {
      return Optional.of("sessionId is zero");
    }
    Optional<String> v = TypedEncoding.uintViolation("spendingCap", 256, spendingCap);
    if (v.isPresent()) {
      return v;
    }
    if (spendingCap.signum() == 0) {
      return Optional.of("spendingCap must be positive");
    }
    if (expiry < 1) {
      return Optional.of("expiry must be 1..2^63-1 Unix seconds, got " + expiry);
    }
    return TypedEncoding.uintViolation("nonce", 256, nonce);
  }
}
