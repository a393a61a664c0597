package io.layerproof.node.stage;

import io.layerproof.verifier.reexec.CommittedShard;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The stage protocol's messages. A request is {@code kind (1 byte) || job id length (1 byte) || job
 * id (ASCII) || body}: FORWARD carries a hidden-state frame ({@code FrameCodec}) and is answered
 * with the shard's output frame; FINISH closes the job's session and is answered with the shard's
 * commitment ({@link #encodeCommitment}); ABORT drops the session and is answered empty.
 */
public final class StageWire {

  /** What a request asks. */
  public enum Kind {
    FORWARD,
    FINISH,
    ABORT,
    ATTEST
  }

  /**
   * An ATTEST body: the stage's index in the job, the ledger's next sequence number for the
   * provider's key, and (for the last stage) the generated tokens.
   */
  public record Attest(int stage, long nextSeq, int[] tokens) {
    public Attest {
      if (stage < 0 || stage > 255 || nextSeq < 0 || tokens.length > MAX_TOKENS) {
        throw new IllegalArgumentException("bad attest request");
      }
      tokens = tokens.clone();
    }
  }

  /** Tokens one ATTEST may name; far above any context length. */
  public static final int MAX_TOKENS = 1 << 20;

  /** Envelopes in one ATTEST answer: the tokens and one commitment. */
  public static final int MAX_ENVELOPES = MAX_TOKENS + 1;

  /** A decoded request; {@code body} is the frame for FORWARD and empty otherwise. */
  public record Request(Kind kind, String jobId, byte[] body) {}

  /** Job ids are {@code 0x} and 64 hex digits on the devnet; anything printable up to this. */
  public static final int MAX_JOB_ID = 128;

  /** Three layer and position counts and three 32-byte roots. */
  static final int COMMITMENT_BYTES = 3 * 4 + 3 * 32;

  private StageWire() {}

  public static byte[] forward(String jobId, byte[] frame) {
    return request(Kind.FORWARD, jobId, frame);
  }

  public static byte[] finish(String jobId) {
    return request(Kind.FINISH, jobId, new byte[0]);
  }

  public static byte[] abort(String jobId) {
    return request(Kind.ABORT, jobId, new byte[0]);
  }

  public static byte[] attest(String jobId, Attest a) {
    ByteBuffer body = ByteBuffer.allocate(1 + 8 + 4 + 4 * a.tokens().length);
    body.put((byte) a.stage()).putLong(a.nextSeq()).putInt(a.tokens().length);
    for (int t : a.tokens()) {
      body.putInt(t);
    }
    return request(Kind.ATTEST, jobId, body.array());
  }

  /**
   * @throws IllegalArgumentException if {@code body} is not an ATTEST body
   */
  public static Attest decodeAttest(byte[] body) {
    if (body.length < 13) {
      throw new IllegalArgumentException("attest body of " + body.length + " bytes");
    }
    ByteBuffer b = ByteBuffer.wrap(body);
    int stage = b.get() & 0xff;
    long nextSeq = b.getLong();
    int count = b.getInt();
    if (count < 0 || count > MAX_TOKENS || b.remaining() != 4L * count) {
      throw new IllegalArgumentException("attest body does not hold " + count + " tokens");
    }
    int[] tokens = new int[count];
    for (int i = 0; i < count; i++) {
      tokens[i] = b.getInt();
    }
    return new Attest(stage, nextSeq, tokens);
  }

  /** Envelopes as {@code count (4 bytes) || (length (4 bytes) || bytes)*}. */
  public static byte[] encodeEnvelopes(List<byte[]> envelopes) {
    int size = 4;
    for (byte[] e : envelopes) {
      size += 4 + e.length;
    }
    ByteBuffer b = ByteBuffer.allocate(size).putInt(envelopes.size());
    envelopes.forEach(e -> b.putInt(e.length).put(e));
    return b.array();
  }

  /**
   * @throws IllegalArgumentException if the bytes are not a list of envelopes
   */
  public static List<byte[]> decodeEnvelopes(byte[] bytes) {
    ByteBuffer b = ByteBuffer.wrap(bytes);
    if (b.remaining() < 4) {
      throw new IllegalArgumentException("no envelope count");
    }
    int count = b.getInt();
    if (count < 0 || count > MAX_ENVELOPES) {
      throw new IllegalArgumentException(count + " envelopes");
    }
    List<byte[]> out = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      if (b.remaining() < 4) {
        throw new IllegalArgumentException("envelope " + i + " has no length");
      }
      int length = b.getInt();
      if (length < 0 || length > b.remaining()) {
        throw new IllegalArgumentException("envelope " + i + " of " + length + " bytes");
      }
      byte[] e = new byte[length];
      b.get(e);
      out.add(e);
    }
    if (b.hasRemaining()) {
      throw new IllegalArgumentException(b.remaining() + " bytes after the envelopes");
    }
    return out;
  }

  private static byte[] request(Kind kind, String jobId, byte[] body) {
    byte[] id = checkJobId(jobId).getBytes(StandardCharsets.US_ASCII);
    return ByteBuffer.allocate(2 + id.length + body.length)
        .put((byte) (kind.ordinal() + 1))
        .put((byte) id.length)
        .put(id)
        .put(body)
        .array();
  }

  /**
   * @throws IllegalArgumentException if the request is malformed
   */
  public static Request decode(byte[] bytes) {
    if (bytes.length < 2) {
      throw new IllegalArgumentException("stage request of " + bytes.length + " bytes");
    }
    int k = bytes[0] & 0xff;
    if (k < 1 || k > Kind.values().length) {
      throw new IllegalArgumentException("unknown stage request kind " + k);
    }
    Kind kind = Kind.values()[k - 1];
    int idLength = bytes[1] & 0xff;
    if (bytes.length < 2 + idLength) {
      throw new IllegalArgumentException("stage request shorter than its job id");
    }
    String jobId = checkJobId(new String(bytes, 2, idLength, StandardCharsets.US_ASCII));
    byte[] body = Arrays.copyOfRange(bytes, 2 + idLength, bytes.length);
    if ((kind == Kind.FINISH || kind == Kind.ABORT) && body.length != 0) {
      throw new IllegalArgumentException(kind + " carries no body");
    }
    return new Request(kind, jobId, body);
  }

  public static byte[] encodeCommitment(CommittedShard c) {
    return ByteBuffer.allocate(COMMITMENT_BYTES)
        .putInt(c.startLayer())
        .putInt(c.endLayer())
        .putInt(c.positions())
        .put(c.root())
        .put(c.inputBoundary())
        .put(c.outputBoundary())
        .array();
  }

  /**
   * @throws IllegalArgumentException if the bytes are not a commitment
   */
  public static CommittedShard decodeCommitment(String jobId, byte[] bytes) {
    if (bytes.length != COMMITMENT_BYTES) {
      throw new IllegalArgumentException("commitment of " + bytes.length + " bytes");
    }
    ByteBuffer b = ByteBuffer.wrap(bytes);
    int start = b.getInt();
    int end = b.getInt();
    int positions = b.getInt();
    byte[] root = new byte[32];
    byte[] in = new byte[32];
    byte[] out = new byte[32];
    b.get(root).get(in).get(out);
    return new CommittedShard(jobId, start, end, positions, root, in, out);
  }

  private static String checkJobId(String jobId) {
    if (jobId.isEmpty()
        || jobId.length() > MAX_JOB_ID
        || !jobId.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
      throw new IllegalArgumentException("not a job id: " + jobId.length() + " characters");
    }
    return jobId;
  }
}
