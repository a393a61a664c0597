package io.layerproof.p2p.multistream;

import io.layerproof.p2p.multistream.MultistreamNegotiator.Failed;
import io.layerproof.p2p.multistream.MultistreamNegotiator.Selected;
import io.layerproof.p2p.multistream.MultistreamNegotiator.Step;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a {@link MultistreamNegotiator} on a Netty channel. On agreement it lets {@link NextStage}
 * add the chosen protocol's handlers after itself, removes itself, and passes on any bytes that
 * arrived after the select messages (peers pipeline the next protocol's first frame). On failure or
 * timeout it closes the channel. {@link #result()} completes with the chosen protocol.
 */
public final class MultistreamHandler extends ChannelInboundHandlerAdapter {

  private static final Logger log = LoggerFactory.getLogger(MultistreamHandler.class);

  /** Installs the handlers of the agreed protocol, after {@code ctx.name()} in the pipeline. */
  @FunctionalInterface
  public interface NextStage {
    void install(ChannelHandlerContext ctx, String protocol) throws Exception;
  }

  private final MultistreamNegotiator negotiator;
  private final Duration timeout;
  private final NextStage next;
  private final CompletableFuture<String> result = new CompletableFuture<>();
  private boolean started;
  private ScheduledFuture<?> timer;

  public MultistreamHandler(MultistreamNegotiator negotiator, Duration timeout, NextStage next) {
    this.negotiator = negotiator;
    this.timeout = timeout;
    this.next = next;
  }

  public static MultistreamHandler initiator(
      List<String> protocols, Duration timeout, NextStage next) {
    return new MultistreamHandler(MultistreamNegotiator.initiator(protocols), timeout, next);
  }

  public static MultistreamHandler responder(
      Set<String> supported, Duration timeout, NextStage next) {
    return new MultistreamHandler(MultistreamNegotiator.responder(supported), timeout, next);
  }

  /** The chosen protocol, or a {@link MultistreamException}. */
  public CompletableFuture<String> result() {
    return result;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    if (ctx.channel().isActive()) {
      start(ctx);
    }
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    start(ctx);
    ctx.fireChannelActive();
  }

  private void start(ChannelHandlerContext ctx) {
    if (started) {
      return;
    }
    started = true;
    timer =
        ctx.executor()
            .schedule(
                () -> fail(ctx, "timed out after " + timeout.toMillis() + " ms"),
                timeout.toMillis(),
                TimeUnit.MILLISECONDS);
    ctx.writeAndFlush(Unpooled.wrappedBuffer(negotiator.start()));
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
    if (result.isDone()) {
      ReferenceCountUtil.release(msg);
      return;
    }
    if (!(msg instanceof ByteBuf buf)) {
      ReferenceCountUtil.release(msg);
      fail(ctx, "unexpected message type " + msg.getClass().getSimpleName());
      return;
    }
    Step step;
    try {
      byte[] bytes = ByteBufUtil.getBytes(buf);
      step = negotiator.receive(bytes, 0, bytes.length);
    } finally {
      buf.release();
    }
    if (step.outgoing().length > 0) {
      ctx.writeAndFlush(Unpooled.wrappedBuffer(step.outgoing()));
    }
    if (step.outcome() instanceof Failed f) {
      fail(ctx, f.reason());
    } else if (step.outcome() instanceof Selected s) {
      selected(ctx, s);
    }
  }

  private void selected(ChannelHandlerContext ctx, Selected s) {
    cancelTimer();
    try {
      next.install(ctx, s.protocol());
    } catch (Exception e) {
      fail(ctx, "installing " + s.protocol() + " failed: " + e);
      return;
    }
    log.debug("{} selected {}", ctx.channel(), s.protocol());
    result.complete(s.protocol());
    // Pass on what the peer pipelined after the select messages, then get out of the way.
    if (s.remainder().length > 0) {
      ctx.fireChannelRead(Unpooled.wrappedBuffer(s.remainder()));
    }
    ctx.pipeline().remove(this);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    fail(ctx, "connection closed during negotiation");
    ctx.fireChannelInactive();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    fail(ctx, "error: " + cause);
  }

  private void fail(ChannelHandlerContext ctx, String reason) {
    cancelTimer();
    if (result.completeExceptionally(new MultistreamException(reason))) {
      log.debug("{} multistream-select failed: {}", ctx.channel(), reason);
      ctx.close();
    }
  }

  private void cancelTimer() {
    if (timer != null) {
      timer.cancel(false);
    }
  }
}
