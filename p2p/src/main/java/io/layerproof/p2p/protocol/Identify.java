package io.layerproof.p2p.protocol;

import io.layerproof.p2p.mux.MuxStream;
import io.layerproof.p2p.mux.StreamHandler;
import io.netty.buffer.ByteBuf;
import java.util.concurrent.CompletableFuture;

/**
 * {@code /ipfs/id/1.0.0}: whoever opens the stream asks; the other side answers with one framed
 * {@link IdentifyMessage} and closes.
 */
public final class Identify {

  private Identify() {}

  /** Answers an inbound identify stream with {@code self}. */
  public static void respond(MuxStream stream, IdentifyMessage self) {
    stream.setHandler(
        new StreamHandler() {
          @Override
          public void onData(MuxStream s, ByteBuf data) {
            data.release(); // the asker sends nothing; ignore what a peer sends anyway
          }
        });
    stream.write(FrameReader.frame(self.encode())).thenRun(stream::closeWrite);
  }

  /** Reads the peer's answer on a negotiated outbound identify stream. */
  public static CompletableFuture<IdentifyMessage> request(MuxStream stream) {
    return OneFrame.read(stream, IdentifyMessage.MAX_SIZE)
        .thenApply(
            bytes -> {
              stream.closeWrite();
              return IdentifyMessage.decode(bytes);
            });
  }
}
