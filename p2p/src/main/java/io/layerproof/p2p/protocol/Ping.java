package io.layerproof.p2p.protocol;

import io.layerproof.p2p.mux.MuxStream;
import io.layerproof.p2p.mux.StreamHandler;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;

/**
 * {@code /ipfs/ping/1.0.0}: the dialer sends 32 random bytes, the listener echoes them; the round
 * trip is the time between. The responder echoes every full 32-byte block and nothing else.
 */
public final class Ping {

  public static final int SIZE = 32;

  private static final SecureRandom RANDOM = new SecureRandom();

  private Ping() {}

  /** Serves pings on an inbound stream until the peer closes it. */
  public static void serve(MuxStream stream) {
    ByteBuf pending = Unpooled.buffer(SIZE * 2);
    stream.setHandler(
        new StreamHandler() {
          @Override
          public void onData(MuxStream s, ByteBuf data) {
            try {
              if (pending.readableBytes() + data.readableBytes() > SIZE * 64) {
                s.reset();
                return;
              }
              pending.writeBytes(data);
            } finally {
              data.release();
            }
            while (pending.readableBytes() >= SIZE) {
              s.write(pending.readBytes(SIZE));
            }
            pending.discardReadBytes();
          }

          @Override
          public void onRemoteClose(MuxStream s) {
            pending.release();
            s.closeWrite();
          }

          @Override
          public void onReset(MuxStream s) {
            pending.release();
          }
        });
  }

  /** One ping on a negotiated outbound stream; the stream is closed afterwards. */
  public static CompletableFuture<Duration> ping(MuxStream stream) {
    byte[] payload = new byte[SIZE];
    RANDOM.nextBytes(payload);
    CompletableFuture<Duration> result = new CompletableFuture<>();
    ByteBuf echo = Unpooled.buffer(SIZE);
    long[] start = {0};
    stream.setHandler(
        new StreamHandler() {
          @Override
          public void onData(MuxStream s, ByteBuf data) {
            try {
              int take = Math.min(data.readableBytes(), SIZE - echo.readableBytes());
              echo.writeBytes(data, take);
            } finally {
              data.release();
            }
            if (echo.readableBytes() == SIZE && !result.isDone()) {
              byte[] got = new byte[SIZE];
              echo.readBytes(got);
              echo.release();
              if (Arrays.equals(got, payload)) {
                result.complete(Duration.ofNanos(System.nanoTime() - start[0]));
              } else {
                result.completeExceptionally(new IllegalStateException("ping echo mismatch"));
              }
              s.closeWrite();
            }
          }

          @Override
          public void onReset(MuxStream s) {
            result.completeExceptionally(new IllegalStateException("ping stream reset"));
          }

          @Override
          public void onRemoteClose(MuxStream s) {
            result.completeExceptionally(new IllegalStateException("ping stream closed early"));
          }
        });
    start[0] = System.nanoTime();
    stream
        .write(Unpooled.wrappedBuffer(payload))
        .whenComplete(
            (v, e) -> {
              if (e != null) {
                result.completeExceptionally(e);
              }
            });
    return result;
  }
}
