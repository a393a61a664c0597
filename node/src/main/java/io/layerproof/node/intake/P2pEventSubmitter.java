package io.layerproof.node.intake;

import io.layerproof.chain.event.SignedEvent;
import io.layerproof.node.jobs.EventSubmitter;
import io.layerproof.p2p.P2pNetwork;
import io.layerproof.p2p.identity.PeerId;
import io.layerproof.p2p.multiaddr.Multiaddr;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A node's events to the sequencer over libp2p ({@link EventIntake}); the node's host key is its
 * node key, which is how the sequencer knows whose events it may carry.
 */
public final class P2pEventSubmitter implements EventSubmitter {

  private final P2pNetwork network;
  private final Multiaddr sequencer;
  private final PeerId peer;
  private final Duration timeout;

  /**
   * @param sequencer where the sequencer listens, with {@code /p2p/<its peer id>}
   */
  public P2pEventSubmitter(P2pNetwork network, Multiaddr sequencer, Duration timeout) {
    this.network = Objects.requireNonNull(network, "network");
    this.sequencer = Objects.requireNonNull(sequencer, "sequencer");
    this.peer =
        sequencer.peerId().orElseThrow(() -> new IllegalArgumentException("address names no peer"));
    this.timeout = Objects.requireNonNull(timeout, "timeout");
  }

  @Override
  public long nextSeq() {
    return call(new byte[] {EventIntake.NEXT_SEQ});
  }

  @Override
  public long submit(SignedEvent event) {
    byte[] wire = event.toWire();
    byte[] request = new byte[1 + wire.length];
    request[0] = EventIntake.SUBMIT;
    System.arraycopy(wire, 0, request, 1, wire.length);
    return call(request);
  }

  private long call(byte[] request) {
    try {
      network.connect(sequencer).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      byte[] answer =
          network
              .request(peer, EventIntake.PROTOCOL, request)
              .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      if (answer.length != 8) {
        throw new IllegalStateException("the sequencer answered " + answer.length + " bytes");
      }
      return ByteBuffer.wrap(answer).getLong();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted talking to the sequencer", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("the sequencer refused: " + e.getCause().getMessage(), e);
    } catch (TimeoutException e) {
      throw new IllegalStateException("no answer from the sequencer within " + timeout, e);
    }
  }
}
