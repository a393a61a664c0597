package io.layerproof.inference.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class HalfFloatsTest {

  @Test
  void binary16DecodesNormalsSubnormalsAndSpecials() {
    assertEquals(1.0f, HalfFloats.f16ToFloat((short) 0x3C00));
    assertEquals(-2.0f, HalfFloats.f16ToFloat((short) 0xC000));
    assertEquals(65504.0f, HalfFloats.f16ToFloat((short) 0x7BFF));
    assertEquals(0.333251953125f, HalfFloats.f16ToFloat((short) 0x3555));
    assertEquals(0x1p-24f, HalfFloats.f16ToFloat((short) 0x0001));
    assertEquals(-0x1.ff8p-15f, HalfFloats.f16ToFloat((short) 0x83FF));
    assertEquals(Float.POSITIVE_INFINITY, HalfFloats.f16ToFloat((short) 0x7C00));
    assertTrue(Float.isNaN(HalfFloats.f16ToFloat((short) 0x7E00)));
    assertEquals(
        Float.floatToIntBits(-0.0f), Float.floatToIntBits(HalfFloats.f16ToFloat((short) 0x8000)));
  }

  @Test
  void bfloat16IsTheTopHalfOfAFloat() {
    assertEquals(1.0f, HalfFloats.bf16ToFloat((short) 0x3F80));
    assertEquals(-3.140625f, HalfFloats.bf16ToFloat((short) 0xC049));
  }
}
