package io.layerproof.p2p.mux;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.List;

/** Test helpers: frames to bytes and an EmbeddedChannel's written bytes back to frames. */
final class Wire {
  private Wire() {}

  static ByteBuf bytes(YamuxFrame... frames) {
    ByteBuf out = Unpooled.buffer();
    for (YamuxFrame frame : frames) {
      ByteBuf one = YamuxCodec.encode(ByteBufAllocator.DEFAULT, frame);
      out.writeBytes(one);
      one.release();
      frame.release();
    }
    return out;
  }

  static ByteBuf data(int streamId, int flags, int size) {
    return bytes(YamuxFrame.data(streamId, flags, Unpooled.wrappedBuffer(new byte[size])));
  }

  /** Everything the channel wrote so far, decoded; payloads are released. */
  static List<YamuxFrame> written(EmbeddedChannel ch) {
    ByteBuf all = Unpooled.buffer();
    for (Object msg; (msg = ch.readOutbound()) != null; ) {
      ByteBuf buf = (ByteBuf) msg;
      all.writeBytes(buf);
      buf.release();
    }
    EmbeddedChannel decoder = new EmbeddedChannel(new YamuxFrameDecoder(id -> Integer.MAX_VALUE));
    decoder.writeInbound(all);
    List<YamuxFrame> frames = new ArrayList<>();
    for (Object msg; (msg = decoder.readInbound()) != null; ) {
      YamuxFrame frame = (YamuxFrame) msg;
      frames.add(
          frame.data() == null
              ? frame
              : new YamuxFrame(
                  frame.type(),
                  frame.flags(),
                  frame.streamId(),
                  frame.length(),
                  Unpooled.wrappedBuffer(new byte[(int) frame.length()])));
      frame.release();
    }
    decoder.finishAndReleaseAll();
    return frames;
  }

  static YamuxFrame only(List<YamuxFrame> frames) {
    if (frames.size() != 1) {
      throw new AssertionError("expected one frame, got " + frames);
    }
    return frames.get(0);
  }
}
