package io.layerproof.p2p.testing;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.ByteArrayOutputStream;

/** Two handler stacks on EmbeddedChannels wired back to back, for the handshake tests. */
public final class EmbeddedWire {

  private EmbeddedWire() {}

  /** Collects the bytes that reach the stage after the one under test. */
  public static final class Collector extends ChannelInboundHandlerAdapter {
    public final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      ByteBuf b = (ByteBuf) msg;
      bytes.writeBytes(ByteBufUtil.getBytes(b));
      b.release();
    }
  }

  /** Moves outbound bytes between the two channels until neither has anything to send. */
  public static void pump(EmbeddedChannel a, EmbeddedChannel b) {
    boolean moved = true;
    while (moved) {
      moved = move(a, b) | move(b, a);
    }
  }

  private static boolean move(EmbeddedChannel from, EmbeddedChannel to) {
    boolean moved = false;
    for (Object m; (m = from.readOutbound()) != null; ) {
      moved = true;
      if (to.isOpen()) {
        to.writeInbound(m);
      } else {
        ((ByteBuf) m).release();
      }
    }
    return moved;
  }
}
