package io.layerproof.node.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.layerproof.chain.event.Bytes32;
import io.layerproof.chain.ledger.BatchPolicy;
import io.layerproof.chain.ledger.EventLog;
import io.layerproof.node.sequencing.AnchorMark;
import io.layerproof.node.sequencing.ProposedBatch;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LedgerSequencingStoreTest {
  @TempDir Path dir;

  @Test
  void markAndPinSurviveReopeningTheLedgerAndAClearedPinStaysCleared() {
    AnchorMark mark =
        new AnchorMark(3, 41, Bytes32.keccak(new byte[] {1}), Bytes32.keccak(new byte[] {2}));
    ProposedBatch pin =
        new ProposedBatch(
            4, 42, 50, Bytes32.keccak(new byte[] {3}), Bytes32.keccak(new byte[] {4}));
    try (EventLog ledger = EventLog.open(dir, BatchPolicy.sealedByCaller())) {
      LedgerSequencingStore store = new LedgerSequencingStore(ledger);
      assertEquals(Optional.empty(), store.loadMark());
      assertEquals(Optional.empty(), store.loadPin());
      store.saveMark(mark);
      store.savePin(pin);
    }
    try (EventLog ledger = EventLog.open(dir, BatchPolicy.sealedByCaller())) {
      LedgerSequencingStore store = new LedgerSequencingStore(ledger);
      assertEquals(Optional.of(mark), store.loadMark());
      assertEquals(Optional.of(pin), store.loadPin());
      store.clearPin();
      assertTrue(store.loadPin().isEmpty());
      assertEquals(-1, ledger.head(), "the log's own state is untouched");
    }
    try (EventLog ledger = EventLog.open(dir, BatchPolicy.sealedByCaller())) {
      assertTrue(new LedgerSequencingStore(ledger).loadPin().isEmpty());
    }
  }
}
