package io.layerproof.verifier.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.layerproof.inference.hook.Activation;
import io.layerproof.inference.hook.ElementType;
import io.layerproof.inference.shard.ShardOptions;
import io.layerproof.verifier.JobFixture;
import io.layerproof.verifier.commit.ActivationStore;
import io.layerproof.verifier.commit.FrameReveal;
import io.layerproof.verifier.commit.Reveal;
import io.layerproof.verifier.reexec.LayerReplayer;
import io.layerproof.verifier.reexec.ReexecutionVerifier;
import io.layerproof.verifier.reexec.ShardVerification;
import io.layerproof.verifier.reveal.RevealLimits;
import io.layerproof.verifier.reveal.RevealRequest;
import io.layerproof.verifier.reveal.RevealResponse;
import io.layerproof.verifier.reveal.SampleReveal;
import io.layerproof.verifier.sampling.Sample;
import io.layerproof.verifier.tolerance.Tolerance;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The reveal wire format: real reveals survive a round trip and still prove themselves; every
 * malformed input (truncated, trailing, wrong tags, lying lengths, limits broken) is refused with a
 * {@link MalformedRevealException} that says what is wrong.
 */
class RevealCodecTest {

  static final RevealLimits LIMITS = RevealLimits.DEFAULT;

  @TempDir Path tmp;

  static byte[] h(int seed) {
    byte[] b = new byte[32];
    Arrays.fill(b, (byte) seed);
    return b;
  }

  static Activation fp16(int... shape) {
    int n = 1;
    for (int d : shape) {
      n *= d;
    }
    byte[] data = new byte[2 * n];
    for (int i = 0; i < data.length; i++) {
      data[i] = (byte) (i * 31 + 7);
    }
    return new Activation(ElementType.FP16, shape, data);
  }

  /** A small response with every part present: output, input rows, frames, output frame. */
  static RevealResponse smallResponse() {
    Reveal out = new Reveal("job-w", 4, 1, 5, fp16(3), h(1), List.of(h(2), h(3)));
    Reveal in0 = new Reveal("job-w", 4, 0, 4, fp16(3), h(4), List.of(h(5)));
    Reveal in1 = new Reveal("job-w", 4, 1, 4, fp16(3), h(6), List.of());
    FrameReveal frame =
        new FrameReveal(
            "job-w",
            4,
            FrameReveal.Side.INPUT,
            0,
            0,
            new Activation(ElementType.INT32, new int[] {2}, new byte[8]),
            h(7),
            List.of(h(8)));
    FrameReveal sent =
        new FrameReveal("job-w", 4, FrameReveal.Side.OUTPUT, 1, 1, fp16(1, 3), h(9), List.of());
    SampleReveal full =
        new SampleReveal(new Sample(1, 5), out, List.of(in0, in1), List.of(frame), sent);
    SampleReveal bare = new SampleReveal(new Sample(0, 6), null, List.of(), List.of(), null);
    return new RevealResponse("job-w", 4, List.of(full, bare));
  }

  static RevealRequest request() {
    return new RevealRequest(
        "job-w", 4, List.of(new Sample(3, 5), new Sample(0, 4), new Sample(9, 7)));
  }

  static MalformedRevealException refusedResponse(byte[] wire, RevealLimits limits) {
    return assertThrows(
        MalformedRevealException.class, () -> RevealCodec.decodeResponse(wire, limits));
  }

  static MalformedRevealException refusedRequest(byte[] wire, RevealLimits limits) {
    return assertThrows(
        MalformedRevealException.class, () -> RevealCodec.decodeRequest(wire, limits));
  }

  static void assertMentions(Exception e, String... words) {
    for (String w : words) {
      assertTrue(e.getMessage().contains(w), "'" + e.getMessage() + "' should mention '" + w + "'");
    }
  }

  @Test
  void requestsRoundTrip() {
    RevealRequest r = request();
    byte[] wire = RevealCodec.encode(r);
    assertEquals(r, RevealCodec.decodeRequest(wire, LIMITS));
    // Header, job id (2 + 5), start layer, count, 3 samples.
    assertEquals(6 + 7 + 4 + 4 + 3 * 8, wire.length);
  }

  @Test
  void responsesRoundTripWithEveryPartPresentOrAbsent() {
    RevealResponse r = smallResponse();
    byte[] wire = RevealCodec.encode(r);
    RevealResponse back = RevealCodec.decodeResponse(wire, LIMITS);
    assertArrayEquals(wire, RevealCodec.encode(back));
    assertEquals(r.byteSize(), back.byteSize());
    SampleReveal full = back.reveals().get(0);
    assertEquals(new Sample(1, 5), full.sample());
    assertEquals(r.reveals().get(0).output().activation(), full.output().activation());
    assertArrayEquals(h(3), full.output().proof().get(1));
    assertEquals(FrameReveal.Side.OUTPUT, full.outputFrame().side());
    assertEquals(ElementType.INT32, full.inputFrames().get(0).frame().dtype());
    assertEquals(null, back.reveals().get(1).output());
    assertEquals(null, back.reveals().get(1).outputFrame());
  }

