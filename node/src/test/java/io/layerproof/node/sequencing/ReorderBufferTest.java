package io.layerproof.node.sequencing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.layerproof.node.testing.TestIds;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReorderBufferTest {
  private static final ProducerId P = new ProducerId(TestIds.named("p"), 1);
  private final ReorderBuffer buffer = new ReorderBuffer(4);
  private long lastIndexed;

  private ReorderBuffer.Offer offer(long seq, List<Long> released) {
    List<ProducerEvent> out = new ArrayList<>();
    ReorderBuffer.Offer o =
        buffer.offer(new ProducerEvent(P, seq, new byte[] {(byte) seq}), lastIndexed, out);
    for (ProducerEvent e : out) {
      released.add(e.seq());
      lastIndexed = e.seq();
    }
    return o;
  }

  @Test
  void releasesEachProducersEventsInSequenceOrderOnce() {
    List<Long> released = new ArrayList<>();
    assertEquals(ReorderBuffer.Offer.BUFFERED, offer(3, released));
    assertEquals(ReorderBuffer.Offer.BUFFERED, offer(2, released));
    assertEquals(ReorderBuffer.Offer.DUPLICATE, offer(3, released));
    assertEquals(List.of(), released);
    assertEquals(ReorderBuffer.Offer.READY, offer(1, released));
    assertEquals(List.of(1L, 2L, 3L), released);
    assertEquals(ReorderBuffer.Offer.DUPLICATE, offer(2, released));
    assertEquals(0, buffer.size());
  }

  @Test
  void dropsWhatIsTooFarAhead() {
    List<Long> released = new ArrayList<>();
    assertEquals(ReorderBuffer.Offer.OVERFLOW, offer(5, released), "4 ahead is the limit");
    assertEquals(ReorderBuffer.Offer.BUFFERED, offer(4, released));
    assertEquals(1, buffer.size());
  }

  @Test
  void forgetsHeldEventsThatGotIndexedMeanwhile() {
    List<Long> released = new ArrayList<>();
    offer(3, released);
    lastIndexed = 3; // e.g. a merged log brought 1..3 in
    assertEquals(ReorderBuffer.Offer.READY, offer(4, released));
    assertEquals(List.of(4L), released);
    assertEquals(0, buffer.size());
  }
}
