package io.layerproof.verifier.sampling;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Draws the (token position, layer) cells a verifier checks, as a pure function of a 32-byte seed
 * that nobody knew when the provider committed (an anchored batch root, a later block hash).
 *
 * <p>The sample space of a job is every committed cell: positions {@code 0..positions-1} times
 * layers {@code startLayer..endLayer-1} (for a whole job: all of the model's layers, then {@link
 * #inShard} hands each shard its part). Cell {@code c} in {@code [0, positions * layers)} is
 * position {@code c / layers}, layer {@code startLayer + c % layers}.
 *
 * <p>Randomness: SHA-256 in counter mode,
 *
 * <pre>
 * block(i) = SHA-256("layerproof/samples/v1" || seed(32) || u16 len(job) || job
 *                    || i32 positions || i32 startLayer || i32 endLayer || u64 i)
 * </pre>
 *
 * read as big-endian 64-bit words, of which the top 63 bits are used. A uniform integer below
 * {@code n} is taken by rejection (the word is redrawn while it falls in the incomplete last
 * multiple of {@code n}), so there is no modulo bias. Cells are drawn without replacement by a
 * partial Fisher-Yates shuffle of the virtual array {@code [0, N)}: step {@code i} swaps slot
 * {@code i} with a uniform slot in {@code [i, N)} and emits it. Every {@code m}-subset is equally
 * likely, in uniformly random order, and a draw of {@code m} samples is a prefix of the draw of
 * {@code m' > m} samples from the same seed, so escalating to more samples keeps the first ones.
 * Anyone with the seed and the commitment's shape reproduces the draw exactly.
 */
public final class SampleDrawer {

  public static final int SEED_BYTES = 32;

  private static final byte[] DOMAIN = "layerproof/samples/v1".getBytes(StandardCharsets.UTF_8);

  private SampleDrawer() {}

  /**
   * {@code min(m, positions * layers)} distinct cells, uniform without replacement, in draw order.
   *
   * @param seed 32 bytes fixed after the commitment (e.g. the anchored batch root)
   */
  public static List<Sample> draw(
      byte[] seed, String jobId, int positions, int startLayer, int endLayer, int m) {
    if (seed == null || seed.length != SEED_BYTES) {
      throw new IllegalArgumentException("the sampling seed must be " + SEED_BYTES + " bytes");
    }
    if (positions < 1 || startLayer < 0 || endLayer <= startLayer) {
      throw new IllegalArgumentException(
          "no cells to sample in "
              + positions
              + " positions x layers "
              + startLayer
              + ".."
              + endLayer);
    }
    if (m < 0) {
      throw new IllegalArgumentException("negative sample count " + m);
    }
    int layers = endLayer - startLayer;
    long cells = (long) positions * layers;
    int count = (int) Math.min(m, cells);
    Stream rng = new Stream(seed, jobId, positions, startLayer, endLayer);
    Map<Long, Long> swapped = new HashMap<>();
    List<Sample> out = new ArrayList<>(count);
    for (long i = 0; i < count; i++) {
      long j = i + rng.below(cells - i);
      long atJ = swapped.getOrDefault(j, j);
      swapped.put(j, swapped.getOrDefault(i, i));
      out.add(new Sample((int) (atJ / layers), startLayer + (int) (atJ % layers)));
    }
    return out;
  }

  /** The samples that fall in layers {@code [startLayer, endLayer)}, in the same order. */
  public static List<Sample> inShard(List<Sample> samples, int startLayer, int endLayer) {
    return samples.stream().filter(s -> s.layer() >= startLayer && s.layer() < endLayer).toList();
  }

  /** The counter-mode SHA-256 stream described in the class comment. */
  private static final class Stream {
    private final MessageDigest sha;
    private final byte[] prefix;
    private long counter;
    private ByteBuffer block = ByteBuffer.allocate(0);

    Stream(byte[] seed, String jobId, int positions, int startLayer, int endLayer) {
      byte[] job = jobId.getBytes(StandardCharsets.UTF_8);
      if (job.length > 0xffff) {
        throw new IllegalArgumentException("job id longer than 65535 bytes");
      }
      prefix =
          ByteBuffer.allocate(DOMAIN.length + SEED_BYTES + 2 + job.length + 12)
              .put(DOMAIN)
              .put(seed)
              .putShort((short) job.length)
              .put(job)
              .putInt(positions)
              .putInt(startLayer)
              .putInt(endLayer)
              .array();
      try {
        sha = MessageDigest.getInstance("SHA-256");
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException(e);
      }
    }

    /** A uniform 63-bit value. */
    private long next63() {
      if (!block.hasRemaining()) {
        sha.update(prefix);
        sha.update(ByteBuffer.allocate(8).putLong(counter++).array());
        block = ByteBuffer.wrap(sha.digest());
      }
      return block.getLong() >>> 1;
    }

    /** Uniform in [0, n), n >= 1, by rejection (as java.util.Random#nextInt(bound) does). */
    long below(long n) {
      long u = next63();
      long r;
      while (u - (r = u % n) + (n - 1) < 0) {
        u = next63();
      }
      return r;
    }
  }
}
