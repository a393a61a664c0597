package io.layerproof.inference.sampling;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.layerproof.inference.TestModels;
import io.layerproof.inference.model.TextTokenizer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The decode loop against a scripted "model" that emits the bytes of a fixed text. */
class GeneratorTest {

  private static TextTokenizer tok;

  @BeforeAll
  static void open() {
    tok = TextTokenizer.open(TestModels.tiny());
  }

  @AfterAll
  static void close() {
    tok.close();
  }

  /** A step whose greedy pick is the next byte of {@code script} (byte ids are the bytes). */
  private static Generator.Step scripted(byte[] script, List<Integer> fed) {
    int[] next = {0};
    return tokens -> {
      for (int t : tokens) {
        fed.add(t);
      }
      float[] logits = new float[320];
      logits[next[0] < script.length ? script[next[0]++] & 0xff : 257] = 10f;
      return logits;
    };
  }

  @Test
  void streamsDeltasThatAddUpToTheTextAndStopsAtMaxTokens() {
    byte[] script = "Grüße aus der Kette".getBytes(StandardCharsets.UTF_8);
    List<Integer> fed = new ArrayList<>();
    StringBuilder streamed = new StringBuilder();
    List<Integer> indices = new ArrayList<>();
    Generation g =
        Generator.run(
            scripted(script, fed),
            new int[] {256, 65},
            SamplingParams.greedy(8),
            tok,
            List.of(257),
            2048,
            (i, id, delta) -> {
              indices.add(i);
              streamed.append(delta);
            });
    assertEquals(FinishReason.MAX_TOKENS, g.finishReason());
    assertEquals(8, g.tokens().length);
    assertEquals("Grüße ", g.text()); // 8 bytes: ü and ß take two each
    assertEquals(g.text(), streamed.toString());
    assertEquals(List.of(0, 1, 2, 3, 4, 5, 6, 7), indices);
    // The prompt, then each generated token but the last, was fed back.
    assertEquals(2 + 7, fed.size());
  }

  @Test
  void stopSequenceCutsTheTextAndHoldsBackItsPrefix() {
    byte[] script = "one, two. three".getBytes(StandardCharsets.UTF_8);
    StringBuilder streamed = new StringBuilder();
    Generation g =
        Generator.run(
            scripted(script, new ArrayList<>()),
            new int[] {256},
            SamplingParams.greedy(50).withStopSequences(List.of(". t", "zzz")),
            tok,
            List.of(257),
            2048,
            new TokenListener() {
              @Override
              public void onToken(int index, int tokenId, String textDelta) {
                streamed.append(textDelta);
              }

              @Override
              public void onFinish(FinishReason reason, String textDelta) {
                streamed.append(textDelta);
              }
            });
    assertEquals(FinishReason.STOP_SEQUENCE, g.finishReason());
    assertEquals("one, two", g.text());
    assertEquals("one, two", streamed.toString());
  }

  @Test
  void endOfSequenceEndsGenerationWithoutTheEosToken() {
    byte[] script = "ok".getBytes(StandardCharsets.UTF_8);
    Generation g =
        Generator.run(
            scripted(script, new ArrayList<>()),
            new int[] {256},
            SamplingParams.greedy(50),
            tok,
            List.of(257),
            2048,
            TokenListener.NONE);
    assertEquals(FinishReason.EOS, g.finishReason());
    assertArrayEquals(new int[] {'o', 'k'}, g.tokens());
    assertEquals("ok", g.text());
  }

  @Test
  void maxTokensBeyondTheContextIsAClearError() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                Generator.run(
                    scripted(new byte[0], new ArrayList<>()),
                    new int[] {256, 1, 2},
                    SamplingParams.greedy(2046),
                    tok,
                    List.of(257),
                    2048,
                    TokenListener.NONE));
    assertEquals(
        "max tokens 2046 plus the prompt's 3 tokens exceed the model's context of 2048 positions",
        e.getMessage());
    assertTrue(
        assertThrows(
                IllegalArgumentException.class,
                () ->
                    Generator.run(
                        t -> new float[1],
                        new int[0],
                        SamplingParams.greedy(1),
                        null,
                        List.of(),
                        10,
                        TokenListener.NONE))
            .getMessage()
            .contains("no tokens"));
  }
}
