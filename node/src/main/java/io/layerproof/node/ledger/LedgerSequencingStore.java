package io.layerproof.node.ledger;

import io.layerproof.chain.event.CanonicalJson;
import io.layerproof.chain.ledger.EventLog;
import io.layerproof.chain.ledger.LedgerException;
import io.layerproof.node.sequencing.AnchorMark;
import io.layerproof.node.sequencing.ProposedBatch;
import io.layerproof.node.sequencing.SequencingStore;
import java.io.IOException;
import java.util.Optional;

/**
 * Sequencing's anchor mark and pinned batch, kept in the ledger's own RocksDB (synced writes), so
 * they are never ahead of or behind the entries they name after a crash.
 */
public final class LedgerSequencingStore implements SequencingStore {
  private static final String MARK = "sequencing/mark";
  private static final String PIN = "sequencing/pin";

  private final EventLog ledger;

  public LedgerSequencingStore(EventLog ledger) {
    this.ledger = ledger;
  }

  @Override
  public Optional<AnchorMark> loadMark() {
    return ledger.loadState(MARK).map(b -> decode(b, AnchorMark.class));
  }

  @Override
  public void saveMark(AnchorMark mark) {
    ledger.saveState(MARK, CanonicalJson.encode(mark));
  }

  @Override
  public Optional<ProposedBatch> loadPin() {
    return ledger.loadState(PIN).map(b -> decode(b, ProposedBatch.class));
  }

  @Override
  public void savePin(ProposedBatch pin) {
    ledger.saveState(PIN, CanonicalJson.encode(pin));
  }

  @Override
  public void clearPin() {
    ledger.deleteState(PIN);
  }

  private static <T> T decode(byte[] json, Class<T> type) {
    try {
      return CanonicalJson.decode(json, type);
    } catch (IOException e) {
      throw new LedgerException("stored sequencing state is unreadable: " + e.getMessage(), e);
    }
  }
}
