package io.layerproof.node.stage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.layerproof.chain.event.Bytes32;
import io.layerproof.chain.event.EnvelopeVerifier;
import io.layerproof.chain.event.LedgerDomain;
import io.layerproof.chain.event.LedgerEvent;
import io.layerproof.chain.event.VerifiedEvent;
import io.layerproof.inference.model.LlamaModel;
import io.layerproof.inference.sampling.SamplingParams;
import io.layerproof.inference.sampling.TokenListener;
import io.layerproof.inference.shard.FrameCodec;
import io.layerproof.inference.shard.HiddenStateFrame;
import io.layerproof.node.jobs.JobPipeline;
import io.layerproof.node.jobs.ProviderNode;
import io.layerproof.p2p.host.Host;
import io.layerproof.p2p.identity.PeerId;
import io.layerproof.verifier.reexec.CommittedShard;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hidden states over libp2p: two providers' shards on their own hosts, driven by a third host, give
 * the same tokens and the same commitments as the same shards run as a local pipeline; and the
 * stage server's refusals.
 */
@Timeout(180)
class RemotePipelineTest {

  @TempDir Path dir;
  private StageFixture fixture;
  private LlamaModel model;

  @BeforeEach
  void start() {
    fixture = new StageFixture(dir);
    model = StageFixture.model();
  }

  @AfterEach
  void closeAll() throws Exception {
    fixture.close();
  }

  private Host host() {
    return fixture.host();
  }

  private StageFixture.Remote remote(Set<PeerId> drivers, StageServer.Limits limits) {
    return fixture.remote(drivers, limits);
  }

  private static final SamplingParams PARAMS = SamplingParams.greedy(12).withStopAtEos(false);

  private JobPipeline.Run runLocal(String jobId, int[] prompt) {
    return fixture.local().run(jobId, prompt, PARAMS, model.tokenizer(), TokenListener.NONE);
  }

  private int[] prompt() {
    return model.tokenizer().encode("the verifier samples a layer", true);
  }

  @Test
  void remoteStagesGiveTheLocalPipelinesTokensAndCommitments() {
    String jobId = "0x" + "ab".repeat(32);
    JobPipeline.Run local = runLocal(jobId, prompt());

    Host driver = host();
    StageFixture.Remote remote = remote(Set.of(driver.self()), StageServer.Limits.DEFAULT);
    RemotePipeline pipeline =
        new RemotePipeline(driver, remote.stages(), model.config(), Duration.ofSeconds(30));
    List<String> streamed = new ArrayList<>();
    JobPipeline.Run run =
        pipeline.run(
            jobId, prompt(), PARAMS, model.tokenizer(), (index, id, text) -> streamed.add(text));

    assertArrayEquals(local.generation().tokens(), run.generation().tokens());
    assertEquals(local.generation().text(), run.generation().text());
    assertEquals(12, run.generation().tokens().length);
    assertEquals(String.join("", streamed), run.generation().text());
    assertEquals(2, run.committed().size());
    for (int i = 0; i < 2; i++) {
      CommittedShard l = local.committed().get(i);
      CommittedShard r = run.committed().get(i);
      assertEquals(l.startLayer(), r.startLayer());
      assertEquals(l.endLayer(), r.endLayer());
      assertEquals(l.positions(), r.positions());
      assertArrayEquals(l.root(), r.root(), "stage " + i + " root");
      assertArrayEquals(l.inputBoundary(), r.inputBoundary(), "stage " + i + " input boundary");
      assertArrayEquals(l.outputBoundary(), r.outputBoundary(), "stage " + i + " output boundary");
    }
    // Hidden states [rows, hidden] in FP32 crossed the network for every step.
    assertTrue(
        pipeline.frameBytes() > (long) prompt().length * model.config().hiddenSize() * 4,
        "frame bytes " + pipeline.frameBytes());
    for (StageServer s : remote.servers()) {
      assertEquals(0, s.openJobs(), "finished jobs hold no session");
    }
    // Each provider signs its own ledger events for the job, from the sequence number asked.
    LedgerDomain domain = LedgerDomain.of(1, StageFixture.DOMAIN_MARKET);
    EnvelopeVerifier envelopes = new EnvelopeVerifier(domain);
    int[] tokens = run.generation().tokens();
    for (int i = 0; i < 2; i++) {
      int[] stageTokens = i == 1 ? tokens : new int[0];
      List<byte[]> wires = pipeline.attest(jobId, i, run.committed().get(i), 7, stageTokens);
      List<LedgerEvent> expected =
          ProviderNode.events(Bytes32.fromHex(jobId), i, run.committed().get(i), stageTokens);
      assertEquals(expected.size(), wires.size());
      for (int k = 0; k < wires.size(); k++) {
        VerifiedEvent v = envelopes.verify(wires.get(k));
        assertEquals(remote.providers().get(i).key().id(), v.author());
        assertEquals(expected.get(k), v.envelope().event());
        assertEquals(7 + k, v.envelope().seq());
      }
    }
    assertEquals(13, pipeline.attest(jobId, 1, run.committed().get(1), 0, tokens).size());
    // Tokens come only from the last stage, and never more than the positions computed.
    assertThrows(
        RemotePipeline.StageException.class,
        () -> pipeline.attest(jobId, 0, run.committed().get(0), 0, tokens));
    assertThrows(
        RemotePipeline.StageException.class,
        () -> pipeline.attest(jobId, 1, run.committed().get(1), 0, new int[1000]));
    assertThrows(
        RemotePipeline.StageException.class,
        () -> pipeline.attest("0x" + "cd".repeat(32), 1, run.committed().get(1), 0, tokens));
    // Another host, even a driver, gets nothing for this driver's job.
    Host other = host();
    RemotePipeline others =
        new RemotePipeline(other, remote.stages(), model.config(), Duration.ofSeconds(30));
    other.connect(remote.stages().get(1).address()).join();
    assertThrows(
        RemotePipeline.StageException.class,
        () -> others.attest(jobId, 1, run.committed().get(1), 0, tokens));

    // A finished job is never opened again: a second run of the same id is refused.
    assertThrows(
        RemotePipeline.StageException.class,
        () -> pipeline.run(jobId, prompt(), PARAMS, model.tokenizer(), TokenListener.NONE));
  }

