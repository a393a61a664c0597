package io.layerproof.p2p.host;

import io.layerproof.p2p.multistream.MultistreamNegotiator;
import io.layerproof.p2p.mux.MuxStream;
import io.layerproof.p2p.mux.StreamHandler;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * multistream-select on a muxed stream: each new stream names its protocol before any protocol
 * bytes. Whatever the peer pipelined after the select messages is handed to the protocol's handler
 * first, so an optimistic js dialer that writes its request right behind its proposal loses
 * nothing.
 */
public final class StreamSelect {

  /** A stream agreed on {@code protocol}, ready for that protocol's handler. */
  public record Selected(String protocol, MuxStream stream) {}

  private StreamSelect() {}

  /** Proposes {@code protocols} in order on an outbound stream. */
  public static CompletableFuture<Selected> open(
      MuxStream stream, List<String> protocols, Duration timeout) {
    return run(stream, MultistreamNegotiator.initiator(protocols), timeout);
  }

  /** Answers the peer's proposals on an inbound stream. */
  public static CompletableFuture<Selected> accept(
      MuxStream stream, Set<String> supported, Duration timeout) {
    return run(stream, MultistreamNegotiator.responder(supported), timeout);
  }

  private static CompletableFuture<Selected> run(
      MuxStream stream, MultistreamNegotiator negotiator, Duration timeout) {
    CompletableFuture<Selected> result = new CompletableFuture<>();
    // Started before the handler is set: the muxer hands over bytes that already arrived as soon
    // as there is a handler, and the negotiator must have begun by then.
    byte[] opening = negotiator.start();
    stream.setHandler(
        new StreamHandler() {
          @Override
          public void onData(MuxStream s, ByteBuf data) {
            if (result.isDone()) {
              data.release();
              return;
            }
            byte[] bytes;
            try {
              bytes = ByteBufUtil.getBytes(data);
            } finally {
              data.release();
            }
            MultistreamNegotiator.Step step = negotiator.receive(bytes, 0, bytes.length);
            if (step.outgoing().length > 0) {
              s.write(Unpooled.wrappedBuffer(step.outgoing()));
            }
            if (step.outcome() instanceof MultistreamNegotiator.Selected sel) {
              result.complete(
                  new Selected(sel.protocol(), new ReplayingStream(s, sel.remainder())));
            } else if (step.outcome() instanceof MultistreamNegotiator.Failed f) {
              result.completeExceptionally(new IllegalStateException(f.reason()));
              s.reset();
            }
          }

          @Override
          public void onRemoteClose(MuxStream s) {
            if (result.completeExceptionally(
                new IllegalStateException("stream closed during protocol selection"))) {
              s.reset();
            }
          }

          @Override
          public void onReset(MuxStream s) {
            result.completeExceptionally(new IllegalStateException("stream reset during select"));
          }
        });
    stream.write(Unpooled.wrappedBuffer(opening));
    result
        .orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
        .whenComplete(
            (ok, e) -> {
              if (e != null && stream.isOpen()) {
                stream.reset();
              }
            });
    return result;
  }

  /**
   * The selected stream. It takes over the inner stream's events at once and holds them (the bytes
   * pipelined after the select, later data, a close or reset) until the protocol sets its handler,
   * so nothing is lost in between. Events arrive on the connection's event loop, as does the usual
   * setHandler call, so no locking beyond a monitor for the rare other thread.
   */
  private static final class ReplayingStream implements MuxStream, StreamHandler {
    private final MuxStream inner;
    private final java.util.ArrayDeque<Object> held = new java.util.ArrayDeque<>();
    private StreamHandler handler;

    private static final Object CLOSED = new Object();
    private static final Object RESET = new Object();

    ReplayingStream(MuxStream inner, byte[] remainder) {
      this.inner = inner;
      if (remainder.length > 0) {
        held.add(Unpooled.wrappedBuffer(remainder));
      }
      inner.setHandler(this);
    }

    @Override
    public synchronized void onData(MuxStream s, ByteBuf data) {
      if (handler == null) {
        held.add(data); // bounded by the muxer's receive window
      } else {
        handler.onData(this, data);
      }
    }

    @Override
    public synchronized void onRemoteClose(MuxStream s) {
      if (handler == null) {
        held.add(CLOSED);
      } else {
        handler.onRemoteClose(this);
      }
    }

    @Override
    public synchronized void onReset(MuxStream s) {
      if (handler == null) {
        held.add(RESET);
      } else {
        handler.onReset(this);
      }
    }

    @Override
    public int id() {
      return inner.id();
    }

    @Override
    public boolean initiator() {
      return inner.initiator();
    }

    @Override
    public CompletableFuture<Void> write(ByteBuf data) {
      return inner.write(data);
    }

    @Override
    public synchronized void setHandler(StreamHandler h) {
      this.handler = h;
      while (!held.isEmpty()) {
        Object e = held.poll();
        if (e == CLOSED) {
          h.onRemoteClose(this);
        } else if (e == RESET) {
          h.onReset(this);
        } else {
          h.onData(this, (ByteBuf) e);
        }
      }
    }

    @Override
    public void closeWrite() {
      inner.closeWrite();
    }

    @Override
    public void reset() {
      inner.reset();
    }

    @Override
    public boolean isOpen() {
      return inner.isOpen();
    }
  }
}
