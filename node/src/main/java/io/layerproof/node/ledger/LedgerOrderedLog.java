package io.layerproof.node.ledger;

import io.layerproof.chain.event.Bytes32;
import io.layerproof.chain.event.EventRejectedException;
import io.layerproof.chain.event.SignedEvent;
import io.layerproof.chain.event.VerifiedEvent;
import io.layerproof.chain.ledger.EntryHashes;
import io.layerproof.chain.ledger.EventLog;
import io.layerproof.chain.ledger.IndexedEvent;
import io.layerproof.node.sequencing.LogEntry;
import io.layerproof.node.sequencing.OrderedLog;
import io.layerproof.node.sequencing.ProducerEvent;
import io.layerproof.node.sequencing.ProducerId;
import java.util.ArrayList;
import java.util.List;

/**
 * The sequencing port over the RocksDB {@link EventLog}: the node's replica is the ledger itself.
 * Every entry is checked before it is stored: its envelope is verified and its chain hash must be
 * the ledger's entry hash at that index, so the two hash chains cannot drift apart. Appends are
 * fsynced (the ledger acknowledges only durable writes); dropping a provisional tail never touches
 * a sealed (anchored) batch.
 */
public final class LedgerOrderedLog implements OrderedLog {
  private final EventLog ledger;
  private final LedgerEventFormat format;

  public LedgerOrderedLog(EventLog ledger, LedgerEventFormat format) {
    this.ledger = ledger;
    this.format = format;
  }

  public EventLog ledger() {
    return ledger;
  }

  @Override
  public long head() {
    return ledger.head();
  }

  @Override
  public void append(LogEntry entry) {
    long next = ledger.head() + 1;
    if (entry.index() != next) {
      throw new IllegalArgumentException("entry " + entry.index() + " is not next (" + next + ")");
    }
    VerifiedEvent v;
    try {
      v = format.verified(entry.event().payload());
    } catch (EventRejectedException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
    Bytes32 expected = EntryHashes.entryHash(ledger.headHash(), next, v.envelopeHash());
    if (!expected.equals(entry.chainHash())) {
      throw new IllegalArgumentException("entry " + next + "'s chain hash is not the ledger's");
    }
    try {
      ledger.append(v);
    } catch (EventRejectedException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
  }

  @Override
  public List<LogEntry> read(long sinceIdx, int max) {
    List<IndexedEvent> events = ledger.read(sinceIdx, max);
    List<LogEntry> out = new ArrayList<>(events.size());
    for (IndexedEvent e : events) {
      out.add(toEntry(e));
    }
    return out;
  }

  @Override
  public void truncateAfter(long index) {
    ledger.truncateProvisional(index);
  }

  /** A ledger entry as sequencing sees it. */
  public static LogEntry toEntry(IndexedEvent e) {
    SignedEvent env = e.envelope();
    return new LogEntry(
        e.index(),
        new ProducerEvent(new ProducerId(env.author(), 0), env.seq() + 1, env.toWire()),
        e.entryHash());
  }
}
