package io.layerproof.chain.event;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class CanonicalJsonTest {

  @Test
  void everyEventTypeRoundTripsToTheSameBytes() throws IOException {
    for (LedgerEvent event : TestEvents.oneOfEach()) {
      byte[] bytes = CanonicalJson.encode(event);
      LedgerEvent back = CanonicalJson.decode(bytes, LedgerEvent.class);
      assertEquals(event, back, event.type());
      assertArrayEquals(bytes, CanonicalJson.encode(back), event.type());
    }
  }

  @Test
  void theTestDataCoversEveryEventType() {
    Set<Class<?>> covered =
        TestEvents.oneOfEach().stream().map(Object::getClass).collect(Collectors.toSet());
    assertEquals(Set.of(LedgerEvent.class.getPermittedSubclasses()), covered);
  }

  @Test
  void keysAreSortedAtEveryLevelAndThereIsNoWhitespace() throws IOException {
    for (LedgerEvent event : TestEvents.oneOfEach()) {
      byte[] bytes = CanonicalJson.encode(event);
      String text = new String(bytes, StandardCharsets.UTF_8);
      assertFalse(text.matches("(?s).*\\s.*"), () -> "whitespace in " + text);
      assertSorted(CanonicalJson.mapper().readTree(bytes), event.type());
      assertTrue(text.contains("\"type\":\"" + event.type() + "\""), text);
    }
    SignedEvent signed =
        new EventSigner(TestEvents.nodeKey("a"), TestEvents.DOMAIN, 0)
            .sign(TestEvents.oneOfEach().get(3));
    assertSorted(CanonicalJson.mapper().readTree(signed.toWire()), "envelope");
  }

  @Test
  void bigIntegersAreDecimalStringsAndBytesLowercaseHex() {
    JobSettled settled =
        new JobSettled(
            TestEvents.h("j"),
            List.of(
                new Payout(
                    EthAddress.fromHex("0xABCDEF0000000000000000000000000000000001"),
                    new BigInteger("340282366920938463463374607431768211456"))),
            BigInteger.TEN);
    String text = new String(CanonicalJson.encode(settled), StandardCharsets.UTF_8);
    assertTrue(text.contains("\"amount\":\"340282366920938463463374607431768211456\""), text);
    assertTrue(text.contains("\"refund\":\"10\""), text);
    assertTrue(text.contains("\"recipient\":\"0xabcdef0000000000000000000000000000000001\""), text);
  }

  @Test
  void decodingIsStrict() {
    String good =
        new String(CanonicalJson.encode(TestEvents.oneOfEach().get(4)), StandardCharsets.UTF_8);
    List<String> bad = new ArrayList<>();
    bad.add(good.replace("\"position\":3", "\"position\":3.0")); // float
    bad.add(good.replace("\"position\":3", "\"position\":\"3\"")); // number as string
    bad.add(good.replace("\"position\":3", "\"position\":3,\"extra\":1")); // unknown field
    bad.add(good.replace("\"position\":3", "\"position\":3,\"position\":4")); // duplicate key
    bad.add(good + "{}"); // trailing data
    bad.add(good.replace("\"position\":3,", "")); // missing primitive
    bad.add(good.replace("\"jobId\":\"" + TestEvents.h("job") + "\",", "")); // missing object
    String settled =
        new String(CanonicalJson.encode(TestEvents.oneOfEach().get(8)), StandardCharsets.UTF_8);
    bad.add(settled.replace("\"refund\":\"0\"", "\"refund\":0")); // uint256 as a number
    bad.add(settled.replace("\"refund\":\"0\"", "\"refund\":\"-1\"")); // negative uint256
    bad.add(settled.replace("\"refund\":\"0\"", "\"refund\":\"1e3\"")); // not decimal digits
    for (String json : bad) {
      assertThrows(
          Exception.class,
          () -> CanonicalJson.decode(json.getBytes(StandardCharsets.UTF_8), LedgerEvent.class),
          json);
    }
  }

  @Test
  void missingPrimitiveWouldOtherwiseReadAsZero() throws IOException {
    // Documents why the envelope verifier compares input with its re-encoding: a body that omits
    // a number decodes (as 0) but is not canonical.
    String good =
        new String(CanonicalJson.encode(TestEvents.oneOfEach().get(4)), StandardCharsets.UTF_8);
    String missing = good.replace("\"position\":3,", "");
    assertThrows(
        Exception.class,
        () -> CanonicalJson.decode(missing.getBytes(StandardCharsets.UTF_8), LedgerEvent.class));
  }

  private static void assertSorted(JsonNode node, String where) {
    if (node.isObject()) {
      List<String> names = new ArrayList<>();
      for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
        names.add(it.next());
      }
      List<String> sorted = new ArrayList<>(names);
      sorted.sort(null);
      assertEquals(sorted, names, "keys of an object in " + where);
      node.fields().forEachRemaining(e -> assertSorted(e.getValue(), where));
    } else if (node.isArray()) {
      node.forEach(n -> assertSorted(n, where));
    }
  }
}
