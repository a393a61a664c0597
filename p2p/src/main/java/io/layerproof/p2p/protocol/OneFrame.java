package io.layerproof.p2p.protocol;

import io.layerproof.p2p.mux.MuxStream;
import io.layerproof.p2p.mux.StreamHandler;
import io.netty.buffer.ByteBuf;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Reads the single varint-framed message the peer answers with (identify, a response): completes
 * with its bytes, or fails when the stream closes or resets first or the frame is over the limit
 * (the stream is then reset). Bytes after the frame are dropped.
 */
final class OneFrame {

  private OneFrame() {}

  static CompletableFuture<byte[]> read(MuxStream stream, int maxFrame) {
    CompletableFuture<byte[]> result = new CompletableFuture<>();
    FrameReader reader = new FrameReader(maxFrame);
    stream.setHandler(
        new StreamHandler() {
          @Override
          public void onData(MuxStream s, ByteBuf data) {
            if (result.isDone()) {
              data.release();
              return;
            }
            try {
              List<byte[]> frames = reader.feed(data);
              if (!frames.isEmpty()) {
                reader.release();
                result.complete(frames.get(0));
              }
            } catch (FrameReader.FrameException e) {
              reader.release();
              result.completeExceptionally(e);
              s.reset();
            }
          }

          @Override
          public void onRemoteClose(MuxStream s) {
            if (!result.isDone()) {
              reader.release();
              result.completeExceptionally(new IllegalStateException("closed before an answer"));
            }
          }

          @Override
          public void onReset(MuxStream s) {
            if (!result.isDone()) {
              reader.release();
              result.completeExceptionally(new IllegalStateException("the peer reset the stream"));
            }
          }
        });
    return result;
  }
}