  /** Real reveals of a real job, through the codec both ways, still verify against the roots. */
  @Test
  void realRevealsSurviveTheWireAndStillVerify() {
    try (ActivationStore store =
            ActivationStore.open(tmp.resolve("store"), Duration.ofHours(1), Clock.systemUTC());
        LayerReplayer replayer = new LayerReplayer(JobFixture.model())) {
      ReexecutionVerifier verifier = new ReexecutionVerifier(replayer, Tolerance.DEFAULT, LIMITS);
      JobFixture.Job job =
          JobFixture.run(
              store,
              "job-wire",
              "Bytes on the wire",
              4,
              new int[] {0, 4, 8},
              new ShardOptions(ElementType.FP16, ElementType.FP16),
              JobFixture.honest(2));
      int last = job.positions() - 1;
      // Token frames (layer 0), a stage's outgoing frame (layer 3), incoming frames (layer 4),
      // input rows (layers 2, 6), the model's last layer (7).
      List<List<Sample>> perStage =
          List.of(
              List.of(new Sample(last, 0), new Sample(2, 2), new Sample(last, 3)),
              List.of(new Sample(last, 4), new Sample(1, 6), new Sample(last, 7)));
      for (int i = 0; i < 2; i++) {
        JobFixture.Stage stage = job.stage(i);
        RevealRequest request = verifier.request(stage.shard(), perStage.get(i));
        RevealRequest received = RevealCodec.decodeRequest(RevealCodec.encode(request), LIMITS);
        assertEquals(request, received);
        byte[] wire = RevealCodec.encode(stage.server().answer(received).orElseThrow());
        RevealResponse decoded = RevealCodec.decodeResponse(wire, LIMITS);
        assertArrayEquals(wire, RevealCodec.encode(decoded));
        ShardVerification v =
            verifier.verify(
                stage.shard(), job.previousOutputBoundary(i), request, Optional.of(decoded));
        assertTrue(v.passed(), "stage " + i + ": " + v.failures());
        assertTrue(decoded.reveals().get(0).output().verify(stage.shard().root()));
      }
    }
  }

  @Test
  void everyTruncationIsRefused() {
    byte[] response = RevealCodec.encode(smallResponse());
    for (int n = 0; n < response.length; n++) {
      MalformedRevealException e = refusedResponse(Arrays.copyOf(response, n), LIMITS);
      assertMentions(e, "reveal response", "truncated");
    }
    byte[] request = RevealCodec.encode(request());
    for (int n = 0; n < request.length; n++) {
      assertMentions(refusedRequest(Arrays.copyOf(request, n), LIMITS), "truncated");
    }
    assertMentions(refusedRequest(null, LIMITS), "no bytes");
  }

  @Test
  void trailingBytesAreRefused() {
    byte[] response = RevealCodec.encode(smallResponse());
    assertMentions(
        refusedResponse(Arrays.copyOf(response, response.length + 1), LIMITS), "1 trailing bytes");
    byte[] request = RevealCodec.encode(request());
    assertMentions(
        refusedRequest(Arrays.copyOf(request, request.length + 3), LIMITS), "3 trailing bytes");
  }

  @Test
  void wrongTagsAreRefused() {
    byte[] request = RevealCodec.encode(request());
    byte[] response = RevealCodec.encode(smallResponse());
    assertMentions(refusedResponse(request, LIMITS), "message kind 1 where 2 was expected");
    assertMentions(refusedRequest(response, LIMITS), "message kind 2 where 1 was expected");
    byte[] magic = request.clone();
    magic[0] = 'X';
    assertMentions(refusedRequest(magic, LIMITS), "bad magic");
    byte[] version = request.clone();
    version[4] = 2;
    assertMentions(refusedRequest(version, LIMITS), "version 2 is not supported");

    // Offsets in smallResponse: header 6, job id 7, start layer 4, count 4, sample 8, then the
    // output flag at 29 and the output reveal: job id 7, three i32, then its element type at 49.
    byte[] flag = response.clone();
    assertEquals(1, flag[29]);
    flag[29] = 2;
    assertMentions(refusedResponse(flag, LIMITS), "output flag must be 0 or 1, got 2");
    byte[] dtype = response.clone();
    assertEquals(ElementType.FP16.code(), dtype[49]);
    dtype[49] = 9;
    assertMentions(refusedResponse(dtype, LIMITS), "unknown element type 9");
    byte[] rank = response.clone();
    rank[50] = 5;
    assertMentions(refusedResponse(rank, LIMITS), "rank 5, the limit is 4");
  }

