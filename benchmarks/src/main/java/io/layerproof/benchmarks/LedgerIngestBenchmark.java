package io.layerproof.benchmarks;

import io.layerproof.chain.event.EnvelopeVerifier;
import io.layerproof.chain.event.TestEvents;
import io.layerproof.chain.event.VerifiedEvent;
import io.layerproof.chain.ledger.AppendResult;
import io.layerproof.chain.ledger.BatchPolicy;
import io.layerproof.chain.ledger.EventLog;
import io.layerproof.chain.ledger.GroupCommitAppender;
import io.layerproof.chain.ledger.IndexedEvent;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.infra.Blackhole;
import org.openjdk.jmh.infra.ThreadParams;

/**
 * Signed events ingested per second: untrusted wire bytes verified (size, canonical form, domain,
 * Ed25519 author signature, secp256k1 buyer signature on JobPosted), appended to the RocksDB log
 * with fsynced group commits, hash-chained and sealed into Merkle batches of 1024. Scores are
 * events per second (one operation = one event).
 *
 * <ul>
 *   <li>{@code ingest}: the whole pipeline, two producer threads verifying and submitting to the
 *       group-commit writer (a third thread); an invocation verifies and submits 500 events and
 *       returns once the previous 500 are durable (one chunk in flight per producer; the last is
 *       awaited before the iteration ends).
 *   <li>{@code verifyOnly}: the same verification on two threads, no log: the CPU ceiling.
 *   <li>{@code appendOnly}: one thread appending pre-verified events, 500 per synced write: what
 *       the writer alone can take.
 * </ul>
 *
 * Each iteration starts from an empty log, so the same pre-signed events can be replayed.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xmx3g"})
public class LedgerIngestBenchmark {

  static final int CHUNK = 500;
  static final int POOL = 100_000;

  private final EnvelopeVerifier verifier = new EnvelopeVerifier(TestEvents.DOMAIN);
  private Path dir;
  private EventLog log;
  private GroupCommitAppender appender;

  @Setup(Level.Iteration)
  public void openEmptyLog() throws IOException {
    dir = Files.createTempDirectory("ledger-bench");
    log = EventLog.open(dir, new BatchPolicy(1024, Duration.ofSeconds(10)));
    appender = new GroupCommitAppender(log, 4096, Duration.ofMillis(50));
  }

  /** appendOnly outruns its pool within an iteration: start over on an empty log (~10 ms). */
  private void recycleLog() throws IOException {
    closeLog();
    openEmptyLog();
  }

  @TearDown(Level.Iteration)
  public void closeLog() throws IOException {
    appender.close();
    if (log.size() > 0 && !log.verify().ok()) {
      throw new IllegalStateException("the benchmark broke the hash chain");
    }
    log.close();
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  /** One producer's pre-signed traffic; authors differ per thread. */
  @State(Scope.Thread)
  public static class Wires {
    List<byte[]> pool;
    int cursor;
    CompletableFuture<IndexedEvent> inFlight;

    @Setup(Level.Trial)
    public void sign(ThreadParams thread) {
      pool = Traffic.jobs(TestEvents.DOMAIN, "producer-" + thread.getThreadIndex(), POOL, 32);
    }

    @Setup(Level.Iteration)
    public void rewind() {
      cursor = 0;
      inFlight = null;
    }

    @TearDown(Level.Iteration)
    public void awaitLastChunk() {
      if (inFlight != null) {
        inFlight.join();
      }
    }

    byte[] next() {
      if (cursor == pool.size()) {
        throw new IllegalStateException("event pool exhausted: raise POOL");
      }
      return pool.get(cursor++);
    }
  }

  /** The same traffic, verified up front, in chunks of {@link #CHUNK}. */
  @State(Scope.Thread)
  public static class Verified {
    final List<List<VerifiedEvent>> chunks = new ArrayList<>();
    int cursor;

    @Setup(Level.Trial)
    public void verify() {
      EnvelopeVerifier v = new EnvelopeVerifier(TestEvents.DOMAIN);
      List<byte[]> wires = Traffic.jobs(TestEvents.DOMAIN, "appender", POOL, 32);
      for (int i = 0; i + CHUNK <= wires.size(); i += CHUNK) {
        chunks.add(wires.subList(i, i + CHUNK).stream().map(v::verify).toList());
      }
    }

    @Setup(Level.Iteration)
    public void rewind() {
      cursor = 0;
    }
  }

  @Benchmark
  @Threads(2)
  @OperationsPerInvocation(CHUNK)
  public IndexedEvent ingest(Wires wires) {
    CompletableFuture<IndexedEvent> last = null;
    for (int i = 0; i < CHUNK; i++) {
      last = appender.submit(verifier.verify(wires.next()));
    }
    // A producer keeps one chunk in flight, as a real one does: it waits for the previous
    // chunk's acknowledgement (one producer's futures complete in order, so the last one being
    // durable means all are) while the writer syncs this one.
    CompletableFuture<IndexedEvent> previous = wires.inFlight;
    wires.inFlight = last;
    return previous == null ? null : previous.join();
  }

  @Benchmark
  @Threads(2)
  @OperationsPerInvocation(CHUNK)
  public void verifyOnly(Wires wires, Blackhole bh) {
    for (int i = 0; i < CHUNK; i++) {
      bh.consume(verifier.verify(wires.pool.get(wires.cursor++ % wires.pool.size())));
    }
  }

  @Benchmark
  @Threads(1)
  @OperationsPerInvocation(CHUNK)
  public List<AppendResult> appendOnly(Verified verified) throws IOException {
    if (verified.cursor == verified.chunks.size()) {
      recycleLog();
      verified.cursor = 0;
    }
    return log.appendAll(verified.chunks.get(verified.cursor++));
  }
}