  @Test
  void onlyDriversRunJobsAndOnlyTheirOwn() throws Exception {
    Host driver = host();
    Host other = host();
    Host stranger = host();
    StageFixture.Remote remote =
        remote(Set.of(driver.self(), other.self()), StageServer.Limits.DEFAULT);

    RemotePipeline strangers =
        new RemotePipeline(stranger, remote.stages(), model.config(), Duration.ofSeconds(30));
    RemotePipeline.StageException refused =
        assertThrows(
            RemotePipeline.StageException.class,
            () ->
                strangers.run(
                    "0x" + "01".repeat(32),
                    prompt(),
                    PARAMS,
                    model.tokenizer(),
                    TokenListener.NONE));
    assertTrue(refused.getMessage().contains("failed"), refused.getMessage());
    assertEquals(0, remote.servers().get(0).openJobs());

    PeerId first = remote.stages().get(0).address().peerId().orElseThrow();
    driver.connect(remote.stages().get(0).address()).get(10, TimeUnit.SECONDS);
    other.connect(remote.stages().get(0).address()).get(10, TimeUnit.SECONDS);
    String job = "0x" + "02".repeat(32);
    byte[] step0 = FrameCodec.encode(HiddenStateFrame.tokens(0, prompt()));
    byte[] out = request(driver, first, StageWire.forward(job, step0));
    assertEquals(prompt().length, FrameCodec.decode(out).rows());
    assertEquals(1, remote.servers().get(0).openJobs());
    // Another driver may not step, finish or abort this job.
    byte[] step1 = FrameCodec.encode(HiddenStateFrame.tokens(prompt().length, new int[] {5}));
    assertRefused(other, first, StageWire.forward(job, step1));
    assertRefused(other, first, StageWire.finish(job));
    assertRefused(other, first, StageWire.abort(job));
    assertEquals(1, remote.servers().get(0).openJobs());
    // A frame at the wrong position fails the step and drops the job.
    assertRefused(driver, first, StageWire.forward(job, step0));
    assertEquals(0, remote.servers().get(0).openJobs());
    // A job cannot start in the middle, an unknown job cannot finish, garbage is refused.
    assertRefused(driver, first, StageWire.forward("0x" + "03".repeat(32), step1));
    assertRefused(driver, first, StageWire.finish("0x" + "04".repeat(32)));
    assertRefused(driver, first, new byte[] {9, 1, 'x'});
    assertRefused(driver, first, new byte[] {1, 3, 'a', 'b', 'c', 1, 2, 3});
    assertEquals(0, remote.servers().get(0).openJobs());
  }

