package io.layerproof.p2p.mux;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFuture;
import java.util.ArrayDeque;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One yamux stream. Public methods may be called from any thread and hop onto the connection's
 * event loop; all state below is touched on that loop only.
 */
final class YamuxStream implements MuxStream {
  private static final Logger log = LoggerFactory.getLogger(YamuxStream.class);

  private final YamuxMuxer muxer;
  private final int id;
  private final boolean initiator;
  private final ReceiveWindow receiveWindow;
  private final WriteQueue writes;
  // Data received before a handler was set: bounded by maxBufferedBytesPerStream (never empty
  // buffers).
  private final ArrayDeque<ByteBuf> unread = new ArrayDeque<>();
  private long unreadBytes;
  private long sendWindow = YamuxConfig.SPEC_INITIAL_WINDOW;
  private StreamHandler handler;
  private boolean finQueued;
  private boolean finSent;
  private boolean remoteClosed;
  private boolean remoteCloseNotified;
  private boolean reset;
  private boolean resetNotifyPending;
  private volatile boolean open = true;
  boolean queuedForSend;

  YamuxStream(YamuxMuxer muxer, int id, boolean initiator, YamuxConfig config) {
    this.muxer = muxer;
    this.id = id;
    this.initiator = initiator;
    this.receiveWindow =
        new ReceiveWindow(config.initialReceiveWindow(), config.maxReceiveWindow());
    this.writes = new WriteQueue(config.maxQueuedWriteBytesPerStream());
  }

  @Override
  public int id() {
    return id;
  }

  @Override
  public boolean initiator() {
    return initiator;
  }

  @Override
  public boolean isOpen() {
    return open;
  }

  @Override
  public String toString() {
    return "yamux stream " + Integer.toUnsignedString(id);
  }

  @Override
  public CompletableFuture<Void> write(ByteBuf data) {
    Objects.requireNonNull(data, "data");
    CompletableFuture<Void> future = new CompletableFuture<>();
    muxer.execute(
        () -> {
          if (reset || finQueued || !muxer.isActive()) {
            data.release();
            future.completeExceptionally(new MuxException(this + " is closed for writing"));
          } else if (!data.isReadable()) {
            data.release();
            future.complete(null);
          } else if (!writes.offer(data, future)) {
            data.release();
            future.completeExceptionally(new MuxException(this + ": write queue full"));
          } else {
            muxer.scheduleSend(this);
          }
        },
        () -> {
          data.release();
          future.completeExceptionally(new MuxException("connection closed"));
        });
    return future;
  }

  @Override
  public void setHandler(StreamHandler newHandler) {
    Objects.requireNonNull(newHandler, "handler");
    muxer.execute(
        () -> {
          handler = newHandler;
          drainUnread();
          muxer.flushIfNeeded();
        },
        () -> {});
  }

  @Override
  public void closeWrite() {
    muxer.execute(
        () -> {
          if (reset || finQueued) {
            return;
          }
          finQueued = true;
          if (writes.isEmpty()) {
            sendFin();
          }
          muxer.flushIfNeeded();
        },
        () -> {});
  }

  @Override
  public void reset() {
    muxer.execute(
        () -> {
          if (reset) {
            return;
          }
          // Both sides already closed: nothing to tell the peer, but unread data is dropped.
          if (!(finSent && remoteClosed)) {
            muxer.send(YamuxFrame.windowUpdate(id, Flags.RST, 0));
          }
          terminate(new MuxException(this + " was reset locally"), false);
          muxer.flushIfNeeded();
        },
        () -> {});
  }

  // ---- event-loop side, called by the muxer ----

  long receiveWindowAvailable() {
    return receiveWindow.available();
  }

  long receiveWindowTarget() {
    return receiveWindow.target();
  }

  long initialWindowDelta() {
    return receiveWindow.initialDelta();
  }

  /** Handles a Data or WindowUpdate frame addressed to this stream (SYN already processed). */
  void onFrame(YamuxFrame frame) {
    if (frame.type() == FrameType.WINDOW_UPDATE) {
      // Clamp: a peer granting more than 4 GiB outstanding gains nothing but must not overflow us.
      sendWindow = Math.min(sendWindow + frame.length(), YamuxFrame.MAX_U32);
      if (sendWindow > 0 && !writes.isEmpty()) {
        muxer.scheduleSend(this);
      }
    } else if (!onData(frame.data())) {
      return;
    }
    if (frame.hasFlag(Flags.FIN)) {
      onRemoteFin();
    }
    if (frame.hasFlag(Flags.RST)) {
      onRemoteReset();
    }
  }

