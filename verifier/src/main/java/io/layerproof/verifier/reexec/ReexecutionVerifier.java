package io.layerproof.verifier.reexec;

import io.layerproof.inference.hook.Activation;
import io.layerproof.inference.hook.ElementType;
import io.layerproof.inference.model.LlamaConfig;
import io.layerproof.inference.shard.HiddenStateFrame;
import io.layerproof.verifier.commit.FrameReveal;
import io.layerproof.verifier.commit.Reveal;
import io.layerproof.verifier.reveal.RevealLimits;
import io.layerproof.verifier.reveal.RevealRequest;
import io.layerproof.verifier.reveal.RevealResponse;
import io.layerproof.verifier.reveal.SampleReveal;
import io.layerproof.verifier.sampling.Sample;
import io.layerproof.verifier.tolerance.ActivationError;
import io.layerproof.verifier.tolerance.Tolerance;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Checks a provider's reveals for sampled cells of one shard and re-executes each sampled layer.
 *
 * <p>For a sample {@code (t, L)} of a shard {@code [s, e)} committed on the ledger:
 *
 * <ol>
 *   <li>the revealed output of layer L at t must hash to a leaf that is in the committed activation
 *       tree (job, position, layer, dtype and shape are inside the leaf);
 *   <li>the layer's inputs at positions {@code 0..t}: for {@code L > s} the committed outputs of
 *       layer {@code L - 1}, each proven against the same root; for {@code L == s} the frames the
 *       shard received, proven against its input boundary root, which must equal the previous
 *       stage's output boundary root (token ids on the first shard, embedded here);
 *   <li>for the last layer of a shard that is not the model's last, the frame it sent downstream
 *       holding position t, proven against the output boundary root, must carry the committed
 *       output (exactly, or within the tolerance when the wire and commitment types differ);
 *   <li>layer L is re-executed prefill-style on those inputs with the verifier's own weights and
 *       its output at t compared with the revealed one: {@link ActivationError#relative} at most
 *       the {@link Tolerance}.
 * </ol>
 *
 * Every input is untrusted: sizes are bounded by {@link RevealLimits} and shapes checked before any
 * hashing or computing.
 */
public final class ReexecutionVerifier {

  private final LayerReplayer replayer;
  private final Tolerance tolerance;
  private final RevealLimits limits;
  private final LlamaConfig config;

  public ReexecutionVerifier(LayerReplayer replayer, Tolerance tolerance, RevealLimits limits) {
    this.replayer = replayer;
    this.tolerance = tolerance;
    this.limits = limits;
    this.config = replayer.config();
  }

  public Tolerance tolerance() {
    return tolerance;
  }

  /** The request for {@code samples} of {@code shard}; each must be a committed cell. */
  public RevealRequest request(CommittedShard shard, List<Sample> samples) {
    RevealRequest request = new RevealRequest(shard.jobId(), shard.startLayer(), samples);
    checkAgainst(shard, request);
    return request;
  }

  /**
   * Verdicts for every sample of {@code request}.
   *
   * @param previousOutputBoundary the output boundary root the previous stage committed, or null
   *     for the job's first shard
   * @param response the provider's answer; empty when none came before the challenge window closed
   *     (every sample is then {@link Verdict.Status#MISSING_REVEAL})
   */
  public ShardVerification verify(
      CommittedShard shard,
      byte[] previousOutputBoundary,
      RevealRequest request,
      Optional<RevealResponse> response) {
    checkAgainst(shard, request);
    List<Verdict> verdicts = new ArrayList<>();
    if (response.isEmpty()) {
      for (Sample s : request.samples()) {
        verdicts.add(Verdict.missing(s, "no reveal before the challenge window closed"));
      }
      return new ShardVerification(shard, verdicts);
    }
    RevealResponse r = response.get();
    String wholeProblem = null;
    if (!shard.jobId().equals(r.jobId()) || r.startLayer() != shard.startLayer()) {
      wholeProblem =
          "the response is for job " + r.jobId() + " at layer " + r.startLayer() + ", not this one";
    } else if (r.reveals().size() > request.samples().size()) {
      wholeProblem =
          r.reveals().size() + " reveals answer " + request.samples().size() + " samples";
    } else if (r.byteSize() > limits.maxResponseBytes()) {
      wholeProblem =
          "the response carries "
              + r.byteSize()
              + " bytes, over the limit of "
              + limits.maxResponseBytes();
    }
    for (Sample s : request.samples()) {
      if (wholeProblem != null) {
        verdicts.add(Verdict.badProof(s, wholeProblem));
        continue;
      }
      Optional<SampleReveal> reveal = r.find(s);
      verdicts.add(
          reveal.isEmpty()
              ? Verdict.missing(s, "the provider answered without this sample")
              : check(shard, previousOutputBoundary, reveal.get()));
    }
    return new ShardVerification(shard, verdicts);
  }

  /** The verdict of one sample's reveal (see the class comment for the steps). */
  public Verdict check(CommittedShard shard, byte[] previousOutputBoundary, SampleReveal reveal) {
    Sample s = reveal.sample();
    if (!shard.contains(s)) {
      return Verdict.badProof(s, "sample " + s + " is not a committed cell of this shard");
    }
    int t = s.position();
    int layer = s.layer();
    int hidden = config.hiddenSize();

    String problem = checkActivation(shard, reveal.output(), t, layer);
    if (problem != null) {
      return Verdict.badProof(s, "output of layer " + layer + " at " + t + ": " + problem);
    }
    float[] revealed = reveal.output().activation().toFloats();

    HiddenStateFrame input;
    if (layer > shard.startLayer()) {
      if (!reveal.inputFrames().isEmpty()) {
        return Verdict.badProof(s, "input frames revealed for a layer that is not the first");
      }
      if (reveal.inputs().size() != t + 1) {
        return Verdict.badProof(
            s, reveal.inputs().size() + " input rows revealed, " + (t + 1) + " needed");
      }
      float[] rows = new float[(t + 1) * hidden];
      for (int p = 0; p <= t; p++) {
        Reveal in = reveal.inputs().get(p);
        problem = checkActivation(shard, in, p, layer - 1);
        if (problem != null) {
          return Verdict.badProof(s, "input (layer " + (layer - 1) + " at " + p + "): " + problem);
        }
        System.arraycopy(in.activation().toFloats(), 0, rows, p * hidden, hidden);
      }
      input = hiddenFrame(rows, t + 1);
    } else {
      if (previousOutputBoundary != null
          && !Arrays.equals(previousOutputBoundary, shard.inputBoundary())) {
        return new Verdict(
            s,
            Verdict.Status.BOUNDARY_MISMATCH,
            null,
            "the shard's committed input boundary is not the previous stage's output boundary");
      }
      if (!reveal.inputs().isEmpty()) {
        return Verdict.badProof(s, "input rows revealed for the shard's first layer");
      }
      try {
        input = inputFromFrames(shard, reveal.inputFrames(), t);
      } catch (BadReveal bad) {
        return Verdict.badProof(s, "input frames: " + bad.getMessage());
      }
    }

    if (layer == shard.endLayer() - 1 && shard.endLayer() < config.numLayers()) {
      FrameReveal f = reveal.outputFrame();
      problem = checkFrame(shard, f, FrameReveal.Side.OUTPUT, shard.outputBoundary());
      if (problem == null && (f.startPosition() > t || f.startPosition() + f.rows() <= t)) {
        problem = "does not hold position " + t;
      }
      if (problem != null) {
        return Verdict.badProof(s, "outgoing frame: " + problem);
      }
      Activation committed = reveal.output().activation();
      Activation sentRow = row(f.frame(), t - f.startPosition());
      if (sentRow.dtype() == committed.dtype()) {
        if (!Arrays.equals(sentRow.data(), committed.data())) {
          return Verdict.mismatch(
              s,
              ActivationError.of(sentRow.toFloats(), revealed),
              "the frame sent downstream at " + t + " is not the committed output");
        }
      } else {
        ActivationError e = ActivationError.of(sentRow.toFloats(), revealed);
        if (!tolerance.accepts(e)) {
          return Verdict.mismatch(
              s, e, "the frame sent downstream at " + t + " differs from the committed output");
        }
      }
    }

    float[] recomputed = replayer.lastRow(layer, input);
    ActivationError e = ActivationError.of(revealed, recomputed);
    if (tolerance.accepts(e)) {
      return Verdict.pass(s, e);
    }
    return Verdict.mismatch(
        s,
        e,
        String.format(
            "re-executed layer %d at token %d differs from the committed output: relative error"
                + " %.3e over the tolerance %.3e",
            layer, t, e.relative(), tolerance.maxRelativeError()));
  }

  private void checkAgainst(CommittedShard shard, RevealRequest request) {
    if (!shard.jobId().equals(request.jobId()) || shard.startLayer() != request.startLayer()) {
      throw new IllegalArgumentException("the request is not for this shard");
    }
    limits.check(request);
    for (Sample s : request.samples()) {
      if (!shard.contains(s)) {
        throw new IllegalArgumentException("sample " + s + " is not a committed cell of the shard");
      }
    }
  }

  /** Null if {@code r} is a well-formed, proven reveal of (position, layer); else the problem. */
  private String checkActivation(CommittedShard shard, Reveal r, int position, int layer) {
    if (r == null) {
      return "not revealed";
    }
    if (!shard.jobId().equals(r.jobId())
        || r.startLayer() != shard.startLayer()
        || r.position() != position
        || r.layer() != layer) {
      return "revealed as job "
          + r.jobId()
          + " shard "
          + r.startLayer()
          + " cell "
          + r.position()
          + "/"
          + r.layer();
    }
    Activation a = r.activation();
    if (a == null
        || (a.dtype() != ElementType.FP32 && a.dtype() != ElementType.FP16)
        || !Arrays.equals(a.shape(), new int[] {config.hiddenSize()})) {
      return "not an FP32/FP16 row of " + config.hiddenSize() + " values";
    }
    String proof = checkProofShape(r.leaf(), r.proof());
    if (proof != null) {
      return proof;
    }
    return r.verify(shard.root()) ? null : "the Merkle proof does not reach the committed root";
  }

  private String checkFrame(
      CommittedShard shard, FrameReveal f, FrameReveal.Side side, byte[] boundaryRoot) {
    if (f == null) {
      return "not revealed";
    }
    if (!shard.jobId().equals(f.jobId())
        || f.startLayer() != shard.startLayer()
        || f.side() != side) {
      return "revealed as job " + f.jobId() + " shard " + f.startLayer() + " " + f.side();
    }
    Activation a = f.frame();
    if (a == null || a.shape().length == 0 || a.shape()[0] < 1) {
      return "empty frame";
    }
    boolean tokens = side == FrameReveal.Side.INPUT && shard.startLayer() == 0;
    if (tokens) {
      if (a.dtype() != ElementType.INT32 || a.shape().length != 1) {
        return "the first shard's input must be token ids";
      }
    } else if ((a.dtype() != ElementType.FP32 && a.dtype() != ElementType.FP16)
        || a.shape().length != 2
        || a.shape()[1] != config.hiddenSize()) {
      return "not FP32/FP16 hidden states [n, " + config.hiddenSize() + "]";
    }
    String proof = checkProofShape(f.leaf(), f.proof());
    if (proof != null) {
      return proof;
    }
    return f.verify(boundaryRoot) ? null : "the Merkle proof does not reach the boundary root";
  }

  private String checkProofShape(byte[] leaf, List<byte[]> proof) {
    if (leaf == null || leaf.length != 32) {
      return "the leaf is not 32 bytes";
    }
    if (proof.size() > limits.maxProofDepth()) {
      return "a proof of " + proof.size() + " levels exceeds " + limits.maxProofDepth();
    }
    for (byte[] node : proof) {
      if (node == null || node.length != 32) {
        return "a proof node is not 32 bytes";
      }
    }
    return null;
  }

  /** A reveal that does not prove what it should; the message says why. */
  private static final class BadReveal extends Exception {
    BadReveal(String message) {
      super(message, null, false, false);
    }
  }

  /** The re-execution input for positions 0..t from proven input frames. */
  private HiddenStateFrame inputFromFrames(CommittedShard shard, List<FrameReveal> frames, int t)
      throws BadReveal {
    if (frames.isEmpty()) {
      throw new BadReveal("none revealed");
    }
    if (frames.size() > t + 1) {
      throw new BadReveal(frames.size() + " frames for " + (t + 1) + " positions");
    }
    int next = 0;
    for (FrameReveal f : frames) {
      String problem = checkFrame(shard, f, FrameReveal.Side.INPUT, shard.inputBoundary());
      if (problem != null) {
        throw new BadReveal("frame at " + (f == null ? "?" : f.startPosition()) + ": " + problem);
      }
      if (f.startPosition() != next) {
        throw new BadReveal(
            "frames are not contiguous: one starts at " + f.startPosition() + ", expected " + next);
      }
      next += f.rows();
    }
    if (next <= t) {
      throw new BadReveal("frames end at position " + next + ", before " + t);
    }
    if (shard.startLayer() == 0) {
      int[] ids = new int[t + 1];
      int at = 0;
      for (FrameReveal f : frames) {
        int[] chunk = new HiddenStateFrame(0, f.frame()).tokenIds();
        int take = Math.min(chunk.length, ids.length - at);
        System.arraycopy(chunk, 0, ids, at, take);
        at += take;
      }
      for (int id : ids) {
        if (id < 0 || id >= config.vocabSize()) {
          throw new BadReveal("token id " + id + " is outside the vocabulary");
        }
      }
      return HiddenStateFrame.tokens(0, ids);
    }
    int hidden = config.hiddenSize();
    float[] rows = new float[(t + 1) * hidden];
    int at = 0;
    for (FrameReveal f : frames) {
      float[] values = f.frame().toFloats();
      int take = Math.min(f.rows(), t + 1 - at);
      System.arraycopy(values, 0, rows, at * hidden, take * hidden);
      at += take;
    }
    return hiddenFrame(rows, t + 1);
  }

  /** Row {@code r} of a [rows, hidden] activation, as a [hidden] activation of the same type. */
  private static Activation row(Activation frame, int r) {
    int hidden = frame.shape()[1];
    int bytes = hidden * frame.dtype().bytes();
    return new Activation(
        frame.dtype(),
        new int[] {hidden},
        Arrays.copyOfRange(frame.data(), r * bytes, (r + 1) * bytes));
  }

  private HiddenStateFrame hiddenFrame(float[] rows, int count) {
    ByteBuffer buf = ByteBuffer.allocate(rows.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    buf.asFloatBuffer().put(rows);
    return new HiddenStateFrame(
        0, new Activation(ElementType.FP32, new int[] {count, config.hiddenSize()}, buf.array()));
  }
}
