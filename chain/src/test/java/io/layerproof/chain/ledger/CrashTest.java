package io.layerproof.chain.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.layerproof.chain.event.Bytes32;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Must show 2: a child JVM ({@link CrashChild}) appends signed events as fast as it can and reports
 * every acknowledged index; it is killed with SIGKILL at random moments, 20 rounds. After every
 * kill the log is reopened: every acknowledged index must be there with the same envelope hash, and
 * the whole hash chain must verify.
 */
class CrashTest {

  private static final Logger log = LoggerFactory.getLogger(CrashTest.class);
  private static final int ROUNDS = 20;

  @TempDir Path dir;

  @Test
  void everyAcknowledgedEventSurvivesSigkill() throws Exception {
    long seed = System.nanoTime();
    Random random = new Random(seed);
    log.info("crash test seed {}", seed);
    Map<Long, Bytes32> acknowledged = new HashMap<>();
    Path ledger = dir.resolve("ledger");
    long lastHead = -1;
    for (int round = 0; round < ROUNDS; round++) {
      // A few kills land while the child is still opening and recovering the log.
      // The others are killed at a random moment after the child's first acknowledgement: a
      // fixed delay after READY lands before any append on a slow machine (class loading and JIT
      // warm-up take hundreds of ms there), and the round then proves nothing.
      long delayMillis = round % 5 == 0 ? random.nextInt(300) : random.nextInt(600);
      List<String> lines = runAndKill(ledger, delayMillis, round);
      int acks = 0;
      for (String line : lines) {
        String[] parts = line.split(" ");
        if (parts.length == 3 && parts[0].equals("ACK")) {
          Bytes32 hash = Bytes32.fromHex(parts[2]);
          Bytes32 earlier = acknowledged.put(Long.parseLong(parts[1]), hash);
          if (earlier != null) {
            assertEquals(earlier, hash, "index " + parts[1] + " acknowledged twice, differently");
          }
          acks++;
        } else if (line.startsWith("FAIL")) {
          throw new AssertionError("the child saw a failed append: " + line);
        }
      }
      try (EventLog reopened = EventLog.open(ledger)) {
        for (Map.Entry<Long, Bytes32> ack : acknowledged.entrySet()) {
          IndexedEvent e =
              reopened
                  .get(ack.getKey())
                  .orElseThrow(
                      () ->
                          new AssertionError(
                              "acknowledged index "
                                  + ack.getKey()
                                  + " is lost (seed "
                                  + seed
                                  + ")"));
          assertEquals(ack.getValue(), e.envelopeHash(), "content of index " + ack.getKey());
        }
        ChainVerification v = reopened.verify();
        assertTrue(v.ok(), () -> "round: chain breaks at " + v.brokenAt() + ": " + v.problem());
        assertTrue(reopened.head() >= lastHead, "the log shrank");
        lastHead = reopened.head();
        log.info(
            "round {}: killed {} ms after the first ack (or start), {} new acks, head {}, {} batches",
            round,
            delayMillis,
            acks,
            reopened.head(),
            reopened.batchCount());
      }
    }
    assertTrue(acknowledged.size() > 0, "the child never acknowledged anything");
  }

  private static String childTmp(Path ledger) throws IOException {
    return java.nio.file.Files.createDirectories(ledger.resolveSibling("child-tmp")).toString();
  }

  private static List<String> runAndKill(Path ledger, long delayMillis, int round)
      throws IOException, InterruptedException {
    ProcessBuilder pb =
        new ProcessBuilder(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-Xmx256m",
            "-XX:+UseSerialGC",
            // RocksDB unpacks its 17 MB native library into java.io.tmpdir and a SIGKILLed JVM
            // never deletes it: keep those copies in the test's folder, which is cleaned up.
            "-Djava.io.tmpdir=" + childTmp(ledger),
            "-cp",
            System.getProperty("java.class.path"),
            CrashChild.class.getName(),
            ledger.toString());
    pb.redirectError(
        ProcessBuilder.Redirect.appendTo(ledger.resolveSibling("child-stderr.log").toFile()));
    Process child = pb.start();
    List<String> lines = new ArrayList<>();
    CountDownLatch ready = new CountDownLatch(1);
    CountDownLatch firstAck = new CountDownLatch(1);
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader r =
                  new BufferedReader(
                      new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                  if (line.startsWith("READY")) {
                    ready.countDown();
                  } else if (line.startsWith("ACK")) {
                    firstAck.countDown();
                  }
                  synchronized (lines) {
                    lines.add(line);
                  }
                }
              } catch (IOException ignored) {
                // the pipe breaks when the child dies
              }
            });
    reader.start();
    if (round % 5 != 0) {
      // Let it start appending, then kill it at a random moment of its run.
      if (!ready.await(60, TimeUnit.SECONDS) || !firstAck.await(60, TimeUnit.SECONDS)) {
        child.destroyForcibly();
        throw new AssertionError("the child did not start appending; see child-stderr.log");
      }
    }
    Thread.sleep(delayMillis);
    child.destroyForcibly(); // SIGKILL on Unix
    child.waitFor();
    reader.join();
    synchronized (lines) {
      return new ArrayList<>(lines);
    }
  }
}