  /** Returns false when the frame ended the connection or the stream. */
  private boolean onData(ByteBuf data) {
    int len = data.readableBytes();
    if (!receiveWindow.take(len)) {
      data.release();
      muxer.protocolError(
          "data of " + len + " bytes exceeds " + this + "'s window " + receiveWindow.available());
      return false;
    }
    if (len == 0) {
      data.release();
      return true;
    }
    if (reset) {
      data.release();
      return false;
    }
    if (remoteClosed) {
      data.release();
      log.debug("{}: data after FIN, resetting", this);
      reset();
      return false;
    }
    if (handler != null && unread.isEmpty()) {
      deliver(data);
      return true;
    }
    if (unreadBytes + len > muxer.config().maxBufferedBytesPerStream()
        || !muxer.reserveUnread(len)) {
      data.release();
      log.debug("{}: unread data over the buffer limit, resetting", this);
      reset();
      return false;
    }
    // Copy: a retained slice would pin the decoder's whole cumulation buffer while unread.
    ByteBuf copy = muxer.alloc().buffer(len, len).writeBytes(data);
    data.release();
    unread.add(copy);
    unreadBytes += len;
    return true;
  }

  private void deliver(ByteBuf data) {
    int len = data.readableBytes();
    try {
      handler.onData(this, data);
    } catch (RuntimeException e) {
      log.warn("{}: handler failed, resetting", this, e);
      reset();
      return;
    }
    // The application consumed the bytes: only now may the peer send more.
    if (!reset && !remoteClosed) {
      long delta = receiveWindow.consume(len, muxer::reserveWindowGrowth);
      if (delta > 0) {
        muxer.send(YamuxFrame.windowUpdate(id, Flags.NONE, delta));
      }
    }
  }

  private void drainUnread() {
    StreamHandler h = handler;
    ByteBuf buf;
    while (handler == h && !reset && (buf = unread.poll()) != null) {
      unreadBytes -= buf.readableBytes();
      muxer.releaseUnread(buf.readableBytes());
      deliver(buf);
    }
    if (handler == h && unread.isEmpty()) {
      if (remoteClosed && !remoteCloseNotified) {
        remoteCloseNotified = true;
        notifyRemoteClose();
      }
      if (resetNotifyPending) {
        resetNotifyPending = false;
        notifyReset();
      }
      muxer.removeIfDone(this);
    }
  }

  private void onRemoteFin() {
    if (remoteClosed || reset) {
      return;
    }
    remoteClosed = true;
    // State first, so a handler (or a thread woken by it) sees the stream as closed already.
    if (finSent) {
      open = false;
    }
    if (handler != null && unread.isEmpty()) {
      remoteCloseNotified = true;
      notifyRemoteClose();
    }
    updateOpen();
  }

  private void onRemoteReset() {
    if (!reset) {
      terminate(new MuxException(this + " was reset by the peer"), true);
    }
  }

  /** Ends the stream: fails queued writes, drops unread data, tells the handler if asked. */
  void terminate(Throwable cause, boolean notify) {
    if (reset) {
      return;
    }
    reset = true;
    open = false;
    writes.failAll(cause);
    ByteBuf buf;
    while ((buf = unread.poll()) != null) {
      muxer.releaseUnread(buf.readableBytes());
      buf.release();
    }
    unreadBytes = 0;
    muxer.remove(this);
    if (notify) {
      if (handler != null) {
        notifyReset();
      } else {
        resetNotifyPending = true;
      }
    }
  }

  /** Sends at most one Data frame; true when more could go right away. */
  boolean sendSome(int maxFrame) {
    if (reset || writes.isEmpty() || sendWindow == 0) {
      return false;
    }
    int n = (int) Math.min(Math.min(writes.headRemaining(), sendWindow), maxFrame);
    ChannelFuture sent = muxer.send(YamuxFrame.data(id, Flags.NONE, writes.take(n)));
    sendWindow -= n;
    if (writes.headRemaining() == 0) {
      CompletableFuture<Void> future = writes.finishHead();
      sent.addListener(
          f -> {
            if (f.isSuccess()) {
              future.complete(null);
            } else {
              future.completeExceptionally(f.cause());
            }
          });
    }
    if (writes.isEmpty() && finQueued && !finSent) {
      sendFin();
    }
    return !writes.isEmpty() && sendWindow > 0;
  }

  private void sendFin() {
    finSent = true;
    muxer.send(YamuxFrame.windowUpdate(id, Flags.FIN, 0));
    updateOpen();
  }

  private void updateOpen() {
    if (finSent && remoteClosed) {
      open = false;
      muxer.removeIfDone(this);
    }
  }

  /** Done: both sides closed and nothing left for the application. */
  boolean isDone() {
    return reset || (finSent && remoteClosed && unread.isEmpty());
  }

  private void notifyRemoteClose() {
    try {
      handler.onRemoteClose(this);
    } catch (RuntimeException e) {
      log.warn("{}: onRemoteClose failed", this, e);
    }
  }

  private void notifyReset() {
    try {
      handler.onReset(this);
    } catch (RuntimeException e) {
      log.warn("{}: onReset failed", this, e);
    }
  }
}
