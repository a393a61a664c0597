package io.layerproof.wallet.eip712;

import io.layerproof.chain.event.Bytes32;
import java.math.BigInteger;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A buyer's signed chat completion request:
 *
 * <pre>
 * ChatRequest(string model,bytes32 messagesHash,uint32 maxTokens,uint256 maxPrice,uint256 nonce,uint64 expiry)
 * </pre>
 *
 * {@code model} and {@code maxTokens} are the OpenAI body's {@code model} and {@code max_tokens};
 * {@code messagesHash} is {@link MessagesHash} of its {@code messages}; {@code maxPrice} is the
 * most the buyer pays (token base units), {@code nonce} is never to be accepted twice (the gateway
 * tracks it), {@code expiry} is in Unix seconds and the request is valid while {@code now <
 * expiry}.
 *
 * <p>Bounds: model 1..{@value #MAX_MODEL_BYTES} UTF-8 bytes of well-formed Unicode, maxTokens
 * 1..2^32-1, maxPrice 1..2^256-1, nonce 0..2^256-1, expiry 1..2^63-1 (a Java long; later expiries
 * are refused).
 */
public record ChatRequest(
    String model,
    Bytes32 messagesHash,
    long maxTokens,
    BigInteger maxPrice,
    BigInteger nonce,
    long expiry)
    implements GatewayMessage {

  public static final String PRIMARY_TYPE = "ChatRequest";

  /** The exact EIP-712 type string (its keccak256 is the type hash). */
  public static final String TYPE =
      "ChatRequest(string model,bytes32 messagesHash,uint32 maxTokens,uint256 maxPrice,"
          + "uint256 nonce,uint64 expiry)";

  public static final int MAX_MODEL_BYTES = 256;
  public static final long MAX_TOKENS_LIMIT = 0xFFFF_FFFFL;

  private static final List<TypedField> FIELDS =
      List.of(
          new TypedField("model", "string"),
          new TypedField("messagesHash", "bytes32"),
          new TypedField("maxTokens", "uint32"),
          new TypedField("maxPrice", "uint256"),
          new TypedField("nonce", "uint256"),
          new TypedField("expiry", "uint64"));

  public ChatRequest {
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(messagesHash, "messagesHash");
    Objects.requireNonNull(maxPrice, "maxPrice");
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
    return List.of(model, messagesHash, maxTokens, maxPrice, nonce, expiry);
  }

  @Override
  public Optional<String> boundsViolation() {
    if (model.isEmpty()) {
      return Optional.of("model is empty");
    }
    if (!TypedEncoding.isWellFormed(model)) {
      return Optional.of("model is not well-formed Unicode");
    }
    if (TypedEncoding.utf8Length(model) > MAX_MODEL_BYTES) {
      return Optional.of("model is longer than " + MAX_MODEL_BYTES + " UTF-8 bytes");
    }
    if (maxTokens < 1 || maxTokens > MAX_TOKENS_LIMIT) {
      return Optional.of("maxTokens must be 1..2^32-1, got " + maxTokens);
    }
    Optional<String> v = TypedEncoding.uintViolation("maxPrice", 256, maxPrice);
    if (v.isPresent()) {
      return v;
    }
    if (maxPrice.signum() == 0) {
      return Optional.of("maxPrice must be positive");
    }
    v = TypedEncoding.uintViolation("nonce", 256, nonce);
    if (v.isPresent()) {
      return v;
    }
    if (expiry < 1) {
      return Optional.of("expiry must be 1..2^63-1 Unix seconds, got " + expiry);
    }
    return Optional.empty();
  }
}
