package io.layerproof.wallet.auth;

import com.fasterxml.jackson.databind.JsonNode;
import io.layerproof.chain.event.Bytes32;
import io.layerproof.wallet.eip712.ChatRequest;
import io.layerproof.wallet.eip712.MessagesHash;
import java.io.IOException;
import java.math.BigInteger;
import java.util.Objects;

/**
 * What a signed chat request takes from the unmodified OpenAI request body: {@code model}, {@code
 * messages} and the token limit ({@code max_tokens}, or {@code max_completion_tokens} when {@code
 * max_tokens} is absent; both present and different is refused). Every other member (temperature,
 * stream, ...) is the gateway's business and is not signed.
 */
public record ChatBody(String model, JsonNode messages, long maxTokens) {

  public ChatBody {
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(messages, "messages");
  }

  /** Parses the body strictly (duplicate keys, trailing data refused). */
  public static ChatBody parse(byte[] body) throws RejectedException {
    if (body == null) {
      throw Wire.malformed("no request body");
    }
    JsonNode root;
    try {
      root = MessagesHash.readStrict(body);
    } catch (IOException e) {
      throw Wire.malformed("the body is not JSON: " + Wire.why(e));
    }
    if (!root.isObject()) {
      throw Wire.malformed("the body must be a JSON object");
    }
    String model = Wire.string(root, "model", "");
    JsonNode messages = Wire.member(root, "messages", "");
    if (!messages.isArray() || messages.isEmpty()) {
      throw Wire.malformed("messages must be a non-empty array");
    }
    BigInteger maxTokens = tokenLimit(root, "max_tokens");
    BigInteger completion = tokenLimit(root, "max_completion_tokens");
    if (maxTokens == null) {
      maxTokens = completion;
    } else if (completion != null && !completion.equals(maxTokens)) {
      throw Wire.malformed("max_tokens and max_completion_tokens differ");
    }
    if (maxTokens == null) {
      throw Wire.malformed("max_tokens is required for a signed request");
    }
    if (maxTokens.signum() <= 0
        || maxTokens.compareTo(BigInteger.valueOf(ChatRequest.MAX_TOKENS_LIMIT)) > 0) {
      throw Wire.outOfRange("max_tokens must be 1..2^32-1, got " + maxTokens);
    }
    return new ChatBody(model, messages, maxTokens.longValueExact());
  }

  private static BigInteger tokenLimit(JsonNode root, String name) throws RejectedException {
    JsonNode v = root.get(name);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isIntegralNumber()) {
      throw Wire.malformed(name + " must be a JSON integer");
    }
    return v.bigIntegerValue();
  }

  /** {@link MessagesHash} of {@link #messages()}. */
  public Bytes32 messagesHash() throws RejectedException {
    try {
      return MessagesHash.of(messages);
    } catch (IllegalArgumentException e) {
      throw Wire.malformed(e.getMessage());
    }
  }

  /** The request to sign or verify, with the header fields added. */
  public ChatRequest toRequest(BigInteger maxPrice, BigInteger nonce, long expiry)
      throws RejectedException {
    return new ChatRequest(model, messagesHash(), maxTokens, maxPrice, nonce, expiry);
  }
}
