package io.layerproof.p2p.mux;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Stream handlers the tests share. */
final class StreamKit {
  static final long TIMEOUT_S = 30;

  private StreamKit() {}

  /** Writes back whatever arrives and half-closes when the peer does. */
  static void echo(MuxStream stream) {
    stream.setHandler(
        new StreamHandler() {
          @Override
          public void onData(MuxStream s, ByteBuf data) {
            s.write(data);
          }

          @Override
          public void onRemoteClose(MuxStream s) {
            s.closeWrite();
          }
        });
  }

  /** Collects a stream's bytes; completes on FIN, fails on RST. */
  static final class Collector implements StreamHandler {
    final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    final CompletableFuture<byte[]> closed = new CompletableFuture<>();
    final CompletableFuture<Void> firstData = new CompletableFuture<>();
    final CompletableFuture<Void> reset = new CompletableFuture<>();

    @Override
    public void onData(MuxStream stream, ByteBuf data) {
      bytes.writeBytes(ByteBufUtil.getBytes(data));
      data.release();
      firstData.complete(null);
    }

    @Override
    public void onRemoteClose(MuxStream stream) {
      closed.complete(bytes.toByteArray());
    }

    @Override
    public void onReset(MuxStream stream) {
      reset.complete(null);
      closed.completeExceptionally(new MuxException("reset"));
    }

    String text() throws Exception {
      return new String(closed.get(TIMEOUT_S, TimeUnit.SECONDS), StandardCharsets.UTF_8);
    }
  }
}
