package io.layerproof.verifier.wire;

import io.layerproof.inference.hook.Activation;
import io.layerproof.inference.hook.ElementType;
import io.layerproof.verifier.commit.FrameReveal;
import io.layerproof.verifier.commit.Reveal;
import io.layerproof.verifier.reveal.RevealLimits;
import io.layerproof.verifier.reveal.RevealRequest;
import io.layerproof.verifier.reveal.RevealResponse;
import io.layerproof.verifier.reveal.SampleReveal;
import io.layerproof.verifier.sampling.Sample;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The binary form of {@link RevealRequest} and {@link RevealResponse} between verifier and
 * provider. Decoding treats the bytes as hostile: every count and length is checked against the
 * {@link RevealLimits} and against the bytes actually left before anything is allocated, every byte
 * must be consumed, and every failure is a {@link MalformedRevealException} that says what and
 * where (never an index or buffer exception).
 *
 * <pre>
 * message      = "LPRV" u8 version(1) u8 kind(1 request, 2 response) body        (big-endian)
 * request      = jobId i32 startLayer u32 count (i32 position i32 layer)^count
 * response     = jobId i32 startLayer u32 count sampleReveal^count
 * sampleReveal = i32 position i32 layer
 *                u8 hasOutput [reveal]
 *                u32 inputs reveal^inputs
 *                u32 frames frameReveal^frames
 *                u8 hasOutputFrame [frameReveal]
 * reveal       = jobId i32 startLayer i32 position i32 layer activation leaf proof
 * frameReveal  = jobId i32 startLayer u8 side(0 input, 1 output) i32 index i32 startPosition
 *                activation leaf proof
 * activation   = u8 dtype u8 rank(0..4) u32 dim^rank  data (product(dims) x dtype bytes)
 * jobId        = u16 length (1..256) UTF-8
 * leaf         = 32 bytes;  proof = u8 depth (32 bytes)^depth
 * </pre>
 *
 * Bounds: samples and reveals per message at most {@code maxSamples}; input rows and frames per
 * sample at most {@code maxPositions}; proof depth at most {@code maxProofDepth}; activation, leaf
 * and proof bytes of a whole response at most {@code maxResponseBytes} (the measure of {@link
 * RevealResponse#byteSize}); a decoded request also passes {@link RevealLimits#check}. The
 * transport bounds the frame it reads before handing it here. Encoding refuses what decoding would
 * refuse regardless of limits (bad job ids, leaves or proof nodes that are not 32 bytes, missing
 * activations), so whatever encodes decodes to an equal message.
 */
public final class RevealCodec {

  static final byte[] MAGIC = {'L', 'P', 'R', 'V'};
  static final int VERSION = 1;
  static final int KIND_REQUEST = 1;
  static final int KIND_RESPONSE = 2;
  static final int MAX_RANK = 4;

  private RevealCodec() {}

  // ------------------------------------------------------------------ encoding

  public static byte[] encode(RevealRequest request) {
    Out out = new Out(64 + 8 * request.samples().size());
    out.header(KIND_REQUEST);
    out.jobId(request.jobId());
    out.i32(request.startLayer());
    out.i32(request.samples().size());
    for (Sample s : request.samples()) {
      out.i32(s.position());
      out.i32(s.layer());
    }
    return out.bytes();
  }

  public static byte[] encode(RevealResponse response) {
    long payload = 0;
    for (SampleReveal r : response.reveals()) {
      payload += payloadHint(r);
    }
    Out out = new Out(sizeHint(payload));
    out.header(KIND_RESPONSE);
    out.jobId(response.jobId());
    out.i32(response.startLayer());
    out.i32(response.reveals().size());
    for (SampleReveal r : response.reveals()) {
      sampleReveal(out, r);
    }
    return out.bytes();
  }

  /** One sample's reveal without a message header: what fraud evidence commits to. */
  public static byte[] encode(SampleReveal reveal) {
    Out out = new Out(sizeHint(payloadHint(reveal)));
    sampleReveal(out, reveal);
    return out.bytes();
  }

  /** Like {@link SampleReveal#byteSize}, but tolerant of the missing parts encoding refuses. */
  private static long payloadHint(SampleReveal r) {
    long n = payloadHint(r.output());
    for (Reveal in : r.inputs()) {
      n += payloadHint(in);
    }
    for (FrameReveal f : r.inputFrames()) {
      n += f.frame() == null ? 0 : f.frame().data().length;
    }
    return n;
  }

  private static long payloadHint(Reveal r) {
    return r == null || r.activation() == null ? 0 : r.activation().data().length;
  }

  /** Payload plus room for headers, capped: the buffer grows if a big response needs more. */
  private static int sizeHint(long payload) {
    return (int) Math.min(64L << 20, payload + 4096);
  }

  private static void sampleReveal(Out out, SampleReveal r) {
    out.i32(r.sample().position());
    out.i32(r.sample().layer());
    out.u8(r.output() == null ? 0 : 1);
    if (r.output() != null) {
      reveal(out, r.output());
    }
    out.i32(r.inputs().size());
    for (Reveal in : r.inputs()) {
      reveal(out, in);
    }
    out.i32(r.inputFrames().size());
    for (FrameReveal f : r.inputFrames()) {
      frame(out, f);
    }
    out.u8(r.outputFrame() == null ? 0 : 1);
    if (r.outputFrame() != null) {
      frame(out, r.outputFrame());
    }
  }

  private static void reveal(Out out, Reveal r) {
    out.jobId(r.jobId());
    out.i32(r.startLayer());
    out.i32(r.position());
    out.i32(r.layer());
    out.activation(r.activation());
    out.hash(r.leaf(), "leaf");
    out.proof(r.proof());
  }

  private static void frame(Out out, FrameReveal f) {
    if (f.side() == null) {
      throw new IllegalArgumentException("a frame reveal needs a side");
    }
    out.jobId(f.jobId());
    out.i32(f.startLayer());
    out.u8(f.side() == FrameReveal.Side.INPUT ? 0 : 1);
    out.i32(f.index());
    out.i32(f.startPosition());
    out.activation(f.frame());
    out.hash(f.leaf(), "leaf");
    out.proof(f.proof());
  }

  /** A big-endian writer that refuses what the decoder would refuse regardless of limits. */
  private static final class Out {
    private final ByteArrayOutputStream bytes;
    private final DataOutputStream out;

    Out(int sizeHint) {
      bytes = new ByteArrayOutputStream(sizeHint);
      out = new DataOutputStream(bytes);
    }

    void header(int kind) {
      write(MAGIC);
      u8(VERSION);
      u8(kind);
    }

    void u8(int v) {
      try {
        out.writeByte(v);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    void i32(int v) {
      try {
        out.writeInt(v);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    void write(byte[] b) {
      bytes.write(b, 0, b.length);
    }

    void jobId(String jobId) {
      byte[] b = utf8(jobId);
      if (b.length < 1 || b.length > RevealLimits.MAX_JOB_ID_BYTES) {
        throw new IllegalArgumentException(
            "a job id is 1.." + RevealLimits.MAX_JOB_ID_BYTES + " bytes, got " + b.length);
      }
      try {
        out.writeShort(b.length);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      write(b);
    }

    void activation(Activation a) {
      if (a == null) {
        throw new IllegalArgumentException("a reveal needs its activation");
      }
      int[] shape = a.shape();
      if (shape.length > MAX_RANK) {
        throw new IllegalArgumentException(
            "rank " + shape.length + " exceeds the wire's " + MAX_RANK);
      }
      u8(a.dtype().code());
      u8(shape.length);
      for (int d : shape) {
        i32(d);
      }
      write(a.data());
    }

    void hash(byte[] h, String what) {
      if (h == null || h.length != 32) {
        throw new IllegalArgumentException(what + " must be 32 bytes");
      }
      write(h);
    }

    void proof(List<byte[]> proof) {
      if (proof.size() > 255) {
        throw new IllegalArgumentException("a proof of " + proof.size() + " levels");
      }
      u8(proof.size());
      for (byte[] node : proof) {
        hash(node, "a proof node");
      }
    }

    byte[] bytes() {
      return bytes.toByteArray();
    }

    private static byte[] utf8(String s) {
      if (s == null) {
        throw new IllegalArgumentException("missing job id");
      }
      try {
        ByteBuffer b =
            StandardCharsets.UTF_8
                .newEncoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT)
                .encode(CharBuffer.wrap(s));
        return Arrays.copyOf(b.array(), b.limit());
      } catch (CharacterCodingException e) {
        throw new IllegalArgumentException("the job id is not well-formed Unicode");
      }
    }
  }

  // ------------------------------------------------------------------ decoding

  /**
   * Decodes a request a provider received.
   *
   * @throws MalformedRevealException if the bytes are not one well-formed request within {@code
   *     limits}
   */
  public static RevealRequest decodeRequest(byte[] wire, RevealLimits limits) {
    In in = new In(wire, limits, "reveal request");
    in.header(KIND_REQUEST);
    String jobId = in.jobId("the job id");
    int startLayer = in.i32("the start layer");
    int count = in.count("the sample count", limits.maxSamples(), 8);
    List<Sample> samples = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      samples.add(in.sample("sample " + i));
    }
    in.end();
    try {
      RevealRequest request = new RevealRequest(jobId, startLayer, samples);
      limits.check(request);
      return request;
    } catch (IllegalArgumentException e) {
      throw new MalformedRevealException("reveal request: " + e.getMessage(), e);
    }
  }

  /**
   * Decodes a response a verifier received. A well-formed response may still prove nothing: the
   * verifier checks every reveal against the ledger's roots.
   *
   * @throws MalformedRevealException if the bytes are not one well-formed response within {@code
   *     limits}
   */
  public static RevealResponse decodeResponse(byte[] wire, RevealLimits limits) {
    In in = new In(wire, limits, "reveal response");
    in.header(KIND_RESPONSE);
    String jobId = in.jobId("the job id");
    int startLayer = in.i32("the start layer");
    // The smallest sample reveal: sample, no output, no inputs, no frames, no output frame.
    int count = in.count("the reveal count", limits.maxSamples(), 18);
    List<SampleReveal> reveals = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      reveals.add(in.sampleReveal("reveal " + i));
    }
    in.end();
    return new RevealResponse(jobId, startLayer, reveals);
  }

  /** A bounds-checked big-endian reader over untrusted bytes. */
  private static final class In {
    /**
     * The smallest encoded reveal (a frame reveal is one byte more): a 1-byte job id, three i32, a
     * rank-0 FP16 activation, the leaf and an empty proof.
     */
    private static final int MIN_REVEAL_BYTES = 3 + 12 + 4 + 32 + 1;

    private final byte[] b;
    private final RevealLimits limits;
    private final String message;
    private int pos;
    private long payload;

    In(byte[] wire, RevealLimits limits, String message) {
      if (wire == null) {
        throw new MalformedRevealException(message + ": no bytes");
      }
      this.b = wire;
      this.limits = limits;
      this.message = message;
    }

    MalformedRevealException error(String problem) {
      return new MalformedRevealException(message + ": " + problem + " (at byte " + pos + ")");
    }

    void need(long n, String what) {
      if (n > b.length - pos) {
        throw error(
            "truncated: " + what + " needs " + n + " bytes, " + (b.length - pos) + " are left");
      }
    }

    int u8(String what) {
      need(1, what);
      return b[pos++] & 0xff;
    }

    int u16(String what) {
      need(2, what);
      int v = ((b[pos] & 0xff) << 8) | (b[pos + 1] & 0xff);
      pos += 2;
      return v;
    }

    int i32(String what) {
      need(4, what);
      int v =
          ((b[pos] & 0xff) << 24)
              | ((b[pos + 1] & 0xff) << 16)
              | ((b[pos + 2] & 0xff) << 8)
              | (b[pos + 3] & 0xff);
      pos += 4;
      return v;
    }

    long u32(String what) {
      return i32(what) & 0xffffffffL;
    }

    boolean flag(String what) {
      int v = u8(what);
      if (v > 1) {
        throw error(what + " must be 0 or 1, got " + v);
      }
      return v == 1;
    }

    /** A count at most {@code max}, each element taking at least {@code minBytes}. */
    int count(String what, long max, int minBytes) {
      long n = u32(what);
      if (n > max) {
        throw error(what + " " + n + " exceeds the limit of " + max);
      }
      // A count the remaining bytes cannot hold is a lie: refuse it before looping.
      if (n * minBytes > b.length - pos) {
        throw error(
            "truncated: "
                + what
                + " "
                + n
                + " cannot fit in the "
                + (b.length - pos)
                + " bytes left");
      }
      return (int) n;
    }

    byte[] take(int n, String what) {
      need(n, what);
      byte[] out = Arrays.copyOfRange(b, pos, pos + n);
      pos += n;
      return out;
    }

    void header(int kind) {
      need(MAGIC.length + 2, "the header");
      for (int i = 0; i < MAGIC.length; i++) {
        if (b[pos + i] != MAGIC[i]) {
          throw error("not a reveal message (bad magic)");
        }
      }
      pos += MAGIC.length;
      int version = u8("the version");
      if (version != VERSION) {
        throw error("version " + version + " is not supported (this node reads " + VERSION + ")");
      }
      int got = u8("the message kind");
      if (got != kind) {
        throw error("message kind " + got + " where " + kind + " was expected");
      }
    }

    String jobId(String what) {
      int n = u16(what + " length");
      if (n < 1 || n > RevealLimits.MAX_JOB_ID_BYTES) {
        throw error(what + " of " + n + " bytes is outside 1.." + RevealLimits.MAX_JOB_ID_BYTES);
      }
      need(n, what);
      try {
        String s =
            StandardCharsets.UTF_8
                .newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT)
                .decode(ByteBuffer.wrap(b, pos, n))
                .toString();
        pos += n;
        return s;
      } catch (CharacterCodingException e) {
        throw error(what + " is not valid UTF-8");
      }
    }

    Sample sample(String what) {
      int position = i32(what + " position");
      int layer = i32(what + " layer");
      if (position < 0 || layer < 0) {
        throw error(what + " has a negative position or layer: " + position + "/" + layer);
      }
      return new Sample(position, layer);
    }

    /** Counts {@code n} activation, leaf and proof bytes against the response's budget. */
    void spend(long n, String what) {
      if (n > limits.maxResponseBytes() - payload) {
        throw error(
            what
                + " brings the response past "
                + limits.maxResponseBytes()
                + " bytes of activations and proofs");
      }
      payload += n;
    }

    SampleReveal sampleReveal(String what) {
      Sample sample = sample(what + " sample");
      Reveal output = flag(what + " output flag") ? reveal(what + " output") : null;
      int inputs = count(what + " input count", limits.maxPositions(), MIN_REVEAL_BYTES);
      List<Reveal> in = new ArrayList<>(inputs);
      for (int i = 0; i < inputs; i++) {
        in.add(reveal(what + " input " + i));
      }
      int frames = count(what + " frame count", limits.maxPositions(), MIN_REVEAL_BYTES);
      List<FrameReveal> fr = new ArrayList<>(frames);
      for (int i = 0; i < frames; i++) {
        fr.add(frame(what + " input frame " + i));
      }
      FrameReveal outFrame =
          flag(what + " output frame flag") ? frame(what + " output frame") : null;
      return new SampleReveal(sample, output, in, fr, outFrame);
    }

    Reveal reveal(String what) {
      String jobId = jobId(what + " job id");
      int startLayer = i32(what + " start layer");
      int position = i32(what + " position");
      int layer = i32(what + " layer");
      Activation a = activation(what + " activation");
      spend(32, what + " leaf");
      byte[] leaf = take(32, what + " leaf");
      return new Reveal(jobId, startLayer, position, layer, a, leaf, proof(what + " proof"));
    }

    FrameReveal frame(String what) {
      String jobId = jobId(what + " job id");
      int startLayer = i32(what + " start layer");
      int side = u8(what + " side");
      if (side > 1) {
        throw error(what + " side must be 0 (input) or 1 (output), got " + side);
      }
      int index = i32(what + " index");
      int startPosition = i32(what + " start position");
      Activation a = activation(what + " frame");
      spend(32, what + " leaf");
      byte[] leaf = take(32, what + " leaf");
      return new FrameReveal(
          jobId,
          startLayer,
          side == 0 ? FrameReveal.Side.INPUT : FrameReveal.Side.OUTPUT,
          index,
          startPosition,
          a,
          leaf,
          proof(what + " proof"));
    }

    Activation activation(String what) {
      int code = u8(what + " element type");
      ElementType dtype = null;
      for (ElementType t : ElementType.values()) {
        if (t.code() == code) {
          dtype = t;
        }
      }
      if (dtype == null) {
        throw error(what + " has unknown element type " + code);
      }
      int rank = u8(what + " rank");
      if (rank > MAX_RANK) {
        throw error(what + " has rank " + rank + ", the limit is " + MAX_RANK);
      }
      int[] shape = new int[rank];
      long bytes = dtype.bytes();
      for (int i = 0; i < rank; i++) {
        long d = u32(what + " dimension " + i);
        if (d > Integer.MAX_VALUE) {
          throw error(what + " dimension " + d + " is beyond every limit");
        }
        shape[i] = (int) d;
        try {
          bytes = Math.multiplyExact(bytes, d);
        } catch (ArithmeticException e) {
          bytes = Long.MAX_VALUE;
        }
        if (bytes > limits.maxResponseBytes()) {
          throw error(
              what
                  + " of shape "
                  + Arrays.toString(Arrays.copyOf(shape, i + 1))
                  + "... exceeds "
                  + limits.maxResponseBytes()
                  + " bytes");
        }
      }
      spend(bytes, what);
      need(bytes, what + " data");
      byte[] data = take((int) bytes, what + " data");
      return new Activation(dtype, shape, data);
    }

    List<byte[]> proof(String what) {
      int depth = u8(what + " depth");
      if (depth > limits.maxProofDepth()) {
        throw error(what + " of " + depth + " levels exceeds " + limits.maxProofDepth());
      }
      spend(32L * depth, what);
      List<byte[]> out = new ArrayList<>(depth);
      for (int i = 0; i < depth; i++) {
        out.add(take(32, what + " node " + i));
      }
      return out;
    }

    void end() {
      if (pos != b.length) {
        throw error((b.length - pos) + " trailing bytes after the " + message);
      }
    }
  }
}
