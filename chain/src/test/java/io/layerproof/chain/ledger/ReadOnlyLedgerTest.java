package io.layerproof.chain.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.layerproof.chain.event.SignedEvent;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An auditor reads a ledger its node holds open and keeps writing. */
class ReadOnlyLedgerTest {

  @TempDir Path dir;

  @Test
  void aReaderSeesTheLedgerAsOfOpeningWhileTheWriterGoesOn() {
    List<SignedEvent> story = LedgerTesting.story(2, 3);
    int half = story.size() / 2;
    try (EventLog writer = EventLog.open(dir, BatchPolicy.sealedByCaller())) {
      LedgerTesting.appendAll(writer, story.subList(0, half));
      writer.seal();
      try (EventLog reader = EventLog.openReadOnly(dir)) {
        assertEquals(writer.head(), reader.head());
        assertEquals(writer.headHash(), reader.headHash());
        assertEquals(1, reader.batchCount());
        assertEquals(
            writer.get(half - 1).orElseThrow().entryHash(),
            reader.get(half - 1).orElseThrow().entryHash());
        assertEquals(writer.proveInclusion(0), reader.proveInclusion(0));
        LedgerTesting.appendAll(writer, story.subList(half, story.size()));
        assertEquals(half - 1, reader.head(), "the reader's view is fixed at open");
        assertThrows(
            RuntimeException.class,
            () -> reader.append(LedgerTesting.verified(story.get(half))),
            "a read-only ledger refuses writes");
      }
      try (EventLog later = EventLog.openReadOnly(dir)) {
        assertEquals(story.size() - 1, later.head());
        assertEquals(true, later.verify().ok());
      }
    }
  }
}
