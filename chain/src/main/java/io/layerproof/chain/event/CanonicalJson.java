package io.layerproof.chain.event;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;

/**
 * The one JSON form of events, envelopes and ledger state, which is also the byte form that is
 * hashed and signed:
 *
 * <ul>
 *   <li>UTF-8, no whitespace, object keys sorted by code point at every level (record fields and
 *       map keys alike; the event's {@code "type"} sorts among its fields);
 *   <li>absent optional fields are omitted, never {@code null};
 *   <li>{@code int}/{@code long} fields are JSON integers; uint256 values ({@link BigInteger}) are
 *       decimal strings without sign or leading zeros, so JavaScript and other readers that parse
 *       numbers as doubles cannot lose precision;
 *   <li>bytes (hashes, keys, addresses, signatures) are {@code 0x} plus lowercase hex;
 *   <li>no floating-point numbers anywhere.
 * </ul>
 *
 * Decoding is strict: unknown fields, duplicate keys, trailing data, floats and numbers given as
 * strings (or strings as numbers) are errors. Callers that need a unique form compare the input
 * with its re-encoding (see {@link EnvelopeVerifier}).
 */
public final class CanonicalJson {

  private static final JsonMapper MAPPER =
      JsonMapper.builder()
          .enable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
          // Records are all creator properties; without this they keep declaration order.
          .disable(MapperFeature.SORT_CREATOR_PROPERTIES_FIRST)
          .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
          .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
          .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
          .serializationInclusion(JsonInclude.Include.NON_NULL)
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
          .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
          .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          .addModule(
              new SimpleModule("layerproof-uint256")
                  .addSerializer(BigInteger.class, ToStringSerializer.instance)
                  .addDeserializer(BigInteger.class, new DecimalStringDeserializer()))
          .build();

  private CanonicalJson() {}

  /** The configured mapper (thread-safe), e.g. to read a tree of untrusted input. */
  public static JsonMapper mapper() {
    return MAPPER;
  }

  /** The canonical bytes of {@code value}. */
  public static byte[] encode(Object value) {
    try {
      return MAPPER.writeValueAsBytes(value);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException("cannot encode " + value.getClass().getSimpleName(), e);
    }
  }

  /** Strictly decodes {@code json}; Jackson's exceptions say what is wrong. */
  public static <T> T decode(byte[] json, Class<T> type) throws IOException {
    return MAPPER.readValue(json, type);
  }

  /** uint256 as a JSON string of decimal digits; anything else is an input error. */
  private static final class DecimalStringDeserializer extends JsonDeserializer<BigInteger> {
    @Override
    public BigInteger deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
      if (p.currentToken() != JsonToken.VALUE_STRING) {
        return (BigInteger)
            ctxt.handleUnexpectedToken(
                BigInteger.class, p.currentToken(), p, "uint256 must be a decimal string");
      }
      String text = p.getText();
      if (text.isEmpty()
          || text.length() > 78
          || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
        return (BigInteger)
            ctxt.handleWeirdStringValue(BigInteger.class, text, "not a decimal uint256");
      }
      return new BigInteger(text);
    }
  }
}
