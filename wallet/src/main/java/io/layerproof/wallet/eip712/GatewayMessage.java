package io.layerproof.wallet.eip712;

import io.layerproof.chain.event.Bytes32;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * A struct a wallet signs under JobMarket's EIP-712 domain ({@link GatewayEip712}) and the gateway
 * accepts. Every member is a static type (string, bytes32, uintN), so the struct hash is keccak256
 * of the type hash followed by one 32-byte word per member, in declaration order.
 */
public sealed interface GatewayMessage permits ChatRequest, SessionGrant, RevokeSession {

  /** The struct's name, EIP-712's primary type. */
  String primaryType();

  /** The members in declaration order. */
  List<TypedField> fields();

  /**
   * The member values in declaration order: a {@link String} for {@code string}, a {@link Bytes32}
   * for {@code bytes32}, a {@link java.math.BigInteger} or {@link Long} for {@code uintN}.
   */
  List<Object> values();

  /**
   * The first member outside its bounds, described for a person; empty when every member is in
   * range. Out-of-range messages are never hashed or signed.
   */
  Optional<String> boundsViolation();

  /** EIP-712 {@code encodeType}: {@code Name(type1 name1,type2 name2,...)}. */
  default String encodeType() {
    return primaryType()
        + fields().stream().map(TypedField::toString).collect(Collectors.joining(",", "(", ")"));
  }

  /** keccak256 of {@link #encodeType()}. */
  default Bytes32 typeHash() {
    return Bytes32.of(TypedEncoding.keccak(encodeType()));
  }

  /**
   * EIP-712 {@code hashStruct}.
   *
   * @throws IllegalArgumentException when a member is out of bounds
   */
  default Bytes32 structHash() {
    boundsViolation()
        .ifPresent(
            v -> {
              throw new IllegalArgumentException(primaryType() + ": " + v);
            });
    return Bytes32.of(TypedEncoding.structHash(typeHash(), fields(), values()));
  }
}
