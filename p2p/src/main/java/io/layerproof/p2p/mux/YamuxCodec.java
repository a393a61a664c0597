package io.layerproof.p2p.mux;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * The header layout: version 0 | type | flags (u16) | stream id (u32) | length (u32), big-endian.
 */
public final class YamuxCodec {
  public static final int HEADER_LENGTH = 12;
  public static final int VERSION = 0;

  private YamuxCodec() {}

  public static void writeHeader(ByteBuf out, YamuxFrame frame) {
    out.writeByte(VERSION);
    out.writeByte(frame.type().code());
    out.writeShort(frame.flags());
    out.writeInt(frame.streamId());
    out.writeInt((int) frame.length());
  }

  /** Header and payload copied into one buffer (tests and tools; the pipeline avoids the copy). */
  public static ByteBuf encode(ByteBufAllocator alloc, YamuxFrame frame) {
    int payload = frame.data() == null ? 0 : frame.data().readableBytes();
    ByteBuf out = alloc.buffer(HEADER_LENGTH + payload);
    writeHeader(out, frame);
    if (frame.data() != null) {
      out.writeBytes(frame.data(), frame.data().readerIndex(), payload);
    }
    return out;
  }
}
