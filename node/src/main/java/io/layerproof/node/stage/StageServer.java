package io.layerproof.node.stage;

import io.layerproof.chain.event.Bytes32;
import io.layerproof.chain.event.SignedEvent;
import io.layerproof.inference.shard.FrameCodec;
import io.layerproof.inference.shard.HiddenStateFrame;
import io.layerproof.inference.shard.Shard;
import io.layerproof.inference.shard.ShardSession;
import io.layerproof.node.jobs.ProviderNode;
import io.layerproof.node.serving.SerialWork;
import io.layerproof.p2p.P2pNetwork;
import io.layerproof.p2p.identity.PeerId;
import io.layerproof.verifier.reexec.CommittedShard;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A provider's shard served over libp2p under {@value #PROTOCOL}. Only the drivers it was given
 * (the sequencers that assign it work) may open a job, and only the driver that opened a job may
 * step, finish or abort it. Each job's first FORWARD opens a session whose hook records and commits
 * to the shard's activations, exactly as in a local pipeline; FINISH seals the commitment into the
 * provider's activation store (for reveals) and returns its public part; ATTEST then has the
 * provider sign its ledger events for it (with its own node key: the key never leaves the
 * provider).
 *
 * <p>All work runs on one thread: the shard computes one step at a time, and the job table needs no
 * locks. A job left idle past {@link Limits#idleTimeout} is dropped, so a driver that disappears
 * cannot pin KV caches.
 */
public final class StageServer implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(StageServer.class);

  public static final String PROTOCOL = "/layerproof/stage/1.0.0";

  /**
   * @param maxOpenJobs sessions held at once; a new job beyond this is refused
   * @param idleTimeout a job with no request for this long is dropped
   */
  public record Limits(int maxOpenJobs, Duration idleTimeout) {
    public static final Limits DEFAULT = new Limits(16, Duration.ofMinutes(2));

    public Limits {
      if (maxOpenJobs < 1 || idleTimeout.isNegative() || idleTimeout.isZero()) {
        throw new IllegalArgumentException("bad stage limits");
      }
    }
  }

  private static final class Job {
    final PeerId driver;
    final ProviderNode.Work work;
    final ShardSession session;
    long lastUsed;

    Job(PeerId driver, ProviderNode.Work work, ShardSession session, long now) {
      this.driver = driver;
      this.work = work;
      this.session = session;
      this.lastUsed = now;
    }
  }

  private final ProviderNode provider;
  private final Shard shard;
  private final Set<PeerId> drivers;
  private final Limits limits;
  private final SerialWork thread;
  private final Map<String, Job> jobs = new HashMap<>();

  private record Finished(PeerId driver, CommittedShard commitment) {}

  /**
   * Recently finished jobs: one is never opened again (one commitment per job), and its driver may
   * ask for the signed ledger events.
   */
  private final Map<String, Finished> finished =
      new java.util.LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Finished> eldest) {
          return size() > 4096;
        }
      };

  /**
   * @param drivers the peers allowed to run jobs on this shard
   */
  public StageServer(ProviderNode provider, Set<PeerId> drivers, Limits limits) {
    this.provider = Objects.requireNonNull(provider, "provider");
    this.shard = provider.shard();
    this.drivers = Set.copyOf(drivers);
    this.limits = Objects.requireNonNull(limits, "limits");
    this.thread = new SerialWork("stage-" + provider.name(), log);
    thread.every(limits.idleTimeout().dividedBy(4), this::dropIdle);
  }

  /** Answers stage requests on {@code network}. */
  public StageServer serveOn(P2pNetwork network) {
    network.onRequest(PROTOCOL, this::handle);
    return this;
  }

  /** Sessions open now. */
  public int openJobs() {
    return thread.call(jobs::size);
  }

  /**
   * One request from {@code from}. A refused or malformed request fails the future, which resets
   * the requester's stream; the reason is logged here, not sent.
   */
  public CompletableFuture<byte[]> handle(PeerId from, byte[] bytes) {
    if (!drivers.contains(from)) {
      log.info("{}: stage request from {}, not a driver: refused", provider.name(), from);
      return CompletableFuture.failedFuture(new SecurityException("not a driver"));
    }
    StageWire.Request request;
    try {
      request = StageWire.decode(bytes);
    } catch (IllegalArgumentException e) {
      log.info("{}: malformed stage request from {}: {}", provider.name(), from, e.getMessage());
      return CompletableFuture.failedFuture(e);
    }
    return thread.submit(
        provider.name() + ": " + request.kind() + " of job " + request.jobId() + " from " + from,
        () -> answer(from, request));
  }

  private byte[] answer(PeerId from, StageWire.Request request) {
    String id = request.jobId();
    Job job = jobs.get(id);
    if (job != null && !job.driver.equals(from)) {
      throw new SecurityException("job " + id + " belongs to another driver");
    }
    switch (request.kind()) {
      case FORWARD -> {
        HiddenStateFrame in = FrameCodec.decode(request.body());
        if (job == null) {
          job = open(from, id, in);
        }
        job.lastUsed = System.nanoTime();
        try {
          return FrameCodec.encode(shard.forward(job.session, in));
        } catch (RuntimeException e) {
          // A step that failed half-way leaves the caches and the commitment unusable.
          drop(id);
          throw e;
        }
      }
      case FINISH -> {
        if (job == null) {
          throw new IllegalArgumentException("no open job " + id);
        }
        jobs.remove(id);
        job.session.close();
        CommittedShard c = job.work.finish();
        finished.put(id, new Finished(from, c));
        return StageWire.encodeCommitment(c);
      }
      case ATTEST -> {
        return attest(from, id, StageWire.decodeAttest(request.body()));
      }
      default -> {
        drop(id);
        return new byte[0];
      }
    }
  }

  /**
   * The provider's signed events for a job it finished for {@code from}: tokens only from the last
   * stage, and never more than the positions it computed.
   */
  private byte[] attest(PeerId from, String id, StageWire.Attest a) {
    Finished f = finished.get(id);
    if (f == null || !f.driver().equals(from)) {
      throw new IllegalArgumentException("no job " + id + " finished here for this driver");
    }
    if (!shard.isLast() && a.tokens().length > 0) {
      throw new IllegalArgumentException("only the last stage streams tokens");
    }
    if (a.tokens().length > f.commitment().positions()) {
      throw new IllegalArgumentException(
          a.tokens().length + " tokens but " + f.commitment().positions() + " positions computed");
    }
    Bytes32 job = Bytes32.fromHex(id);
    return StageWire.encodeEnvelopes(
        provider.attest(job, a.stage(), f.commitment(), a.nextSeq(), a.tokens()).stream()
            .map(SignedEvent::toWire)
            .toList());
  }

  private Job open(PeerId driver, String id, HiddenStateFrame first) {
    if (first.startPosition() != 0) {
      throw new IllegalArgumentException(
          "job " + id + " is not open here and its frame starts at " + first.startPosition());
    }
    if (finished.containsKey(id)) {
      throw new IllegalArgumentException("job " + id + " already finished here");
    }
    if (jobs.size() >= limits.maxOpenJobs()) {
      throw new IllegalStateException("already " + jobs.size() + " jobs open");
    }
    ProviderNode.Work work = provider.begin(id);
    Job job = new Job(driver, work, shard.newSession(id, work.hook()), System.nanoTime());
    jobs.put(id, job);
    return job;
  }

  private void drop(String id) {
    Job job = jobs.remove(id);
    if (job != null) {
      job.session.close();
    }
  }

  private void dropIdle() {
    long cutoff = System.nanoTime() - limits.idleTimeout().toNanos();
    jobs.entrySet()
        .removeIf(
            e -> {
              if (e.getValue().lastUsed - cutoff < 0) {
                log.info("{}: job {} idle, dropped", provider.name(), e.getKey());
                e.getValue().session.close();
                return true;
              }
              return false;
            });
  }

  @Override
  public void close() {
    thread.close(
        () -> {
          jobs.values().forEach(j -> j.session.close());
          jobs.clear();
        });
  }
}
