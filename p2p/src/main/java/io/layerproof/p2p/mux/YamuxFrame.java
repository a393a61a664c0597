package io.layerproof.p2p.mux;

import io.netty.buffer.ByteBuf;
import java.util.Objects;

/**
 * One yamux frame: the 12-byte header's fields plus, for Data frames, the payload. {@code length}
 * is the payload size for Data, the window delta for WindowUpdate, the opaque value for Ping and
 * the error code for GoAway (an unsigned 32-bit value). The frame owns {@code data}.
 */
public record YamuxFrame(FrameType type, int flags, int streamId, long length, ByteBuf data) {
  public static final long MAX_U32 = 0xFFFF_FFFFL;

  public YamuxFrame {
    Objects.requireNonNull(type, "type");
    if (flags < 0 || flags > 0xFFFF) {
      throw new IllegalArgumentException("flags out of range: " + flags);
    }
    if (length < 0 || length > MAX_U32) {
      throw new IllegalArgumentException("length out of range: " + length);
    }
    if (type == FrameType.DATA) {
      Objects.requireNonNull(data, "data");
      if (data.readableBytes() != length) {
        throw new IllegalArgumentException(
            "length " + length + " != payload " + data.readableBytes());
      }
    } else if (data != null) {
      throw new IllegalArgumentException(type + " frames carry no payload");
    }
  }

  public static YamuxFrame data(int streamId, int flags, ByteBuf data) {
    return new YamuxFrame(FrameType.DATA, flags, streamId, data.readableBytes(), data);
  }

  public static YamuxFrame windowUpdate(int streamId, int flags, long delta) {
    return new YamuxFrame(FrameType.WINDOW_UPDATE, flags, streamId, delta, null);
  }

  public static YamuxFrame ping(int flags, long opaque) {
    return new YamuxFrame(FrameType.PING, flags, 0, opaque, null);
  }

  public static YamuxFrame goAway(GoAwayCode code) {
    return new YamuxFrame(FrameType.GO_AWAY, Flags.NONE, 0, code.code(), null);
  }

  public boolean hasFlag(int flag) {
    return (flags & flag) != 0;
  }

  /** Releases the payload, if any. */
  public void release() {
    if (data != null) {
      data.release();
    }
  }
}
