package io.layerproof.node.sequencing;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The sequencer's per-producer holding area. Producers send over a lossy network and retry, so
 * their events arrive late, twice, or out of order; this releases each producer's events strictly
 * in sequence order, each exactly once, and drops anything already indexed.
 */
public final class ReorderBuffer {
  /** What became of an offered event. */
  public enum Offer {
    /** Released (with any buffered successors) for indexing. */
    READY,
    /** Held until the numbers before it arrive. */
    BUFFERED,
    /** Already indexed or already held: ignored. */
    DUPLICATE,
    /** Too far ahead of the producer's next number: dropped, the producer will retry. */
    OVERFLOW
  }

  private final int limitPerProducer;
  private final Map<ProducerId, TreeMap<Long, ProducerEvent>> held = new HashMap<>();

  public ReorderBuffer(int limitPerProducer) {
    this.limitPerProducer = limitPerProducer;
  }

  /**
   * Offers {@code e} given the producer's last indexed number {@code lastIndexed}. On READY, {@code
   * out} receives the event and every buffered successor, in order.
   */
  public Offer offer(ProducerEvent e, long lastIndexed, List<ProducerEvent> out) {
    ProducerId p = e.producer();
    if (e.seq() <= lastIndexed) {
      return Offer.DUPLICATE;
    }
    TreeMap<Long, ProducerEvent> queue = held.computeIfAbsent(p, k -> new TreeMap<>());
    queue.headMap(lastIndexed, true).clear(); // indexed meanwhile (e.g. by a merged log)
    if (e.seq() > lastIndexed + 1) {
      if (queue.containsKey(e.seq())) {
        return Offer.DUPLICATE;
      }
      if (e.seq() - lastIndexed > limitPerProducer) {
        return Offer.OVERFLOW;
      }
      queue.put(e.seq(), e);
      return Offer.BUFFERED;
    }
    out.add(e);
    queue.remove(e.seq());
    long next = e.seq() + 1;
    while (queue.containsKey(next)) {
      out.add(queue.remove(next));
      next++;
    }
    if (queue.isEmpty()) {
      held.remove(p);
    }
    return Offer.READY;
  }

  /** Number of events held for all producers. */
  public int size() {
    int n = 0;
    for (TreeMap<Long, ProducerEvent> q : held.values()) {
      n += q.size();
    }
    return n;
  }

  public void clear() {
    held.clear();
  }
}
