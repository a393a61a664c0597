package io.layerproof.p2p.mux;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToMessageEncoder;
import java.util.List;

/** Writes a frame as a 12-byte header buffer followed by the payload itself (no copy). */
final class YamuxFrameEncoder extends MessageToMessageEncoder<YamuxFrame> {
  YamuxFrameEncoder() {
    super(YamuxFrame.class);
  }

  @Override
  protected void encode(ChannelHandlerContext ctx, YamuxFrame frame, List<Object> out) {
    ByteBuf header = ctx.alloc().buffer(YamuxCodec.HEADER_LENGTH);
    YamuxCodec.writeHeader(header, frame);
    out.add(header);
    if (frame.data() != null) {
      // The record is not reference counted, so ownership of the payload passes on here.
      out.add(frame.data());
    }
  }
}
