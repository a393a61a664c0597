package io.layerproof.p2p.mux;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;
import java.util.function.IntToLongFunction;

/**
 * Splits the plaintext byte stream into {@link YamuxFrame}s. A Data frame's declared length is
 * checked against the stream's receive window when its header arrives, so the body is never
 * buffered beyond what the peer was allowed to send. After the first error all input is dropped.
 */
final class YamuxFrameDecoder extends ByteToMessageDecoder {
  private enum State {
    HEADER,
    BODY,
    FAILED
  }

  private final IntToLongFunction maxDataLength;
  private State state = State.HEADER;
  private int flags;
  private int streamId;
  private int bodyLength;

  /**
   * @param maxDataLength the largest Data payload accepted for a stream id right now
   */
  YamuxFrameDecoder(IntToLongFunction maxDataLength) {
    this.maxDataLength = maxDataLength;
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
    switch (state) {
      case HEADER -> decodeHeader(in, out);
      case BODY -> decodeBody(in, out);
      case FAILED -> in.skipBytes(in.readableBytes());
    }
  }

  private void decodeHeader(ByteBuf in, List<Object> out) {
    if (in.readableBytes() < YamuxCodec.HEADER_LENGTH) {
      return;
    }
    int version = in.readUnsignedByte();
    int typeCode = in.readUnsignedByte();
    int headerFlags = in.readUnsignedShort();
    int id = in.readInt();
    long length = in.readUnsignedInt();
    if (version != YamuxCodec.VERSION) {
      throw fail("unsupported version " + version);
    }
    FrameType type = FrameType.fromCode(typeCode);
    if (type == null) {
      throw fail("unknown frame type " + typeCode);
    }
    if (type != FrameType.DATA) {
      out.add(new YamuxFrame(type, headerFlags, id, length, null));
      return;
    }
    long limit = Math.min(maxDataLength.applyAsLong(id), Integer.MAX_VALUE);
    if (length > limit) {
      throw fail(
          "data frame of "
              + length
              + " bytes on stream "
              + Integer.toUnsignedString(id)
              + " exceeds the receive window "
              + limit);
    }
    flags = headerFlags;
    streamId = id;
    bodyLength = (int) length; // limit is a window, always below 2^31
    state = State.BODY;
    decodeBody(in, out);
  }

  private void decodeBody(ByteBuf in, List<Object> out) {
    if (in.readableBytes() < bodyLength) {
      return;
    }
    out.add(YamuxFrame.data(streamId, flags, in.readRetainedSlice(bodyLength)));
    state = State.HEADER;
  }

  private YamuxProtocolException fail(String reason) {
    state = State.FAILED;
    return new YamuxProtocolException(reason);
  }
}
