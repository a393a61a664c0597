package io.layerproof.wallet.eip712;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.layerproof.chain.event.Bytes32;
import io.layerproof.chain.event.CanonicalJson;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The canonical form of {@code messages}: exact bytes, key order, escapes, refusals. */
class MessagesHashTest {

  private static String canonical(String json) throws Exception {
    return new String(
        MessagesHash.canonicalBytes(MessagesHash.readStrict(json.getBytes(StandardCharsets.UTF_8))),
        StandardCharsets.UTF_8);
  }

  @Test
  void whitespaceAndKeyOrderDoNotMatterAndTheBytesAreExact() throws Exception {
    String a = "[{\"role\":\"user\",\"content\":\"hi\"}]";
    String b = "[ {\n  \"content\" : \"hi\",\n  \"role\" : \"user\"\n} ]";
    assertEquals("[{\"content\":\"hi\",\"role\":\"user\"}]", canonical(a));
    assertEquals(canonical(a), canonical(b));
    assertEquals(MessagesHash.ofJson(a), MessagesHash.ofJson(b));
    assertEquals(
        Bytes32.keccak("[{\"content\":\"hi\",\"role\":\"user\"}]".getBytes(StandardCharsets.UTF_8)),
        MessagesHash.ofJson(a));
  }

  @Test
  void nestedKeysSortByUtf16CodeUnitsAndArraysKeepTheirOrder() throws Exception {
    // U+FF5E sorts after the surrogate pair of U+1F600 in UTF-16 order (before it by code point).
    String json =
        "[{\"z\":{\"b\":1,\"a\":[3,2,{\"y\":true,\"x\":null}]},\"\uFF5E\":0,\"\uD83D\uDE00\":0,"
            + "\"B\":false}]";
    assertEquals(
        "[{\"B\":false,\"z\":{\"a\":[3,2,{\"x\":null,\"y\":true}],\"b\":1},"
            + "\"\uD83D\uDE00\":0,\"\uFF5E\":0}]",
        canonical(json));
  }

  @Test
  void stringsEscapeLikeJsonStringify() throws Exception {
    String json =
        "[\"q\\\" b\\\\ \\b\\t\\n\\f\\r \\u0001\\u001f \\u007f / \\u00e9 \\ud83d\\ude00\"]";
    assertEquals(
        "[\"q\\\" b\\\\ \\b\\t\\n\\f\\r \\u0001\\u001f \u007f / \u00e9 \uD83D\uDE00\"]",
        canonical(json));
  }

  @Test
  void numbersAreIntegersWrittenPlainly() throws Exception {
    assertEquals(
        "[0,-5,9007199254740991,-9007199254740991]",
        canonical("[-0,-5,9007199254740991,-9007199254740991]"));
  }

  @Test
  void ambiguousInputIsRefused() {
    for (String bad :
        List.of(
            "[1.5]",
            "[1.0]",
            "[1e3]",
            "[9007199254740992]",
            "[{\"a\":1,\"a\":2}]",
            "[\"\\ud800\"]",
            "{\"role\":\"user\"}",
            "[] []",
            "not json")) {
      assertThrows(IllegalArgumentException.class, () -> MessagesHash.ofJson(bad), bad);
    }
  }

  @Test
  void contentChangesTheHash() {
    assertNotEquals(
        MessagesHash.ofJson("[{\"role\":\"user\",\"content\":\"hi\"}]"),
        MessagesHash.ofJson("[{\"role\":\"user\",\"content\":\"hi!\"}]"));
  }

  @Test
  void agreesWithTheLedgersCanonicalJsonOnPlainMessages() throws Exception {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("role", "user");
    m.put("content", "Explain \"EIP-712\" in one line, please — ünïcødé too.\n");
    m.put("name", "alice");
    List<Object> messages = List.of(m, Map.of("role", "assistant", "content", "ok"));
    byte[] ledger = CanonicalJson.encode(messages);
    byte[] ours = MessagesHash.canonicalBytes(CanonicalJson.mapper().valueToTree(messages));
    assertArrayEquals(ledger, ours, new String(ledger, StandardCharsets.UTF_8));
    assertTrue(ours.length > 0);
  }
}