  @Test
  void aFrameSideOtherThanInputOrOutputIsRefused() {
    FrameReveal f =
        new FrameReveal("j", 0, FrameReveal.Side.OUTPUT, 0, 0, fp16(1, 1), h(1), List.of());
    RevealResponse r =
        new RevealResponse(
            "j", 0, List.of(new SampleReveal(new Sample(0, 0), null, List.of(), List.of(), f)));
    byte[] wire = RevealCodec.encode(r);
    // header 6, job id 3, start layer 4, count 4, sample 8, output flag 1, counts 8, frame flag 1,
    // then the frame: job id 3, start layer 4, side.
    int side = 6 + 3 + 4 + 4 + 8 + 1 + 8 + 1 + 3 + 4;
    assertEquals(1, wire[side]);
    wire[side] = 2;
    assertMentions(refusedResponse(wire, LIMITS), "side must be 0 (input) or 1 (output), got 2");
  }

  /** Hand-made messages whose lengths lie; each is refused before anything is allocated. */
  static final class Msg {
    final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    final DataOutputStream out = new DataOutputStream(bytes);

    Msg(int kind) {
      raw(RevealCodec.MAGIC);
      u8(1);
      u8(kind);
    }

    Msg u8(int v) {
      try {
        out.writeByte(v);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return this;
    }

    Msg u16(int v) {
      try {
        out.writeShort(v);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return this;
    }

    Msg i32(int v) {
      try {
        out.writeInt(v);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return this;
    }

    Msg raw(byte[] b) {
      bytes.write(b, 0, b.length);
      return this;
    }

    Msg job(String s) {
      byte[] b = s.getBytes(StandardCharsets.UTF_8);
      return u16(b.length).raw(b);
    }

    /** A response header, then one sample reveal that starts with an output reveal. */
    static Msg withOutputReveal() {
      return new Msg(2).job("j").i32(0).i32(1).i32(0).i32(0).u8(1).job("j").i32(0).i32(0).i32(0);
    }

    byte[] bytes() {
      return bytes.toByteArray();
    }
  }

  @Test
  void hugeLengthsAreRefusedBeforeAllocating() {
    assertMentions(
        refusedRequest(new Msg(1).u16(65535).bytes(), LIMITS),
        "job id of 65535 bytes is outside 1..256");
    assertMentions(
        refusedRequest(new Msg(1).u16(0).bytes(), LIMITS), "job id of 0 bytes is outside 1..256");
    assertMentions(
        refusedRequest(new Msg(1).job("j").i32(0).i32(-1).bytes(), LIMITS),
        "sample count 4294967295 exceeds the limit of 64");
    assertMentions(
        refusedRequest(new Msg(1).job("j").i32(0).i32(60).bytes(), LIMITS),
        "sample count 60 cannot fit");
    assertMentions(
        refusedResponse(new Msg(2).job("j").i32(0).i32(Integer.MAX_VALUE).bytes(), LIMITS),
        "reveal count 2147483647 exceeds the limit of 64");
    assertMentions(
        refusedResponse(
            new Msg(2)
                .job("j")
                .i32(0)
                .i32(1)
                .i32(0)
                .i32(0)
                .u8(0)
                .i32(1 << 30)
                .raw(new byte[20])
                .bytes(),
            LIMITS),
        "input count 1073741824 exceeds the limit of 16384");
    assertMentions(
        refusedResponse(
            new Msg(2)
                .job("j")
                .i32(0)
                .i32(1)
                .i32(0)
                .i32(0)
                .u8(0)
                .i32(0)
                .i32(16384)
                .raw(new byte[20])
                .bytes(),
            LIMITS),
        "frame count 16384 cannot fit");
    // A 65536 x 65536 FP32 activation: 16 GiB, far over the 512 MiB budget.
    assertMentions(
        refusedResponse(Msg.withOutputReveal().u8(2).u8(2).i32(65536).i32(65536).bytes(), LIMITS),
        "exceeds 536870912 bytes");
    assertMentions(
        refusedResponse(Msg.withOutputReveal().u8(2).u8(1).i32(-1).bytes(), LIMITS),
        "dimension 4294967295 is beyond every limit");
    // Within the budget but not in the message: a length that lies about the bytes that follow.
    assertMentions(
        refusedResponse(Msg.withOutputReveal().u8(2).u8(1).i32(1 << 20).bytes(), LIMITS),
        "truncated",
        "data needs 4194304 bytes");
    // A 200-level proof.
    assertMentions(
        refusedResponse(
            Msg.withOutputReveal().u8(3).u8(1).i32(1).raw(new byte[2]).raw(h(1)).u8(200).bytes(),
            LIMITS),
        "proof of 200 levels exceeds 40");
  }

  @Test
  void theResponseBudgetCountsEveryActivationLeafAndProof() {
    RevealResponse r = smallResponse();
    byte[] wire = RevealCodec.encode(r);
    RevealLimits exact = new RevealLimits(64, 16_384, 40, r.byteSize());
    assertEquals(r.byteSize(), RevealCodec.decodeResponse(wire, exact).byteSize());
    RevealLimits tight = new RevealLimits(64, 16_384, 40, r.byteSize() - 1);
    assertMentions(refusedResponse(wire, tight), "brings the response past");
    assertMentions(
        refusedResponse(wire, new RevealLimits(1, 16_384, 40, 1 << 20)),
        "reveal count 2 exceeds the limit of 1");
    assertMentions(
        refusedResponse(wire, new RevealLimits(64, 1, 40, 1 << 20)),
        "input count 2 exceeds the limit of 1");
    assertMentions(
        refusedResponse(wire, new RevealLimits(64, 16_384, 1, 1 << 20)),
        "proof of 2 levels exceeds 1");
  }

  @Test
  void requestsBeyondTheLimitsOrMalformedAreRefused() {
    byte[] dup = new Msg(1).job("j").i32(0).i32(2).i32(1).i32(3).i32(1).i32(3).bytes();
    assertMentions(refusedRequest(dup, LIMITS), "requested twice");
    byte[] far = new Msg(1).job("j").i32(0).i32(1).i32(20_000).i32(3).bytes();
    assertMentions(refusedRequest(far, LIMITS), "beyond the limit of 16384 positions");
    byte[] negative = new Msg(1).job("j").i32(0).i32(1).i32(-1).i32(3).bytes();
    assertMentions(refusedRequest(negative, LIMITS), "negative position or layer");
    byte[] below = new Msg(1).job("j").i32(4).i32(1).i32(0).i32(3).bytes();
    assertMentions(refusedRequest(below, LIMITS), "below the shard starting at layer 4");
    byte[] empty = new Msg(1).job("j").i32(0).i32(0).bytes();
    assertMentions(refusedRequest(empty, LIMITS), "at least one sample");
    byte[] badUtf8 = new Msg(1).u16(2).raw(new byte[] {(byte) 0xc3, (byte) 0x28}).bytes();
    assertMentions(refusedRequest(badUtf8, LIMITS), "not valid UTF-8");
    RevealRequest two = new RevealRequest("j", 0, List.of(new Sample(0, 0), new Sample(1, 0)));
    assertMentions(
        refusedRequest(RevealCodec.encode(two), new RevealLimits(1, 16_384, 40, 1 << 20)),
        "sample count 2 exceeds the limit of 1");
  }

  @Test
  void encodingRefusesWhatDecodingWould() {
    Reveal shortLeaf = new Reveal("j", 0, 0, 0, fp16(2), new byte[31], List.of());
    SampleReveal s = new SampleReveal(new Sample(0, 0), shortLeaf, List.of(), List.of(), null);
    assertThrows(IllegalArgumentException.class, () -> RevealCodec.encode(s));
    Reveal shortNode = new Reveal("j", 0, 0, 0, fp16(2), h(1), List.of(new byte[33]));
    assertThrows(
        IllegalArgumentException.class,
        () ->
            RevealCodec.encode(
                new SampleReveal(new Sample(0, 0), shortNode, List.of(), List.of(), null)));
    Reveal noActivation = new Reveal("j", 0, 0, 0, null, h(1), List.of());
    assertThrows(
        IllegalArgumentException.class,
        () ->
            RevealCodec.encode(
                new SampleReveal(new Sample(0, 0), noActivation, List.of(), List.of(), null)));
    assertThrows(
        IllegalArgumentException.class,
        () -> RevealCodec.encode(new RevealResponse("x".repeat(257), 0, List.of())));
    assertThrows(
        IllegalArgumentException.class,
        () -> RevealCodec.encode(new RevealResponse("bad \ud800 id", 0, List.of())));
    // A multi-byte job id of exactly 256 bytes is fine.
    String wide = "\u00e9".repeat(128);
    RevealResponse ok = new RevealResponse(wide, 0, List.of());
    assertEquals(wide, RevealCodec.decodeResponse(RevealCodec.encode(ok), LIMITS).jobId());
  }
}
