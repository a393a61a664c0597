package io.layerproof.node.election;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileElectionStoreTest {
  @TempDir Path dir;

  @Test
  void aMissingFileMeansInitialState() {
    assertEquals(PersistedElection.INITIAL, new FileElectionStore(dir.resolve("e")).load());
  }

  @Test
  void aSavedStateIsWhatAFreshInstanceLoadsAndNoTemporaryFileRemains() throws Exception {
    Path f = dir.resolve("sub/election.state");
    new FileElectionStore(f).save(new PersistedElection(41, 3));
    new FileElectionStore(f).save(new PersistedElection(42, 4));
    assertEquals(new PersistedElection(42, 4), new FileElectionStore(f).load());
    try (var files = Files.list(f.getParent())) {
      assertEquals(1, files.count());
    }
  }

  @Test
  void anEditedFileFailsItsChecksumInsteadOfRestartingTheClock() throws Exception {
    Path f = dir.resolve("e");
    new FileElectionStore(f).save(new PersistedElection(42, 4));
    Files.writeString(f, Files.readString(f).replace("clock=42", "clock=1"));
    IllegalStateException e =
        assertThrows(IllegalStateException.class, () -> new FileElectionStore(f).load());
    assertTrue(e.getMessage().contains("checksum"), e.getMessage());
  }

  @Test
  void garbageIsReportedAsCorrupt() throws Exception {
    Path f = dir.resolve("e");
    Files.writeString(f, "clock=5");
    IllegalStateException e =
        assertThrows(IllegalStateException.class, () -> new FileElectionStore(f).load());
    assertTrue(e.getMessage().contains("corrupt"), e.getMessage());
    assertFalse(e.getMessage().contains("Exception"), e.getMessage());
  }
}
