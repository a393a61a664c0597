package io.layerproof.node.stage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.layerproof.inference.model.LlamaModel;
import io.layerproof.inference.sampling.SamplingParams;
import io.layerproof.inference.sampling.TokenListener;
import io.layerproof.node.jobs.JobPipeline;
import io.layerproof.node.jobs.LocalJobPipeline;
import io.layerproof.p2p.host.Host;
import io.layerproof.p2p.multiaddr.Multiaddr;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * What moving hidden states over libp2p costs a job: the devnet's two shards run the same jobs as a
 * local pipeline and as remote stages on loopback (Noise + yamux, the driver relaying), jobs
 * alternating, printed side by side. Opt-in: {@code -Dlayerproof.bench=true}.
 */
@EnabledIfSystemProperty(named = "layerproof.bench", matches = "true")
class StageBench {

  static final int NEW_TOKENS = 32;
  static final int WARM_UP = 3;
  static final int MEASURED = 9;
  static final int ECHO_WARM_UP = 500;
  static final int ECHOES = 1000;

  @TempDir Path dir;

  @Test
  void localAgainstRemote() throws Exception {
    try (StageFixture fixture = new StageFixture(dir)) {
      LlamaModel model = StageFixture.model();
      LocalJobPipeline local = fixture.local();
      Host driver = fixture.host();
      StageFixture.Remote remote =
          fixture.remote(Set.of(driver.self()), StageServer.Limits.DEFAULT);
      RemotePipeline pipeline =
          new RemotePipeline(driver, remote.stages(), model.config(), Duration.ofSeconds(60));
      int[] prompt =
          model
              .tokenizer()
              .encode(
                  "a provider serves layers of a model and is paid for the work it can prove",
                  true);
      SamplingParams params = SamplingParams.greedy(NEW_TOKENS).withStopAtEos(false);
      List<Double> localMs = new ArrayList<>();
      List<Double> remoteMs = new ArrayList<>();
      long bytesBefore = 0;
      for (int i = 0; i < WARM_UP + MEASURED; i++) {
        String job = String.format("0x%064x", i + 1);
        long t0 = System.nanoTime();
        JobPipeline.Run l = local.run(job, prompt, params, model.tokenizer(), TokenListener.NONE);
        long t1 = System.nanoTime();
        bytesBefore = pipeline.frameBytes();
        JobPipeline.Run r =
            pipeline.run(job, prompt, params, model.tokenizer(), TokenListener.NONE);
        long t2 = System.nanoTime();
        assertArrayEquals(l.generation().tokens(), r.generation().tokens());
        if (i >= WARM_UP) {
          localMs.add((t1 - t0) / 1e6);
          remoteMs.add((t2 - t1) / 1e6);
        }
      }
      long bytesPerJob = pipeline.frameBytes() - bytesBefore;
      double l = median(localMs);
      double r = median(remoteMs);
      int steps = (prompt.length + PREFILL - 1) / PREFILL + NEW_TOKENS - 1;
      System.out.println();
      System.out.printf(
          "stage bench: %d prompt tokens + %d new, %d steps per job, medians of %d jobs%n",
          prompt.length, NEW_TOKENS, steps, MEASURED);
      System.out.printf(
          "  local pipeline  %8.1f ms/job  %7.1f tokens/s%n", l, NEW_TOKENS / (l / 1000));
      System.out.printf(
          "  remote stages   %8.1f ms/job  %7.1f tokens/s   ratio %.2f   %.2f ms per step added, %d frame bytes per job%n",
          r, NEW_TOKENS / (r / 1000), l / r, (r - l) / steps, bytesPerJob);
      System.out.println("  per-job ms  local " + localMs + "  remote " + remoteMs);
      // What one exchange costs alone: a plain echo between two more hosts, same sizes as a
      // decode step's frame (2 KiB) and this prompt's prefill frame (about 80 KB).
      Host a = fixture.host();
      Host b = fixture.host();
      b.onRequest("/bench/echo/1.0.0", (from, req) -> CompletableFuture.completedFuture(req));
      a.connect(b.listen(Multiaddr.fromString("/ip4/127.0.0.1/tcp/0"))).get(10, TimeUnit.SECONDS);
      for (int size : new int[] {2048, 80_000}) {
        byte[] payload = new byte[size];
        for (int i = 0; i < ECHO_WARM_UP; i++) {
          a.request(b.self(), "/bench/echo/1.0.0", payload).get(10, TimeUnit.SECONDS);
        }
        List<Double> ms = new ArrayList<>();
        for (int i = 0; i < ECHOES; i++) {
          long t0 = System.nanoTime();
          a.request(b.self(), "/bench/echo/1.0.0", payload).get(10, TimeUnit.SECONDS);
          ms.add((System.nanoTime() - t0) / 1e6);
        }
        System.out.printf(
            "  plain request/response of %d bytes: median %.3f ms (%d after %d warm-up)%n",
            size, median(ms), ECHOES, ECHO_WARM_UP);
      }
      assertTrue(l > 0 && r > 0);
    }
  }

  private static final int PREFILL = io.layerproof.inference.sampling.Generator.PREFILL_CHUNK;

  private static double median(List<Double> xs) {
    List<Double> s = new ArrayList<>(xs);
    s.sort(Double::compare);
    return s.get(s.size() / 2);
  }
}