  @Test
  void aLastStageThatSendsNoLogitsFailsTheJobAndItIsAborted() throws Exception {
    Host driver = host();
    StageFixture.Remote remote = remote(Set.of(driver.self()), StageServer.Limits.DEFAULT);
    // The first provider alone, taken for the whole model: it answers hidden states.
    RemotePipeline.Stage whole =
        new RemotePipeline.Stage(remote.stages().get(0).address(), 0, model.config().numLayers());
    RemotePipeline lying =
        new RemotePipeline(driver, List.of(whole), model.config(), Duration.ofSeconds(30));
    RemotePipeline.StageException e =
        assertThrows(
            RemotePipeline.StageException.class,
            () ->
                lying.run(
                    "0x" + "0a".repeat(32),
                    prompt(),
                    PARAMS,
                    model.tokenizer(),
                    TokenListener.NONE));
    assertTrue(e.getMessage().contains("not logits"), e.getMessage());
    assertEquals(0, remote.servers().get(0).openJobs(), "the driver aborted the job");
  }

  @Test
  void jobsAreBoundedAndIdleOnesDropped() throws Exception {
    Host driver = host();
    StageFixture.Remote remote =
        remote(Set.of(driver.self()), new StageServer.Limits(1, Duration.ofSeconds(2)));
    PeerId first = remote.stages().get(0).address().peerId().orElseThrow();
    driver.connect(remote.stages().get(0).address()).get(10, TimeUnit.SECONDS);
    byte[] step0 = FrameCodec.encode(HiddenStateFrame.tokens(0, new int[] {1, 2, 3}));
    request(driver, first, StageWire.forward("0x" + "05".repeat(32), step0));
    assertRefused(driver, first, StageWire.forward("0x" + "06".repeat(32), step0));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (remote.servers().get(0).openJobs() > 0 && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    assertEquals(0, remote.servers().get(0).openJobs(), "the idle job was dropped");
    request(driver, first, StageWire.forward("0x" + "06".repeat(32), step0));
    assertEquals(1, remote.servers().get(0).openJobs());
    request(driver, first, StageWire.abort("0x" + "06".repeat(32)));
    assertEquals(0, remote.servers().get(0).openJobs());
  }

  @Test
  void wireRoundTripsAndRefusesMalformedRequests() {
    StageWire.Request r = StageWire.decode(StageWire.forward("job-1", new byte[] {1, 2}));
    assertEquals(StageWire.Kind.FORWARD, r.kind());
    assertEquals("job-1", r.jobId());
    assertArrayEquals(new byte[] {1, 2}, r.body());
    assertEquals(StageWire.Kind.FINISH, StageWire.decode(StageWire.finish("j")).kind());
    assertEquals(StageWire.Kind.ABORT, StageWire.decode(StageWire.abort("j")).kind());
    for (byte[] bad :
        new byte[][] {
          {}, {1}, {0, 1, 'j'}, {5, 1, 'j'}, {1, 5, 'j'}, {1, 0}, {2, 1, 'j', 0}, {1, 1, ' '}
        }) {
      assertThrows(IllegalArgumentException.class, () -> StageWire.decode(bad));
    }
    assertThrows(IllegalArgumentException.class, () -> StageWire.finish("x".repeat(129)));
    CommittedShard c = new CommittedShard("j", 0, 4, 9, new byte[32], filled(32, 1), filled(32, 2));
    CommittedShard back = StageWire.decodeCommitment("j", StageWire.encodeCommitment(c));
    assertEquals(c.positions(), back.positions());
    assertArrayEquals(c.outputBoundary(), back.outputBoundary());
    assertThrows(
        IllegalArgumentException.class, () -> StageWire.decodeCommitment("j", new byte[3]));
  }

  private static byte[] filled(int n, int v) {
    byte[] b = new byte[n];
    java.util.Arrays.fill(b, (byte) v);
    return b;
  }

  private static byte[] request(Host from, PeerId to, byte[] req) throws Exception {
    return from.request(to, StageServer.PROTOCOL, req).get(30, TimeUnit.SECONDS);
  }

  private static void assertRefused(Host from, PeerId to, byte[] req) {
    assertThrows(
        ExecutionException.class,
        () -> from.request(to, StageServer.PROTOCOL, req).get(30, TimeUnit.SECONDS));
  }
}
