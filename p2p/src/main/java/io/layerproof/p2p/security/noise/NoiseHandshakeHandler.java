package io.layerproof.p2p.security.noise;

import io.layerproof.p2p.identity.PeerId;
import io.layerproof.p2p.identity.PeerKey;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a {@link NoiseHandshake} on a Netty channel, each message framed with a 2-byte big-endian
 * length. On success it puts a {@link NoiseTransportCodec} in its place, lets {@link NextStage} add
 * handlers after the codec, and removes itself; bytes that arrived after the last handshake message
 * flow on into the codec. Any failure, or the timeout, closes the channel and fails {@link
 * #result()}.
 */
public final class NoiseHandshakeHandler extends ByteToMessageDecoder {

  private static final Logger log = LoggerFactory.getLogger(NoiseHandshakeHandler.class);

  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

  /** Installs what runs over the secure channel, after {@code codecCtx.name()}. */
  @FunctionalInterface
  public interface NextStage {
    void install(ChannelHandlerContext codecCtx, SecureSession session) throws Exception;
  }

  private final NoiseHandshake handshake;
  private final Duration timeout;
  private final NextStage next;
  private final CompletableFuture<SecureSession> result = new CompletableFuture<>();
  private boolean started;
  private ScheduledFuture<?> timer;

  public NoiseHandshakeHandler(NoiseHandshake handshake, Duration timeout, NextStage next) {
    this.handshake = handshake;
    this.timeout = timeout;
    this.next = next;
  }

  public static NoiseHandshakeHandler initiator(
      PeerKey local, Optional<PeerId> expected, Duration timeout, NextStage next) {
    return new NoiseHandshakeHandler(new NoiseHandshake(true, local, expected), timeout, next);
  }

  public static NoiseHandshakeHandler responder(PeerKey local, Duration timeout, NextStage next) {
    return new NoiseHandshakeHandler(
        new NoiseHandshake(false, local, Optional.empty()), timeout, next);
  }

  /** The authenticated remote, or a {@link NoiseException}. */
  public CompletableFuture<SecureSession> result() {
    return result;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    if (ctx.channel().isActive()) {
      start(ctx);
    }
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) throws Exception {
    start(ctx);
    super.channelActive(ctx);
  }

  private void start(ChannelHandlerContext ctx) {
    if (started) {
      return;
    }
    started = true;
    timer =
        ctx.executor()
            .schedule(
                () -> fail(ctx, new NoiseException("handshake timed out after " + timeout)),
                timeout.toMillis(),
                TimeUnit.MILLISECONDS);
    try {
      handshake.start().ifPresent(m -> send(ctx, m));
    } catch (NoiseException e) {
      fail(ctx, e);
    }
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
    while (!result.isDone() && in.readableBytes() >= 2) {
      int length = in.getUnsignedShort(in.readerIndex());
      if (length > NoiseHandshake.MAX_HANDSHAKE_MESSAGE) {
        fail(ctx, new NoiseException("handshake message of " + length + " bytes"));
        return;
      }
      if (in.readableBytes() < 2 + length) {
        return;
      }
      in.skipBytes(2);
      byte[] message = new byte[length];
      in.readBytes(message);
      try {
        handshake.receive(message).ifPresent(m -> send(ctx, m));
        if (handshake.isComplete()) {
          complete(ctx);
          return;
        }
      } catch (NoiseException e) {
        fail(ctx, e);
        return;
      }
    }
    if (result.isDone()) {
      in.skipBytes(in.readableBytes()); // failed: drop what is left
    }
  }

  private void complete(ChannelHandlerContext ctx) throws NoiseException {
    cancelTimer();
    NoiseTransportCodec codec = new NoiseTransportCodec(handshake.ciphers());
    SecureSession session = handshake.session();
    try {
      ctx.pipeline().addAfter(ctx.name(), "noise", codec);
      next.install(ctx.pipeline().context(codec), session);
    } catch (Exception e) {
      throw new NoiseException("installing the next stage failed: " + e, e);
    }
    log.debug("{} Noise handshake done with {}", ctx.channel(), session.remotePeerId());
    result.complete(session);
    // Removal hands any bytes left in the cumulation (early transport frames) to the codec.
    ctx.pipeline().remove(this);
  }

  private static void send(ChannelHandlerContext ctx, byte[] message) {
    ByteBuf frame = Unpooled.buffer(2 + message.length);
    frame.writeShort(message.length).writeBytes(message);
    ctx.writeAndFlush(frame);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    fail(ctx, new NoiseException("connection closed during the handshake"));
    super.channelInactive(ctx);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    fail(ctx, new NoiseException("handshake error: " + cause, cause));
  }

  private void fail(ChannelHandlerContext ctx, NoiseException e) {
    cancelTimer();
    if (result.completeExceptionally(e)) {
      log.info("{} closing: Noise handshake failed: {}", ctx.channel(), e.getMessage());
      ctx.close();
    }
  }

  private void cancelTimer() {
    if (timer != null) {
      timer.cancel(false);
    }
  }
}
