package io.layerproof.chain.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.layerproof.chain.event.EventRejectedException;
import io.layerproof.chain.event.EventSigner;
import io.layerproof.chain.event.NodeId;
import io.layerproof.chain.event.RejectReason;
import io.layerproof.chain.event.TestEvents;
import io.layerproof.chain.event.TokenStreamed;
import io.layerproof.chain.event.VerifiedEvent;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GroupCommitAppenderTest {

  @TempDir Path dir;

  @Test
  void concurrentProducersAreAllAcknowledgedAndStoredInTheirOwnOrder() throws Exception {
    int producers = 4;
    int perProducer = 300;
    try (EventLog log = EventLog.open(dir, new BatchPolicy(128, Duration.ofHours(1)));
        GroupCommitAppender appender = new GroupCommitAppender(log, 64, Duration.ofMillis(10))) {
      List<Thread> threads = new ArrayList<>();
      Map<Long, VerifiedEvent> acked = new java.util.concurrent.ConcurrentHashMap<>();
      for (int p = 0; p < producers; p++) {
        EventSigner signer =
            new EventSigner(TestEvents.nodeKey("producer " + p), TestEvents.DOMAIN, 0);
        threads.add(
            new Thread(
                () -> {
                  List<CompletableFuture<IndexedEvent>> futures = new ArrayList<>();
                  List<VerifiedEvent> sent = new ArrayList<>();
                  for (int i = 0; i < perProducer; i++) {
                    VerifiedEvent e =
                        LedgerTesting.verified(
                            signer.sign(new TokenStreamed(TestEvents.h("j"), i, i)));
                    sent.add(e);
                    futures.add(appender.submit(e));
                  }
                  for (int i = 0; i < perProducer; i++) {
                    acked.put(futures.get(i).join().index(), sent.get(i));
                  }
                }));
      }
      threads.forEach(Thread::start);
      for (Thread t : threads) {
        t.join();
      }
      assertEquals(producers * perProducer, acked.size());
      assertEquals(producers * perProducer - 1, log.head());
      Map<NodeId, Long> lastSeq = new HashMap<>();
      for (IndexedEvent e : log.read(0, producers * perProducer)) {
        assertEquals(acked.get(e.index()).envelopeHash(), e.envelopeHash());
        long expected = lastSeq.getOrDefault(e.envelope().author(), -1L) + 1;
        assertEquals(expected, e.envelope().seq(), "each author's events in its order");
        lastSeq.put(e.envelope().author(), expected);
      }
      assertTrue(log.verify().ok());
    }
  }

  @Test
  void aRefusedEventFailsOnlyItsOwnFuture() throws Exception {
    try (EventLog log = EventLog.open(dir);
        GroupCommitAppender appender = new GroupCommitAppender(log)) {
      EventSigner signer = new EventSigner(TestEvents.nodeKey("p"), TestEvents.DOMAIN, 0);
      VerifiedEvent first =
          LedgerTesting.verified(signer.sign(new TokenStreamed(TestEvents.h("j"), 0, 0)));
      assertEquals(0, appender.submit(first).get(10, TimeUnit.SECONDS).index());
      CompletableFuture<IndexedEvent> replay = appender.submit(first);
      CompletableFuture<IndexedEvent> next =
          appender.submit(
              LedgerTesting.verified(signer.sign(new TokenStreamed(TestEvents.h("j"), 1, 1))));
      ExecutionException e =
          org.junit.jupiter.api.Assertions.assertThrows(
              ExecutionException.class, () -> replay.get(10, TimeUnit.SECONDS));
      assertEquals(
          RejectReason.DUPLICATE_EVENT_ID,
          assertInstanceOf(EventRejectedException.class, e.getCause()).reason());
      assertEquals(1, next.get(10, TimeUnit.SECONDS).index());
    }
  }

  @Test
  void anIdleWriterSealsABatchThatIsDue() throws Exception {
    AtomicLong clock = new AtomicLong(0);
    try (EventLog log =
            EventLog.open(dir, new BatchPolicy(1000, Duration.ofSeconds(5)), clock::get, 16);
        GroupCommitAppender appender = new GroupCommitAppender(log, 16, Duration.ofMillis(5))) {
      EventSigner signer = new EventSigner(TestEvents.nodeKey("p"), TestEvents.DOMAIN, 0);
      appender
          .submit(LedgerTesting.verified(signer.sign(new TokenStreamed(TestEvents.h("j"), 0, 0))))
          .get(10, TimeUnit.SECONDS);
      assertEquals(0, log.batchCount());
      clock.set(5_000);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (log.batchCount() == 0 && System.nanoTime() < deadline) {
        Thread.sleep(5);
      }
      assertEquals(1, log.batchCount(), "the idle writer applies the age rule");
      assertEquals(1, log.batch(0).orElseThrow().eventCount());
    }
  }
}
