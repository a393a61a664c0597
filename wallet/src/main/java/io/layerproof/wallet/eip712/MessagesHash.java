package io.layerproof.wallet.eip712;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.layerproof.chain.event.Bytes32;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code messagesHash} of a {@link ChatRequest}: keccak256 of the canonical JSON of the OpenAI
 * request's {@code messages} array. The canonical form is RFC 8785 (JSON Canonicalization Scheme)
 * restricted to integers, so {@code JSON.stringify} with sorted keys produces the same bytes:
 *
 * <ul>
 *   <li>UTF-8, no whitespace between tokens;
 *   <li>object members sorted by key, comparing UTF-16 code units (JavaScript's default sort,
 *       Java's {@code String.compareTo});
 *   <li>strings escape {@code "} and {@code \} as {@code \"} and {@code \\}, U+0008, U+0009,
 *       U+000A, U+000C, U+000D as {@code \b \t \n \f \r}, other code points below U+0020 as {@code
 *       \}{@code u00xx} (lowercase hex), and nothing else (non-ASCII is written as UTF-8, {@code /}
 *       unescaped);
 *   <li>numbers must be integers of magnitude at most 2^53-1 written without fraction or exponent,
 *       and are written in decimal without sign for zero ({@code -0} becomes {@code 0});
 *   <li>{@code true}, {@code false}, {@code null} as themselves.
 * </ul>
 *
 * Input that cannot be canonicalised unambiguously is refused: a fraction or exponent, a larger
 * integer, a duplicate key, an unpaired surrogate, trailing data.
 */
public final class MessagesHash {

  /** 2^53 - 1, the largest integer every JSON implementation reads exactly. */
  public static final long MAX_SAFE_INTEGER = (1L << 53) - 1;

  private static final JsonMapper STRICT =
      JsonMapper.builder()
          .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .enable(DeserializationFeature.USE_BIG_INTEGER_FOR_INTS)
          .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
          .build();

  private MessagesHash() {}

  /** keccak256 of {@link #canonicalBytes(JsonNode)}. */
  public static Bytes32 of(JsonNode messages) {
    return Bytes32.keccak(canonicalBytes(messages));
  }

  /** Parses {@code messagesJson} strictly, then hashes it. */
  public static Bytes32 ofJson(String messagesJson) {
    try {
      return of(readStrict(messagesJson.getBytes(StandardCharsets.UTF_8)));
    } catch (IOException e) {
      String why = e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
      throw new IllegalArgumentException("messages are not JSON: " + why, e);
    }
  }

  /**
   * The canonical bytes of a {@code messages} array.
   *
   * @throws IllegalArgumentException when {@code messages} is not an array or holds something the
   *     canonical form refuses
   */
  public static byte[] canonicalBytes(JsonNode messages) {
    if (messages == null || !messages.isArray()) {
      throw new IllegalArgumentException("messages must be a JSON array");
    }
    StringBuilder out = new StringBuilder();
    write(messages, out, "messages");
    return out.toString().getBytes(StandardCharsets.UTF_8);
  }

  /**
   * Reads JSON strictly: duplicate keys and trailing data are errors, integers keep every digit and
   * fractions stay decimal (so the canonical writer can refuse them).
   */
  public static JsonNode readStrict(byte[] json) throws IOException {
    JsonNode node = STRICT.readTree(json);
    if (node == null || node.isMissingNode()) {
      throw new IOException("empty input");
    }
    return node;
  }

  private static void write(JsonNode node, StringBuilder out, String path) {
    switch (node.getNodeType()) {
      case OBJECT -> {
        List<Map.Entry<String, JsonNode>> entries = new ArrayList<>(node.properties());
        entries.sort(Map.Entry.comparingByKey());
        out.append('{');
        for (int i = 0; i < entries.size(); i++) {
          if (i > 0) {
            out.append(',');
          }
          Map.Entry<String, JsonNode> e = entries.get(i);
          writeString(e.getKey(), out, path);
          out.append(':');
          write(e.getValue(), out, path + "." + e.getKey());
        }
        out.append('}');
      }
      case ARRAY -> {
        out.append('[');
        for (int i = 0; i < node.size(); i++) {
          if (i > 0) {
            out.append(',');
          }
          write(node.get(i), out, path + "[" + i + "]");
        }
        out.append(']');
      }
      case STRING -> writeString(node.textValue(), out, path);
      case NUMBER -> {
        if (!node.isIntegralNumber()) {
          throw new IllegalArgumentException(
              path + ": only integers are allowed in messages, got " + node);
        }
        BigInteger v = node.bigIntegerValue();
        if (v.abs().compareTo(BigInteger.valueOf(MAX_SAFE_INTEGER)) > 0) {
          throw new IllegalArgumentException(path + ": integer beyond 2^53-1: " + v);
        }
        out.append(v.toString());
      }
      case BOOLEAN -> out.append(node.booleanValue() ? "true" : "false");
      case NULL -> out.append("null");
      default ->
          throw new IllegalArgumentException(path + ": not plain JSON: " + node.getNodeType());
    }
  }

  private static void writeString(String s, StringBuilder out, String path) {
    if (!TypedEncoding.isWellFormed(s)) {
      throw new IllegalArgumentException(path + ": string with an unpaired surrogate");
    }
    out.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\b' -> out.append("\\b");
        case '\t' -> out.append("\\t");
        case '\n' -> out.append("\\n");
        case '\f' -> out.append("\\f");
        case '\r' -> out.append("\\r");
        default -> {
          if (c < 0x20) {
            out.append("\\u00")
                .append(Character.forDigit(c >> 4, 16))
                .append(Character.forDigit(c & 0xF, 16));
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }
}
