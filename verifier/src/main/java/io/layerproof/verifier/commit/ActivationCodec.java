package io.layerproof.verifier.commit;

import io.layerproof.inference.hook.Activation;
import io.layerproof.inference.hook.ElementType;
import java.nio.ByteBuffer;

/** Stored form of an activation: u8 dtype, u8 rank, i32 dims, then the raw bytes. */
final class ActivationCodec {

  private ActivationCodec() {}

  static byte[] encode(Activation a) {
    int[] shape = a.shape();
    ByteBuffer buf = ByteBuffer.allocate(2 + 4 * shape.length + a.data().length);
    buf.put((byte) a.dtype().code()).put((byte) shape.length);
    for (int d : shape) {
      buf.putInt(d);
    }
    return buf.put(a.data()).array();
  }

  static Activation decode(byte[] bytes) {
    ByteBuffer buf = ByteBuffer.wrap(bytes);
    ElementType dtype = ElementType.fromCode(buf.get());
    int[] shape = new int[buf.get()];
    for (int i = 0; i < shape.length; i++) {
      shape[i] = buf.getInt();
    }
    byte[] data = new byte[buf.remaining()];
    buf.get(data);
    return new Activation(dtype, shape, data);
  }
}
