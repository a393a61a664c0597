package io.layerproof.verifier.commit;

import io.layerproof.inference.hook.Activation;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import org.web3j.crypto.Hash;

/**
 * Leaves of the commitment tree.
 *
 * <pre>
 * leaf = keccak256(keccak256(tag || u16 len(job) || job || i32 position || i32 layer
 *                            || u8 dtype || u8 rank || i32 dims... || sha256(data)))
 * </pre>
 *
 * <p>The tag separates activation leaves, boundary leaves and any other tree's leaves (ledger
 * events); binding the element type and shape means reinterpreted bytes never match. The bulk data
 * goes through SHA-256, which the JVM runs with CPU instructions; the small envelope is hashed the
 * way OpenZeppelin's {@code StandardMerkleTree} does (keccak twice, so no leaf can pass for an
 * inner node), because the tree is {@code io.layerproof.chain.merkle.MerkleTree} and a proof can
 * then be checked by {@code MerkleProof.verify} on chain if a dispute gets there.
 */
public final class ActivationLeaf {

  static final byte[] ACTIVATION_TAG = "layerproof/activation/v1".getBytes(StandardCharsets.UTF_8);
  static final byte[] BOUNDARY_TAG = "layerproof/boundary/v1".getBytes(StandardCharsets.UTF_8);

  private ActivationLeaf() {}

  /** The leaf of layer {@code layer}'s output at token {@code position} of {@code jobId}. */
  public static byte[] of(String jobId, int position, int layer, Activation a) {
    return leaf(ACTIVATION_TAG, jobId, position, layer, a);
  }

  /**
   * The leaf of a frame crossing a shard boundary: the sender hashes what it sends and the receiver
   * what it got, so equal leaves mean equal bytes on both sides.
   */
  public static byte[] boundary(String jobId, int startPosition, Activation frame) {
    return leaf(BOUNDARY_TAG, jobId, startPosition, -1, frame);
  }

  private static byte[] leaf(byte[] tag, String jobId, int position, int layer, Activation a) {
    byte[] job = jobId.getBytes(StandardCharsets.UTF_8);
    if (job.length > 0xffff) {
      throw new IllegalArgumentException("job id longer than 65535 bytes");
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(96 + job.length);
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.write(tag);
      out.writeShort(job.length);
      out.write(job);
      out.writeInt(position);
      out.writeInt(layer);
      out.writeByte(a.dtype().code());
      int[] shape = a.shape();
      out.writeByte(shape.length);
      for (int d : shape) {
        out.writeInt(d);
      }
      out.write(sha256(a.data()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return Hash.sha3(Hash.sha3(bytes.toByteArray()));
  }

  static byte[] sha256(byte[] data) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(data);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
