package io.layerproof.inference.shard;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.layerproof.inference.TestModels;
import io.layerproof.inference.hook.Activation;
import io.layerproof.inference.hook.ElementType;
import io.layerproof.inference.model.LlamaModel;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class FrameCodecTest {

  @Test
  void framesRoundTripExactly() {
    HiddenStateFrame tokens = HiddenStateFrame.tokens(7, new int[] {1, 2, 300});
    HiddenStateFrame back = FrameCodec.decode(FrameCodec.encode(tokens));
    assertEquals(7, back.startPosition());
    assertArrayEquals(new int[] {1, 2, 300}, back.tokenIds());
    byte[] data = new byte[2 * 3 * 4];
    data[5] = 42;
    HiddenStateFrame hidden =
        new HiddenStateFrame(3, new Activation(ElementType.FP32, new int[] {2, 3}, data));
    assertEquals(hidden, FrameCodec.decode(FrameCodec.encode(hidden)));
  }

  @Test
  void corruptFramesAreRefusedWithAReason() {
    byte[] good = FrameCodec.encode(HiddenStateFrame.tokens(0, new int[] {5, 6}));
    assertThrows(IllegalArgumentException.class, () -> FrameCodec.decode(new byte[5]));
    byte[] magic = good.clone();
    magic[0] ^= 1;
    assertTrue(message(magic).contains("magic"));
    assertTrue(message(Arrays.copyOf(good, good.length - 1)).contains("needs 8 data bytes, has 7"));
    byte[] rank = good.clone();
    rank[6] = 9;
    assertTrue(message(rank).contains("rank"));
    byte[] dtype = good.clone();
    dtype[5] = 77;
    assertTrue(message(dtype).contains("unknown element type"));
  }

  @Test
  void fp16FramesHalveTheBytesAndKeepTheLogitsClose() {
    try (LlamaModel model = LlamaModel.open(TestModels.tiny());
        Pipeline fp32 = Pipeline.load(model, 2, ShardOptions.DEFAULT);
        Pipeline fp16 =
            Pipeline.load(model, 2, new ShardOptions(ElementType.FP16, ElementType.FP32))) {
      int[] prompt = model.tokenizer().encode("half precision on the wire", true);
      float[] a;
      float[] b;
      long bytes32;
      long bytes16;
      try (Pipeline.Session s = fp32.open("a", List.of())) {
        a = s.forward(prompt);
        bytes32 = s.frameBytes();
      }
      try (Pipeline.Session s = fp16.open("b", List.of())) {
        b = s.forward(prompt);
        bytes16 = s.frameBytes();
      }
      int header = 12 + 8;
      assertEquals((bytes32 - header) / 2, bytes16 - header);
      double rel = KvCacheDecodeTest.relativeDiff(b, a);
      assertTrue(rel > 0 && rel < 1e-2, "fp16 wire changes logits by " + rel);
    }
  }

  private static String message(byte[] frame) {
    return assertThrows(IllegalArgumentException.class, () -> FrameCodec.decode(frame))
        .getMessage();
  }
}
