package io.layerproof.wallet.eip712;

import io.layerproof.chain.event.Bytes32;
import java.math.BigInteger;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The granting wallet's revocation of a session, effective at once:
 *
 * <pre>
 * RevokeSession(bytes32 sessionId,uint256 nonce)
 * </pre>
 *
 * Signed in JobMarket's domain ({@link GatewayEip712}), which verifies it on chain too. The gateway
 * must check that the signer is the wallet that granted {@code sessionId}.
 *
 * <p>Bounds: sessionId not zero, nonce 0..2^256-1.
 */
public record RevokeSession(Bytes32 sessionId, BigInteger nonce) implements GatewayMessage {

  public static final String PRIMARY_TYPE = "RevokeSession";

  /** The exact EIP-712 type string (its keccak256 is the type hash). */
  public static final String TYPE = "RevokeSession(bytes32 sessionId,uint256 nonce)";

  private static final List<TypedField> FIELDS =
      List.of(new TypedField("sessionId", "bytes32"), new TypedField("nonce", "uint256"));

  public RevokeSession {
    Objects.requireNonNull(sessionId, "sessionId");
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
    return List.of(sessionId, nonce);
  }

  @Override
  public Optional<String> boundsViolation() {
    if (sessionId.isZero()) {
      return Optional.of("sessionId is zero");
    }
    return TypedEncoding.uintViolation("nonce", 256, nonce);
  }
}
