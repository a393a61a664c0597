package io.layerproof.benchmarks;

import io.layerproof.chain.contracts.LayerproofContracts;
import io.layerproof.chain.event.EnvelopeVerifier;
import io.layerproof.chain.event.VerifiedEvent;
import io.layerproof.chain.ledger.AnchorStatus;
import io.layerproof.chain.ledger.BatchPolicy;
import io.layerproof.chain.ledger.BatchRecord;
import io.layerproof.chain.ledger.EventLog;
import io.layerproof.chain.ledger.InclusionProof;
import io.layerproof.chain.ledger.anchor.AnchorFixture;
import io.layerproof.chain.ledger.anchor.AnchorOutcome;
import io.layerproof.chain.ledger.anchor.BatchAnchorer;
import io.layerproof.chain.ledger.anchor.ContractAnchorChain;
import io.layerproof.chain.ledger.anchor.RetryPolicy;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.web3j.protocol.core.methods.request.Transaction;

/**
 * Gas of anchoring one ledger batch against the batch's size, on the embedded chain: real batches
 * of signed events sealed by the log and anchored by {@link BatchAnchorer}. LedgerAnchor stores one
 * root per batch whatever the number of events, so the gas per batch should not move with the size
 * (only the eventCount argument's calldata bytes do) and the gas per event falls as 1/N. Also
 * prints what LedgerAnchor.verifyInclusion costs for the batch's last event (a view call; the gas
 * it would cost inside a transaction), which grows with log2(N).
 *
 * <p>Run: {@code java -cp benchmarks/target/benchmarks.jar io.layerproof.benchmarks.AnchorGasTable}
 */
public final class AnchorGasTable {

  private static final int[] SIZES = {1, 16, 256, 1024, 4096, 16384};

  public static void main(String[] args) throws IOException {
    Path dir = Files.createTempDirectory("anchor-gas");
    try (AnchorFixture fixture = AnchorFixture.start();
        EventLog log = EventLog.open(dir, new BatchPolicy(Integer.MAX_VALUE, Duration.ofDays(1)))) {
      LayerproofContracts sequencer = fixture.sequencer("gas-table");
      EnvelopeVerifier verifier = new EnvelopeVerifier(fixture.domain());
      List<byte[]> wires = Traffic.tokens(fixture.domain(), "gas-table", 1 + 2 * sum(SIZES));
      int cursor = 0;
      // Batch 0 of one event first: the first anchor also fills LedgerAnchor's sequencer cache
      // and has no previous root to read, so it is not representative.
      cursor = appendAndSeal(log, verifier, wires, cursor, 1);
      for (int round = 0; round < 2; round++) {
        for (int size : SIZES) {
          cursor = appendAndSeal(log, verifier, wires, cursor, size);
        }
      }
      BatchAnchorer anchorer =
          new BatchAnchorer(log, new ContractAnchorChain(sequencer), RetryPolicy.defaults());
      for (AnchorOutcome o : anchorer.anchorAll()) {
        if (!(o instanceof AnchorOutcome.Anchored)) {
          throw new IllegalStateException("not anchored: " + o);
        }
      }
      System.out.println(
          "| batch | events | anchor gas | gas per event | proof siblings | verifyInclusion gas |");
      System.out.println("|---:|---:|---:|---:|---:|---:|");
      for (long b = 0; b < log.batchCount(); b++) {
        BatchRecord batch = log.batch(b).orElseThrow();
        long gas = ((AnchorStatus.Anchored) log.anchorStatus(b)).gasUsed();
        InclusionProof proof = log.proveInclusion(batch.lastIndex());
        System.out.printf(
            "| %d%s | %d | %d | %.1f | %d | %s |%n",
            b,
            b == 0 ? " (first)" : "",
            batch.eventCount(),
            gas,
            (double) gas / batch.eventCount(),
            proof.siblings().size(),
            verifyGas(sequencer, proof));
      }
    }
  }

  private static int appendAndSeal(
      EventLog log, EnvelopeVerifier verifier, List<byte[]> wires, int from, int size) {
    for (int i = from; i < from + size; i += 1024) {
      List<VerifiedEvent> chunk =
          wires.subList(i, Math.min(from + size, i + 1024)).stream().map(verifier::verify).toList();
      log.appendAll(chunk);
    }
    log.sealThrough(log.head());
    return from + size;
  }

  private static BigInteger verifyGas(LayerproofContracts c, InclusionProof p) throws IOException {
    String data =
        c.anchor()
            .verifyInclusion(
                BigInteger.valueOf(p.batchIndex()), p.leaf().toByteArray(), p.siblingBytes())
            .encodeFunctionCall();
    return c.web3j()
        .ethEstimateGas(
            Transaction.createEthCallTransaction(c.account(), c.addresses().anchor(), data))
        .send()
        .getAmountUsed();
  }

  private static int sum(int[] values) {
    int s = 0;
    for (int v : values) {
      s += v;
    }
    return s;
  }
}
