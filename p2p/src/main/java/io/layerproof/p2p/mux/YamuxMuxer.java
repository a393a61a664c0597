package io.layerproof.p2p.mux;

import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A yamux session ({@value #PROTOCOL_ID}) over a channel that carries plaintext bytes. All state
 * lives on the channel's event loop; public methods hop onto it.
 */
public final class YamuxMuxer implements Muxer {
  public static final String PROTOCOL_ID = "/yamux/1.0.0";

  /** Name of the session handler in the pipeline (the decoder and encoder sit just before it). */
  public static final String HANDLER_NAME = "yamux";

  public static final String DECODER_NAME = "yamux-decoder";
  public static final String ENCODER_NAME = "yamux-encoder";

  private static final Logger log = LoggerFactory.getLogger(YamuxMuxer.class);
  private static final long CLOSE_GRACE_MILLIS = 5_000;

  private final Channel channel;
  private final boolean initiator;
  private final YamuxConfig config;
  private final Map<Integer, YamuxStream> streams = new HashMap<>();
  // Each stream is in here at most once (queuedForSend), so both are bounded by maxStreams.
  private final ArrayDeque<YamuxStream> sendReady = new ArrayDeque<>();
  private final ArrayDeque<YamuxStream> unaccepted = new ArrayDeque<>();
  private final PingTracker pings;
  private ChannelHandlerContext ctx;
  private Consumer<MuxStream> acceptor;
  private long nextStreamId;
  private long unreadBytes;
  private long windowTargets;
  private boolean flushPending;
  private boolean pumping;
  private ScheduledFuture<?> keepAlive;
  private CompletableFuture<Duration> keepAlivePing;
  private volatile boolean localGoAway;
  private volatile boolean remoteGoAway;
  private volatile boolean terminated;

  private YamuxMuxer(Channel channel, boolean initiator, YamuxConfig config) {
    this.channel = channel;
    this.initiator = initiator;
    this.config = config;
    this.pings = new PingTracker(config.maxOutstandingPings());
    // The client (initiator) uses odd stream ids, the server even ones.
    this.nextStreamId = initiator ? 1 : 2;
  }

  /** Adds the yamux decoder, encoder and session handler to the end of the channel's pipeline. */
  public static YamuxMuxer install(Channel channel, boolean initiator, YamuxConfig config) {
    Objects.requireNonNull(config, "config");
    YamuxMuxer muxer = new YamuxMuxer(channel, initiator, config);
    channel
        .pipeline()
        .addLast(DECODER_NAME, new YamuxFrameDecoder(muxer::maxInboundDataLength))
        .addLast(ENCODER_NAME, new YamuxFrameEncoder())
        .addLast(HANDLER_NAME, new YamuxSessionHandler(muxer));
    return muxer;
  }

  public Channel channel() {
    return channel;
  }

  public boolean initiator() {
    return initiator;
  }

  public YamuxConfig config() {
    return config;
  }

  @Override
  public CompletableFuture<MuxStream> openStream() {
    CompletableFuture<MuxStream> future = new CompletableFuture<>();
    execute(
        () -> {
          if (!isOpen()) {
            future.completeExceptionally(new MuxException("connection closed or going away"));
          } else if (streams.size() >= config.maxStreams()) {
            future.completeExceptionally(new MuxException("stream limit reached"));
          } else if (nextStreamId > YamuxFrame.MAX_U32) {
            future.completeExceptionally(new MuxException("stream ids exhausted"));
          } else {
            YamuxStream stream = newStream((int) nextStreamId, true);
            nextStreamId += 2;
            // Announce with SYN on a window update, as go-yamux does; data may follow at once.
            send(YamuxFrame.windowUpdate(stream.id(), Flags.SYN, stream.initialWindowDelta()));
            flushIfNeeded();
            future.complete(stream);
          }
        },
        () -> future.completeExceptionally(new MuxException("connection closed")));
    return future;
  }

  @Override
  public void onInboundStream(Consumer<MuxStream> newAcceptor) {
    Objects.requireNonNull(newAcceptor, "acceptor");
    execute(
        () -> {
          acceptor = newAcceptor;
          YamuxStream stream;
          while (acceptor == newAcceptor && (stream = unaccepted.poll()) != null) {
            if (!stream.isDone()) {
              accept(stream);
            }
          }
          flushIfNeeded();
        },
        () -> {});
  }

  @Override
  public CompletableFuture<Duration> ping() {
    CompletableFuture<Duration> future = new CompletableFuture<>();
    execute(
        () -> {
          if (terminated || !channel.isActive()) {
            future.completeExceptionally(new MuxException("connection closed"));
            return;
          }
          long opaque = pings.start(future);
          if (opaque < 0) {
            future.completeExceptionally(new MuxException("too many outstanding pings"));
            return;
          }
          send(YamuxFrame.ping(Flags.SYN, opaque));
          flushIfNeeded();
        },
        () -> future.completeExceptionally(new MuxException("connection closed")));
    return future;
  }

  @Override
  public boolean isOpen() {
    return !terminated && !localGoAway && !remoteGoAway && channel.isActive();
  }

  @Override
  public void close() {
    execute(() -> goAwayAndClose(GoAwayCode.NORMAL), () -> {});
  }

  // ---- event-loop side ----

  void attach(ChannelHandlerContext context) {
    this.ctx = context;
    if (config.keepAliveEnabled()) {
      long period = config.keepAliveInterval().toNanos();
      keepAlive =
          context
              .executor()
              .scheduleAtFixedRate(this::keepAliveTick, period, period, TimeUnit.NANOSECONDS);
    }
  }

  boolean isActive() {
    return !terminated && channel.isActive();
  }

  ByteBufAllocator alloc() {
    return ctx.alloc();
  }

  /** Runs on the event loop: now when already there; {@code onRejected} if the loop is gone. */
  void execute(Runnable task, Runnable onRejected) {
    EventLoop loop = channel.eventLoop();
    if (loop.inEventLoop()) {
      task.run();
      return;
    }
    try {
      loop.execute(task);
    } catch (RejectedExecutionException e) {
      onRejected.run();
    }
  }

  /** The decoder's limit for a Data frame's length: the stream's open window. */
  long maxInboundDataLength(int streamId) {
    YamuxStream stream = streams.get(streamId);
    // Unknown ids: a new stream (checked precisely once opened) or one closed with data in flight.
    return stream != null ? stream.receiveWindowAvailable() : config.maxReceiveWindow();
  }

  void onFrame(YamuxFrame frame) {
    if (terminated) {
      // After an error or a close nothing more is processed.
      frame.release();
      return;
    }
    switch (frame.type()) {
      case DATA, WINDOW_UPDATE -> onStreamFrame(frame);
      case PING -> onPing(frame);
      case GO_AWAY -> onGoAway(frame);
    }
  }

  private void onStreamFrame(YamuxFrame frame) {
    int id = frame.streamId();
    if (id == 0) {
      frame.release();
      protocolError(frame.type() + " frame on stream 0");
      return;
    }
    YamuxStream stream = streams.get(id);
    if (frame.hasFlag(Flags.SYN)) {
      if (stream != null) {
        frame.release();
        protocolError("duplicate SYN for stream " + Integer.toUnsignedString(id));
        return;
      }
      if (isLocalId(id)) {
        frame.release();
        protocolError("SYN with this side's stream id " + Integer.toUnsignedString(id));
        return;
      }
      if (localGoAway || streams.size() >= config.maxStreams()) {
        frame.release();
        log.debug("refusing stream {}: limit or going away", Integer.toUnsignedString(id));
        // A SYN flood from a peer that does not read gets no answers rather than our memory.
        if (channel.isWritable()) {
          send(YamuxFrame.windowUpdate(id, Flags.RST, 0));
        }
        return;
      }
      stream = newStream(id, false);
      send(YamuxFrame.windowUpdate(id, Flags.ACK, stream.initialWindowDelta()));
      if (acceptor != null) {
        accept(stream);
      } else {
        unaccepted.add(stream);
      }
    }
    if (stream == null) {
      // A stream this side already closed or reset: its late frames are dropped (as go-yamux).
      frame.release();
      return;
    }
    stream.onFrame(frame);
  }

  private void accept(YamuxStream stream) {
    try {
      acceptor.accept(stream);
    } catch (RuntimeException e) {
      log.warn("inbound stream acceptor failed, resetting {}", stream, e);
      stream.reset();
    }
  }

  private void onPing(YamuxFrame frame) {
    if (frame.hasFlag(Flags.SYN)) {
      // A peer that floods pings without reading gets no answers rather than growing our buffer.
      if (channel.isWritable()) {
        send(YamuxFrame.ping(Flags.ACK, frame.length()));
      }
    } else if (frame.hasFlag(Flags.ACK)) {
      pings.complete(frame.length());
    }
  }

  private void onGoAway(YamuxFrame frame) {
    remoteGoAway = true;
    long code = frame.length();
    if (code == GoAwayCode.NORMAL.code()) {
      log.debug("peer {} is going away", channel.remoteAddress());
    } else {
      log.warn("peer {} is going away with error code {}", channel.remoteAddress(), code);
    }
  }

  private YamuxStream newStream(int id, boolean outbound) {
    YamuxStream stream = new YamuxStream(this, id, outbound, config);
    streams.put(id, stream);
    windowTargets += stream.receiveWindowTarget();
    return stream;
  }

  private boolean isLocalId(int id) {
    return ((id & 1) == 1) == initiator;
  }

  ChannelFuture send(YamuxFrame frame) {
    flushPending = true;
    return ctx.write(frame);
  }

  void flushIfNeeded() {
    if (flushPending && ctx != null) {
      flushPending = false;
      ctx.flush();
    }
  }

  void scheduleSend(YamuxStream stream) {
    if (!stream.queuedForSend) {
      stream.queuedForSend = true;
      sendReady.add(stream);
    }
    pump();
  }

  /**
   * Sends queued data round-robin, one frame per stream per turn, while the channel is writable.
   */
  void pump() {
    if (pumping || ctx == null) {
      return;
    }
    pumping = true;
    try {
      while (!sendReady.isEmpty()) {
        if (!channel.isWritable()) {
          flushPending = false;
          ctx.flush();
          if (!channel.isWritable()) {
            break; // resumed by channelWritabilityChanged
          }
        }
        YamuxStream stream = sendReady.poll();
        stream.queuedForSend = false;
        if (stream.sendSome(config.maxDataFrameSize())) {
          stream.queuedForSend = true;
          sendReady.add(stream);
        }
      }
    } finally {
      pumping = false;
    }
    flushIfNeeded();
  }

  boolean reserveUnread(long bytes) {
    if (unreadBytes + bytes > config.maxBufferedBytesPerConnection()) {
      return false;
    }
    unreadBytes += bytes;
    return true;
  }

  void releaseUnread(long bytes) {
    unreadBytes -= bytes;
  }

  /** Grants as much of a window growth as the connection's budget allows. */
  long reserveWindowGrowth(long wanted) {
    long granted =
        Math.max(0, Math.min(wanted, config.maxBufferedBytesPerConnection() - windowTargets));
    windowTargets += granted;
    return granted;
  }

  void remove(YamuxStream stream) {
    if (streams.remove(stream.id(), stream)) {
      windowTargets -= stream.receiveWindowTarget();
    }
  }

  void removeIfDone(YamuxStream stream) {
    if (stream.isDone()) {
      remove(stream);
    }
  }

  void protocolError(String reason) {
    log.warn("yamux protocol error from {}: {}", channel.remoteAddress(), reason);
    goAwayAndClose(GoAwayCode.PROTOCOL_ERROR);
  }

  void onException(Throwable cause) {
    for (Throwable t = cause; t != null; t = t.getCause()) {
      if (t instanceof YamuxProtocolException) {
        protocolError(t.getMessage());
        return;
      }
    }
    if (cause instanceof IOException) {
      log.debug("yamux connection {} failed: {}", channel.remoteAddress(), cause.toString());
      ctx.close();
    } else {
      log.warn("yamux connection {} failed", channel.remoteAddress(), cause);
      goAwayAndClose(GoAwayCode.INTERNAL_ERROR);
    }
  }

  private void goAwayAndClose(GoAwayCode code) {
    if (terminated) {
      return;
    }
    terminated = true;
    if (ctx == null) {
      channel.close();
      return;
    }
    if (!localGoAway && channel.isActive()) {
      localGoAway = true;
      flushPending = false;
      ctx.writeAndFlush(YamuxFrame.goAway(code)).addListener(ChannelFutureListener.CLOSE);
      // A peer that does not read would keep the GoAway (and the connection) pending forever.
      ctx.executor().schedule(() -> ctx.close(), CLOSE_GRACE_MILLIS, TimeUnit.MILLISECONDS);
    } else {
      ctx.close();
    }
  }

  private void keepAliveTick() {
    if (keepAlivePing != null && !keepAlivePing.isDone()) {
      log.warn("keep-alive ping to {} unanswered, closing", channel.remoteAddress());
      terminated = true;
      ctx.close();
      return;
    }
    keepAlivePing = ping();
  }

  /** The channel went away: every stream, ping and write still pending fails. */
  void onInactive() {
    terminated = true;
    if (keepAlive != null) {
      keepAlive.cancel(false);
    }
    MuxException cause = new MuxException("connection closed");
    pings.failAll(cause);
    sendReady.clear();
    unaccepted.clear();
    for (YamuxStream stream : new ArrayList<>(streams.values())) {
      stream.terminate(cause, true);
    }
    streams.clear();
  }
}
