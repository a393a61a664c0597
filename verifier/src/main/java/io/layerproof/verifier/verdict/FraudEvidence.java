package io.layerproof.verifier.verdict;

import io.layerproof.chain.event.Bytes32;
import io.layerproof.chain.event.NodeId;
import io.layerproof.verifier.reexec.Verdict;
import io.layerproof.verifier.reveal.RevealResponse;
import io.layerproof.verifier.reveal.SampleReveal;
import io.layerproof.verifier.sampling.Sample;
import io.layerproof.verifier.wire.RevealCodec;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What an accusation rests on: every verdict of the check and the provider's reveals of the failing
 * samples. Its hash is the {@code evidenceHash} of {@code FraudDetected} and of the EIP-712 {@code
 * FraudVerdict} every quorum member signs, so all of them vouch for the same bytes; a quorum member
 * recomputes it from the evidence it was handed before signing.
 *
 * <pre>
 * evidence = "layerproof/fraud-evidence/v1" || jobId(32) || u32 shardIndex || accused(32)
 *            || u32 n || (i32 position || i32 layer || u8 status || u64 maxErrorPpm)^n
 *            || u32 r || (u32 length || RevealCodec.encode(sampleReveal))^r
 * evidenceHash = keccak256(evidence)
 * </pre>
 *
 * Status codes: 0 pass, 1 mismatch, 2 bad proof, 3 boundary mismatch, 4 missing reveal; {@code
 * maxErrorPpm} as on the ledger ({@link LedgerVerdicts#maxErrorPpm}). A missing reveal has no
 * reveal to include: the verdict is the evidence, and the quorum asks the provider again.
 *
 * @param verdicts every verdict, in the order checked
 * @param reveals the provider's reveals of failing samples, at most one per sample
 */
public record FraudEvidence(
    Bytes32 jobId,
    int shardIndex,
    NodeId accused,
    List<Verdict> verdicts,
    List<SampleReveal> reveals) {

  private static final byte[] DOMAIN =
      "layerproof/fraud-evidence/v1".getBytes(StandardCharsets.US_ASCII);

  public FraudEvidence {
    if (jobId == null || accused == null) {
      throw new IllegalArgumentException("evidence names its job and the accused");
    }
    if (shardIndex < 0) {
      throw new IllegalArgumentException("negative shard index " + shardIndex);
    }
    verdicts = List.copyOf(verdicts);
    reveals = List.copyOf(reveals);
    Set<Sample> failing = new HashSet<>();
    for (Verdict v : verdicts) {
      if (!v.passed()) {
        failing.add(v.sample());
      }
    }
    if (failing.isEmpty()) {
      throw new IllegalArgumentException("no failing verdict: nothing to accuse");
    }
    Set<Sample> seen = new HashSet<>();
    for (SampleReveal r : reveals) {
      if (!failing.contains(r.sample())) {
        throw new IllegalArgumentException(
            "reveal of " + r.sample() + " is not of a failing sample");
      }
      if (!seen.add(r.sample())) {
        throw new IllegalArgumentException("two reveals of " + r.sample());
      }
    }
  }

  /**
   * The evidence for {@code verdicts}, taking each failing sample's reveal from the first of {@code
   * responses} that holds one (the responses of the check's rounds).
   */
  public static FraudEvidence of(
      Bytes32 jobId,
      int shardIndex,
      NodeId accused,
      List<Verdict> verdicts,
      List<RevealResponse> responses) {
    List<SampleReveal> reveals = new ArrayList<>();
    Set<Sample> taken = new HashSet<>();
    for (Verdict v : verdicts) {
      if (v.passed() || !taken.add(v.sample())) {
        continue;
      }
      for (RevealResponse r : responses) {
        Optional<SampleReveal> found = r.find(v.sample());
        if (found.isPresent()) {
          reveals.add(found.get());
          break;
        }
      }
    }
    return new FraudEvidence(jobId, shardIndex, accused, verdicts, reveals);
  }

  /** The canonical bytes (see the class comment). */
  public byte[] encode() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.write(DOMAIN);
      out.write(jobId.toByteArray());
      out.writeInt(shardIndex);
      out.write(accused.toByteArray());
      out.writeInt(verdicts.size());
      for (Verdict v : verdicts) {
        out.writeInt(v.sample().position());
        out.writeInt(v.sample().layer());
        out.writeByte(statusCode(v.status()));
        out.writeLong(LedgerVerdicts.maxErrorPpm(v));
      }
      out.writeInt(reveals.size());
      for (SampleReveal r : reveals) {
        byte[] encoded = RevealCodec.encode(r);
        out.writeInt(encoded.length);
        out.write(encoded);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  /** {@code keccak256(encode())}: the evidence hash of FraudDetected and FraudVerdict. */
  public Bytes32 hash() {
    return Bytes32.keccak(encode());
  }

  /** Stable codes, independent of the enum's declaration order. */
  static int statusCode(Verdict.Status status) {
    return switch (status) {
      case PASS -> 0;
      case MISMATCH -> 1;
      case BAD_PROOF -> 2;
      case BOUNDARY_MISMATCH -> 3;
      case MISSING_REVEAL -> 4;
    };
  }
}
