package io.layerproof.inference.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.layerproof.inference.TestModels;
import io.layerproof.inference.synth.ByteLevelTokenizer;
import java.util.List;
import org.junit.jupiter.api.Test;

class TokenizerTest {

  @Test
  void anyTextRoundTripsThroughTheByteLevelTokenizer() {
    try (TextTokenizer tok = TextTokenizer.open(TestModels.tiny())) {
      for (String text :
          List.of(
              "The model commits to every layer.",
              "  leading and trailing spaces  ",
              "tabs\tand\nnew lines\r\n",
              "accents: café, naïve; CJK: 区块链; emoji: 🧱⛓️",
              "")) {
        int[] ids = tok.encode(text, false);
        assertEquals(text, tok.decode(ids, true), text);
      }
    }
  }

  @Test
  void longPromptsAreNotTruncated() {
    try (TextTokenizer tok = TextTokenizer.open(TestModels.tiny())) {
      String text = "xyzzy ".repeat(400); // well over DJL's silent 512-token default
      int[] ids = tok.encode(text, false);
      assertTrue(ids.length > 1000, "ids: " + ids.length);
      assertEquals(text, tok.decode(ids, true));
    }
  }

  @Test
  void specialTokensAreAddedOnlyWhenAsked() {
    try (TextTokenizer tok = TextTokenizer.open(TestModels.tiny())) {
      int[] plain = tok.encode("the chain", false);
      int[] withBos = tok.encode("the chain", true);
      assertEquals(ByteLevelTokenizer.BOS_ID, withBos[0]);
      assertArrayEquals(plain, java.util.Arrays.copyOfRange(withBos, 1, withBos.length));
      // Merges apply: " chain" is one token, shorter than its 6 bytes.
      assertTrue(plain.length < "the chain".length(), "ids: " + plain.length);
      assertEquals("the chain", tok.decode(withBos, true));
    }
  }
}
