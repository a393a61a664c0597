package io.layerproof.p2p.protocol;

import io.layerproof.p2p.mux.MuxStream;
import io.layerproof.p2p.mux.StreamHandler;
import io.netty.buffer.ByteBuf;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * {@code /layerproof/reqresp/1.0.0}, one exchange per stream: the requester writes one frame
 * (unsigned varint length + bytes, at most {@link #MAX_FRAME}) and half-closes; the responder reads
 * it, writes one frame back and closes. Large payloads (hidden states) flow under the muxer's
 * window: a write completes only as the peer's window opens, which is the backpressure.
 */
public final class RequestResponse {

  /** Largest request or response: 16 MiB, as the js peer enforces too. */
  public static final int MAX_FRAME = 16 * 1024 * 1024;

  private RequestResponse() {}

  /** Sends {@code request} on a negotiated outbound stream; completes with the response. */
  public static CompletableFuture<byte[]> request(
      MuxStream stream, byte[] request, int maxResponse) {
    if (request.length > MAX_FRAME) {
      throw new IllegalArgumentException("request over " + MAX_FRAME + " bytes");
    }
    CompletableFuture<byte[]> result = OneFrame.read(stream, maxResponse);
    stream
        .write(FrameReader.frame(request))
        .whenComplete(
            (v, e) -> {
              if (e != null) {
                result.completeExceptionally(e);
              } else {
                stream.closeWrite();
              }
            });
    return result;
  }

  /**
   * Serves one request on an inbound stream: {@code handler} turns the request into the response (a
   * failed future resets the stream).
   */
  public static void serve(
      MuxStream stream, int maxRequest, Function<byte[], CompletableFuture<byte[]>> handler) {
    FrameReader reader = new FrameReader(Math.min(maxRequest, MAX_FRAME));
    boolean[] answered = {false};
    stream.setHandler(
        new StreamHandler() {
          @Override
          public void onData(MuxStream s, ByteBuf data) {
            if (answered[0]) {
              data.release();
              s.reset();
              return;
            }
            List<byte[]> frames;
            try {
              frames = reader.feed(data);
            } catch (FrameReader.FrameException e) {
              answered[0] = true;
              reader.release();
              s.reset();
              return;
            }
            if (frames.isEmpty()) {
              return;
            }
            answered[0] = true;
            reader.release();
            handler
                .apply(frames.get(0))
                .whenComplete(
                    (response, e) -> {
                      if (e != null || response == null || response.length > MAX_FRAME) {
                        s.reset();
                      } else {
                        s.write(FrameReader.frame(response)).thenRun(s::closeWrite);
                      }
                    });
          }

          @Override
          public void onRemoteClose(MuxStream s) {
            if (!answered[0]) {
              answered[0] = true;
              reader.release();
              s.reset();
            }
          }

          @Override
          public void onReset(MuxStream s) {
            if (!answered[0]) {
              answered[0] = true;
              reader.release();
            }
          }
        });
  }
}
