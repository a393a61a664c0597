package io.layerproof.benchmarks;

import io.layerproof.chain.event.EnvelopeVerifier;
import io.layerproof.chain.event.TestEvents;
import io.layerproof.chain.event.VerifiedEvent;
import io.layerproof.chain.ledger.BatchPolicy;
import io.layerproof.chain.ledger.EventLog;
import io.layerproof.chain.ledger.InclusionProof;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Inclusion proofs against batch size. {@code proveCold}: the batch's Merkle tree is not cached, so
 * the proof reads the batch's entry hashes from RocksDB and rebuilds the tree (the log caches 8
 * trees; the benchmark cycles through 10 batches). {@code proveCached}: the tree is cached. {@code
 * verify}: recompute entry hash, leaf and root in Java (what an auditor does).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xmx2g"})
public class ProofBenchmark {

  private static final int BATCHES = 10;

  @Param({"256", "1024", "4096"})
  public int batchSize;

  private Path dir;
  private EventLog log;
  private final List<InclusionProof> proofs = new ArrayList<>();
  private long next;

  @Setup(Level.Trial)
  public void fill() throws IOException {
    dir = Files.createTempDirectory("proof-bench");
    log = EventLog.open(dir, new BatchPolicy(batchSize, Duration.ofHours(1)));
    EnvelopeVerifier verifier = new EnvelopeVerifier(TestEvents.DOMAIN);
    List<byte[]> wires = Traffic.tokens(TestEvents.DOMAIN, "prover", BATCHES * batchSize);
    for (int i = 0; i < wires.size(); i += 1024) {
      List<VerifiedEvent> chunk =
          wires.subList(i, Math.min(wires.size(), i + 1024)).stream()
              .map(verifier::verify)
              .toList();
      log.appendAll(chunk);
    }
    for (int i = 0; i < 1024; i++) {
      proofs.add(log.proveInclusion((long) i * 7919 % log.size()));
    }
  }

  @TearDown(Level.Trial)
  public void close() throws IOException {
    log.close();
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  @Benchmark
  public InclusionProof proveCold() {
    long batch = next++ % BATCHES;
    return log.proveInclusion(batch * batchSize + (next * 31) % batchSize);
  }

  @Benchmark
  public InclusionProof proveCached() {
    return log.proveInclusion((next++ * 31) % batchSize);
  }

  @Benchmark
  public boolean verify() {
    return proofs.get((int) (next++ % proofs.size())).verify();
  }
}
