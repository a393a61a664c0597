package io.layerproof.inference.shard;

import io.layerproof.inference.hook.Activation;
import io.layerproof.inference.hook.ElementType;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * The binary form of a {@link HiddenStateFrame}, little-endian, ready for a socket:
 *
 * <pre>
 * "LPHF" | version u8 (1) | dtype u8 | rank u8 | 0 u8 | startPosition i32 | dims i32 x rank | data
 * </pre>
 *
 * Decoding trusts nothing: the size implied by the header must equal the bytes present.
 */
public final class FrameCodec {

  private static final int MAGIC = 0x4648504C; // "LPHF" read little-endian
  private static final int VERSION = 1;
  private static final int MAX_RANK = 4;

  /** 256 MiB: larger than any prefill chunk we send, small enough to refuse a hostile header. */
  public static final int MAX_FRAME_BYTES = 256 << 20;

  private FrameCodec() {}

  public static byte[] encode(HiddenStateFrame frame) {
    Activation p = frame.payload();
    int[] shape = p.shape();
    ByteBuffer buf =
        ByteBuffer.allocate(12 + 4 * shape.length + p.data().length).order(ByteOrder.LITTLE_ENDIAN);
    buf.putInt(MAGIC)
        .put((byte) VERSION)
        .put((byte) p.dtype().code())
        .put((byte) shape.length)
        .put((byte) 0)
        .putInt(frame.startPosition());
    for (int d : shape) {
      buf.putInt(d);
    }
    return buf.put(p.data()).array();
  }

  public static HiddenStateFrame decode(byte[] bytes) {
    if (bytes.length > MAX_FRAME_BYTES) {
      throw new IllegalArgumentException("frame of " + bytes.length + " bytes exceeds the limit");
    }
    if (bytes.length < 12) {
      throw new IllegalArgumentException("frame of " + bytes.length + " bytes has no header");
    }
    ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    if (buf.getInt() != MAGIC) {
      throw new IllegalArgumentException("not a hidden-state frame (bad magic)");
    }
    int version = buf.get();
    if (version != VERSION) {
      throw new IllegalArgumentException("unsupported frame version " + version);
    }
    ElementType dtype = ElementType.fromCode(buf.get());
    int rank = buf.get();
    buf.get();
    int start = buf.getInt();
    if (rank < 1 || rank > MAX_RANK || buf.remaining() < 4 * rank) {
      throw new IllegalArgumentException("frame rank " + rank + " is not 1.." + MAX_RANK);
    }
    int[] shape = new int[rank];
    long elements = 1;
    for (int i = 0; i < rank; i++) {
      shape[i] = buf.getInt();
      if (shape[i] <= 0) {
        throw new IllegalArgumentException("frame dimension " + shape[i] + " is not positive");
      }
      elements *= shape[i];
      if (elements * dtype.bytes() > MAX_FRAME_BYTES) {
        throw new IllegalArgumentException("frame shape " + Arrays.toString(shape) + " too big");
      }
    }
    if (buf.remaining() != elements * dtype.bytes()) {
      throw new IllegalArgumentException(
          "frame "
              + dtype
              + Arrays.toString(shape)
              + " needs "
              + elements * dtype.bytes()
              + " data bytes, has "
              + buf.remaining());
    }
    byte[] data = new byte[buf.remaining()];
    buf.get(data);
    return new HiddenStateFrame(start, new Activation(dtype, shape, data));
  }
}
