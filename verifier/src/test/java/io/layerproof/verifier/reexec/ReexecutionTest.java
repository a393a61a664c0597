package io.layerproof.verifier.reexec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.layerproof.inference.hook.Activation;
import io.layerproof.inference.hook.ElementType;
import io.layerproof.inference.hook.LayerHook;
import io.layerproof.inference.shard.ShardOptions;
import io.layerproof.verifier.JobFixture;
import io.layerproof.verifier.commit.ActivationStore;
import io.layerproof.verifier.commit.FrameReveal;
import io.layerproof.verifier.commit.Reveal;
import io.layerproof.verifier.reexec.Verdict.Status;
import io.layerproof.verifier.reveal.RevealLimits;
import io.layerproof.verifier.reveal.RevealRequest;
import io.layerproof.verifier.reveal.RevealResponse;
import io.layerproof.verifier.reveal.SampleReveal;
import io.layerproof.verifier.sampling.Sample;
import io.layerproof.verifier.tolerance.Tolerance;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Re-execution of revealed layers against the commitments of real jobs on the devnet model: honest
 * reveals pass at every kind of layer (the first layer, taking token ids; a stage's first layer,
 * taking the previous stage's frames; a middle layer; a stage's last layer, whose outgoing frame is
 * checked too; the model's last layer), and every way a reveal can fail to prove itself gets the
 * right verdict.
 */
class ReexecutionTest {

  @TempDir static Path tmp;

  private static ActivationStore store;
  private static LayerReplayer replayer;
  private static ReexecutionVerifier verifier;
  private static JobFixture.Job job;

  @BeforeAll
  static void runJob() {
    store = ActivationStore.open(tmp.resolve("store"), Duration.ofHours(1), Clock.systemUTC());
    replayer = new LayerReplayer(JobFixture.model());
    verifier = new ReexecutionVerifier(replayer, Tolerance.DEFAULT, RevealLimits.DEFAULT);
    // Three stages, FP16 frames between them: layers 0-2, 3-5, 6-7.
    job =
        JobFixture.run(
            store,
            "job-reexec",
            "Verify me, layer by layer.",
            8,
            new int[] {0, 3, 6, 8},
            new ShardOptions(ElementType.FP16, ElementType.FP32),
            JobFixture.honest(3));
  }

  @AfterAll
  static void close() {
    replayer.close();
    store.close();
  }

  private static int last() {
    return job.positions() - 1;
  }

  @Test
  void honestRevealsPassAtEveryKindOfLayer() {
    int[] positions = {0, 1, job.positions() / 2, last()};
    int checked = 0;
    for (int stage = 0; stage < 3; stage++) {
      CommittedShard s = job.stage(stage).shard();
      List<Sample> samples = new ArrayList<>();
      for (int layer = s.startLayer(); layer < s.endLayer(); layer++) {
        for (int p : positions) {
          samples.add(new Sample(p, layer));
        }
      }
      ShardVerification v = JobFixture.challenge(verifier, job, stage, samples);
      assertEquals(samples.size(), v.verdicts().size());
      assertTrue(v.passed(), v.failures().toString());
      for (Verdict verdict : v.verdicts()) {
        assertNotNull(verdict.error());
        assertTrue(verdict.error().relative() < 1e-5, verdict.toString());
      }
      checked += samples.size();
    }
    assertEquals(8 * positions.length, checked);
  }

  @Test
  void theRevealCarriesWhatEachKindOfLayerNeeds() {
    // First layer of the first stage: token frames; of a later stage: hidden-state frames.
    SampleReveal first = reveal(0, new Sample(last(), 0));
    assertTrue(first.inputs().isEmpty());
    assertEquals(ElementType.INT32, first.inputFrames().get(0).frame().dtype());
    SampleReveal boundary = reveal(1, new Sample(last(), 3));
    assertEquals(ElementType.FP16, boundary.inputFrames().get(0).frame().dtype());
    // A middle layer: the previous layer's outputs at 0..t.
    SampleReveal middle = reveal(1, new Sample(5, 4));
    assertEquals(6, middle.inputs().size());
    assertNull(middle.outputFrame());
    // A stage's last layer carries the frame it sent; the model's last layer has none (logits).
    assertNotNull(reveal(1, new Sample(5, 5)).outputFrame());
    assertNull(reveal(2, new Sample(5, 7)).outputFrame());
  }

  @Test
  void alteredRevealsAreBadProofs() {
    Sample middle = new Sample(6, 4);
    SampleReveal r = reveal(1, middle);

    // One bit of the output.
    assertStatus(Status.BAD_PROOF, 1, with(r, flip(r.output()), r.inputs(), r.inputFrames()));
    // One bit of one input row.
    List<Reveal> inputs = new ArrayList<>(r.inputs());
    inputs.set(3, flip(inputs.get(3)));
    assertStatus(Status.BAD_PROOF, 1, with(r, r.output(), inputs, r.inputFrames()));
    // An input row moved to another position (its own proof, the wrong place).
    inputs = new ArrayList<>(r.inputs());
    inputs.set(3, r.inputs().get(2));
    assertStatus(Status.BAD_PROOF, 1, with(r, r.output(), inputs, r.inputFrames()));
    // A row missing.
    assertStatus(
        Status.BAD_PROOF, 1, with(r, r.output(), r.inputs().subList(0, 6), r.inputFrames()));
    // The output of another layer offered as this one.
    Reveal other = reveal(1, new Sample(6, 5)).output();
    assertStatus(Status.BAD_PROOF, 1, with(r, other, r.inputs(), r.inputFrames()));
    // A proof cut short.
    Reveal cut =
        new Reveal(
            r.output().jobId(),
            r.output().startLayer(),
            r.output().position(),
            r.output().layer(),
            r.output().activation(),
            r.output().leaf(),
            r.output().proof().subList(1, r.output().proof().size()));
    assertStatus(Status.BAD_PROOF, 1, with(r, cut, r.inputs(), r.inputFrames()));

    // A stage's first layer: one bit of a received frame, or a frame left out.
    SampleReveal b = reveal(1, new Sample(last(), 3));
    List<FrameReveal> frames = new ArrayList<>(b.inputFrames());
    FrameReveal f = frames.get(0);
    byte[] data = f.frame().data().clone();
    data[1] ^= 0x01;
    frames.set(
        0,
        new FrameReveal(
            f.jobId(),
            f.startLayer(),
            f.side(),
            f.index(),
            f.startPosition(),
            new Activation(f.frame().dtype(), f.frame().shape(), data),
            f.leaf(),
            f.proof()));
    assertStatus(Status.BAD_PROOF, 1, with(b, b.output(), b.inputs(), frames));
    frames = new ArrayList<>(b.inputFrames());
    frames.remove(1);
    assertStatus(Status.BAD_PROOF, 1, with(b, b.output(), b.inputs(), frames));
    // The honest reveals themselves pass (the alterations above are what failed).
    assertStatus(Status.PASS, 1, r);
    assertStatus(Status.PASS, 1, b);
  }

  @Test
  void aBrokenBoundaryChainIsPinnedOnTheStagesFirstLayerOnly() {
    CommittedShard s = job.stage(1).shard();
    List<Sample> samples = List.of(new Sample(4, 3), new Sample(4, 4));
    RevealRequest request = verifier.request(s, samples);
    Optional<RevealResponse> response = job.stage(1).server().answer(request);
    byte[] wrongPrevious = job.stage(0).shard().inputBoundary();
    ShardVerification v = verifier.verify(s, wrongPrevious, request, response);
    assertEquals(Status.BOUNDARY_MISMATCH, v.verdicts().get(0).status());
    assertEquals(Status.PASS, v.verdicts().get(1).status());
    assertTrue(verifier.verify(s, job.previousOutputBoundary(1), request, response).passed());
  }

  @Test
  void noAnswerOrAMissingSampleIsAMissingReveal() {
    CommittedShard s = job.stage(2).shard();
    RevealRequest request = verifier.request(s, List.of(new Sample(1, 6), new Sample(2, 7)));
    ShardVerification none =
        verifier.verify(s, job.previousOutputBoundary(2), request, Optional.empty());
    assertEquals(List.of(Status.MISSING_REVEAL, Status.MISSING_REVEAL), statuses(none));
    RevealResponse full = job.stage(2).server().answer(request).orElseThrow();
    RevealResponse partial =
        new RevealResponse(full.jobId(), full.startLayer(), full.reveals().subList(0, 1));
    ShardVerification v =
        verifier.verify(s, job.previousOutputBoundary(2), request, Optional.of(partial));
    assertEquals(List.of(Status.PASS, Status.MISSING_REVEAL), statuses(v));
  }

  @Test
  void sizeLimitsAreCheckedOnBothSides() {
    CommittedShard s = job.stage(1).shard();
    // Requests: too many samples, a duplicate, a cell outside the shard, an empty one.
    List<Sample> many = new ArrayList<>();
    for (int i = 0; i < 65; i++) {
      many.add(new Sample(i % job.positions(), 3 + i / job.positions()));
    }
    assertThrows(IllegalArgumentException.class, () -> verifier.request(s, many));
    assertThrows(
        IllegalArgumentException.class,
        () -> verifier.request(s, List.of(new Sample(1, 3), new Sample(1, 3))));
    assertThrows(
        IllegalArgumentException.class, () -> verifier.request(s, List.of(new Sample(1, 6))));
    assertThrows(
        IllegalArgumentException.class,
        () -> verifier.request(s, List.of(new Sample(job.positions(), 3))));
    assertThrows(IllegalArgumentException.class, () -> new RevealRequest("job", 3, List.of()));
    // The provider refuses what breaks its limits before reading anything.
    RevealRequest big = new RevealRequest(s.jobId(), 3, many);
    assertThrows(IllegalArgumentException.class, () -> job.stage(1).server().answer(big));

    // A response over the verifier's byte limit is refused whole.
    RevealRequest request = verifier.request(s, List.of(new Sample(last(), 4)));
    Optional<RevealResponse> response = job.stage(1).server().answer(request);
    long size = response.orElseThrow().byteSize();
    ReexecutionVerifier strict =
        new ReexecutionVerifier(
            replayer, Tolerance.DEFAULT, new RevealLimits(64, 16_384, 40, size - 1));
    ShardVerification v = strict.verify(s, job.previousOutputBoundary(1), request, response);
    assertEquals(Status.BAD_PROOF, v.verdicts().get(0).status());
    assertTrue(v.verdicts().get(0).reason().contains("over the limit"), v.toString());
    // ... and proofs deeper than allowed are refused before hashing.
    ReexecutionVerifier shallow =
        new ReexecutionVerifier(replayer, Tolerance.DEFAULT, new RevealLimits(64, 16_384, 2, size));
    assertEquals(
        Status.BAD_PROOF,
        shallow
            .verify(s, job.previousOutputBoundary(1), request, response)
            .verdicts()
            .get(0)
            .status());
    assertTrue(verifier.verify(s, job.previousOutputBoundary(1), request, response).passed());
  }

  @Test
  void aStageThatSendsSomethingElseThanItCommittedIsCaught() throws Exception {
    // Stage 0 commits its layers honestly but sends (and commits as sent) a frame with one value
    // changed: its last layer's check compares the outgoing frame with the committed output.
    UnaryOperator<LayerHook> tamperFirstStageOutput =
        hook ->
            new LayerHook() {
              @Override
              public void onLayerOutput(String jobId, int position, int layer, Activation a) {
                hook.onLayerOutput(jobId, position, layer, a);
              }

              @Override
              public void onShardInput(String jobId, int start, Activation frame) {
                hook.onShardInput(jobId, start, frame);
              }

              @Override
              public void onShardOutput(String jobId, int start, Activation frame) {
                byte[] data = frame.data().clone();
                int rowBytes = data.length / frame.shape()[0];
                for (int end = rowBytes; end <= data.length; end += rowBytes) {
                  data[end - 2] ^= 0x01; // a high mantissa bit of each row's last value
                }
                hook.onShardOutput(
                    jobId, start, new Activation(frame.dtype(), frame.shape(), data));
              }
            };
    try (ActivationStore own =
        ActivationStore.open(tmp.resolve("tampered"), Duration.ofHours(1), Clock.systemUTC())) {
      JobFixture.Job t =
          JobFixture.run(
              own,
              "job-sent",
              "Verify me, layer by layer.",
              4,
              new int[] {0, 3, 8},
              ShardOptions.DEFAULT,
              JobFixture.honest(2),
              (stage, hook) -> stage == 0 ? tamperFirstStageOutput.apply(hook) : hook);
      ShardVerification v =
          JobFixture.challenge(verifier, t, 0, List.of(new Sample(2, 1), new Sample(2, 2)));
      assertEquals(Status.PASS, v.verdicts().get(0).status());
      Verdict sent = v.verdicts().get(1);
      assertEquals(Status.MISMATCH, sent.status());
      assertTrue(sent.reason().contains("sent downstream"), sent.toString());
    }
  }

  private static SampleReveal reveal(int stage, Sample s) {
    RevealRequest request = verifier.request(job.stage(stage).shard(), List.of(s));
    return job.stage(stage).server().answer(request).orElseThrow().reveals().get(0);
  }

  private static SampleReveal with(
      SampleReveal r, Reveal output, List<Reveal> inputs, List<FrameReveal> frames) {
    return new SampleReveal(r.sample(), output, inputs, frames, r.outputFrame());
  }

  private static Reveal flip(Reveal r) {
    byte[] data = r.activation().data().clone();
    data[5] ^= 0x01;
    return new Reveal(
        r.jobId(),
        r.startLayer(),
        r.position(),
        r.layer(),
        new Activation(r.activation().dtype(), r.activation().shape(), data),
        r.leaf(),
        r.proof());
  }

  private static void assertStatus(Status want, int stage, SampleReveal r) {
    Verdict v = verifier.check(job.stage(stage).shard(), job.previousOutputBoundary(stage), r);
    assertEquals(want, v.status(), v.toString());
  }

  private static List<Status> statuses(ShardVerification v) {
    return v.verdicts().stream().map(Verdict::status).toList();
  }
}
