package io.layerproof.p2p.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits a byte stream into unsigned-varint length-prefixed frames, the framing identify, gossip
 * RPCs and request/response use. A declared length over {@code maxFrame} fails before anything is
 * buffered for it, so a hostile peer cannot make us allocate more than one frame's limit.
 */
public final class FrameReader {

  /** The stream broke the framing: too long, or a varint longer than 9 bytes. */
  public static final class FrameException extends RuntimeException {
    FrameException(String message) {
      super(message);
    }
  }

  private final int maxFrame;
  private final ByteBuf pending = Unpooled.buffer();
  private int expected = -1;

  public FrameReader(int maxFrame) {
    this.maxFrame = maxFrame;
  }

  /** Takes (and releases) {@code data}; returns the frames it completed, in order. */
  public List<byte[]> feed(ByteBuf data) {
    // At most one frame (checked against maxFrame once its header is read) plus the chunk the
    // muxer delivered, whose size its flow-control window bounds, is ever held.
    try {
      pending.writeBytes(data);
    } finally {
      data.release();
    }
    List<byte[]> out = new ArrayList<>();
    while (true) {
      if (expected < 0) {
        long len = readVarint();
        if (len < 0) {
          break;
        }
        if (len > maxFrame) {
          throw new FrameException("frame of " + len + " bytes exceeds " + maxFrame);
        }
        expected = (int) len;
      }
      if (pending.readableBytes() < expected) {
        break;
      }
      byte[] frame = new byte[expected];
      pending.readBytes(frame);
      out.add(frame);
      expected = -1;
    }
    pending.discardSomeReadBytes();
    return out;
  }

  /** Bytes held for an incomplete frame. */
  public int buffered() {
    return pending.readableBytes();
  }

  /** The varint at the reader index, consumed; -1 (nothing consumed) if incomplete. */
  private long readVarint() {
    int start = pending.readerIndex();
    long value = 0;
    for (int i = 0; i < 9; i++) {
      if (!pending.isReadable()) {
        pending.readerIndex(start);
        return -1;
      }
      int b = pending.readUnsignedByte();
      value |= (long) (b & 0x7f) << (7 * i);
      if ((b & 0x80) == 0) {
        return value;
      }
    }
    throw new FrameException("varint longer than 9 bytes");
  }

  /** {@code payload} with its varint length prefix. */
  public static ByteBuf frame(byte[] payload) {
    ByteBuf out = Unpooled.buffer(payload.length + 5);
    long v = payload.length;
    while (v >= 0x80) {
      out.writeByte((int) (v & 0x7f) | 0x80);
      v >>>= 7;
    }
    out.writeByte((int) v);
    out.writeBytes(payload);
    return out;
  }

  /** Frees the buffer; later calls to {@link #feed} fail. */
  public void release() {
    pending.release();
  }
}
