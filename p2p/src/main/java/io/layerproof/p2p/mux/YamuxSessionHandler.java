package io.layerproof.p2p.mux;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;

/** Connects the pipeline's events to the {@link YamuxMuxer}; the last handler of the channel. */
final class YamuxSessionHandler extends ChannelInboundHandlerAdapter {
  private final YamuxMuxer muxer;

  YamuxSessionHandler(YamuxMuxer muxer) {
    this.muxer = muxer;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    muxer.attach(ctx);
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    muxer.onInactive();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (msg instanceof YamuxFrame frame) {
      muxer.onFrame(frame);
    } else {
      ReferenceCountUtil.release(msg);
    }
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    muxer.flushIfNeeded();
    ctx.fireChannelReadComplete();
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    if (ctx.channel().isWritable()) {
      muxer.pump();
    }
    ctx.fireChannelWritabilityChanged();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    muxer.onInactive();
    ctx.fireChannelInactive();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    muxer.onException(cause);
  }
}
