package io.layerproof.inference.shard;

import io.layerproof.inference.hook.Activation;
import io.layerproof.inference.hook.ElementType;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * What crosses a shard boundary for one forward step: token ids [count] into the first shard,
 * hidden states [count, hidden] between shards (fp32 or fp16), logits [vocab] out of the last.
 *
 * @param startPosition the position of the first row (for logits: the position they follow)
 */
public record HiddenStateFrame(int startPosition, Activation payload) {

  public HiddenStateFrame {
    if (startPosition < 0) {
      throw new IllegalArgumentException("negative start position " + startPosition);
    }
  }

  public static HiddenStateFrame tokens(int startPosition, int[] ids) {
    ByteBuffer buf = ByteBuffer.allocate(ids.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    for (int id : ids) {
      buf.putInt(id);
    }
    return new HiddenStateFrame(
        startPosition, new Activation(ElementType.INT32, new int[] {ids.length}, buf.array()));
  }

  public ElementType dtype() {
    return payload.dtype();
  }

  public int[] shape() {
    return payload.shape();
  }

  /** Rows (positions) carried: the first dimension. */
  public int rows() {
    return payload.shape()[0];
  }

  public int[] tokenIds() {
    if (payload.dtype() != ElementType.INT32 || payload.shape().length != 1) {
      throw new IllegalArgumentException("frame holds " + payload + ", not token ids");
    }
    ByteBuffer buf = ByteBuffer.wrap(payload.data()).order(ByteOrder.LITTLE_ENDIAN);
    int[] ids = new int[payload.elementCount()];
    for (int i = 0; i < ids.length; i++) {
      ids[i] = buf.getInt(i * 4);
    }
    return ids;
  }

  public float[] floats() {
    return payload.toFloats();
  }
}
