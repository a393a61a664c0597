package io.layerproof.node.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.layerproof.chain.event.Bytes32;
import io.layerproof.chain.event.EventSigner;
import io.layerproof.chain.event.TestEvents;
import io.layerproof.chain.event.TokenStreamed;
import io.layerproof.chain.ledger.BatchRecord;
import io.layerproof.chain.ledger.EventLog;
import io.layerproof.chain.ledger.anchor.AnchorOutcome;
import io.layerproof.chain.settlement.SettlementFixture;
import io.layerproof.node.audit.AuditReport.Event;
import io.layerproof.node.audit.AuditReport.Movement;
import io.layerproof.node.audit.AuditReport.Status;
import io.layerproof.node.audit.AuditWorld.PlayedJob;
import io.layerproof.node.audit.AuditWorld.Scenario;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.crypto.Credentials;
import org.web3j.utils.Numeric;

/**
 * Audits of jobs played on the embedded chain whose events sit in real RocksDB ledgers with batches
 * anchored in LedgerAnchor: an honest job verifies; each kind of disagreement between the ledger
 * and the chain, and a proven fraud, fails the audit with a check that names it.
 */
class AuditJobTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final BigInteger BPS = BigInteger.valueOf(10_000);

  @TempDir Path dir;

  @Test
  void anHonestAnchoredSettledJobVerifiesAndTheJsonNamesEveryFact() throws Exception {
    try (AuditWorld w = new AuditWorld("honest", dir);
        EventLog log = AuditWorld.ledger(dir.resolve("ledger"), 4)) {
      PlayedJob job = w.run(Scenario.honest());
      w.append(log, job.events());
      List<AnchorOutcome> anchored = w.sealAndAnchor(log);
      assertEquals(3, anchored.size(), "10 events in batches of 4");
      anchored.forEach(o -> assertInstanceOf(AnchorOutcome.Anchored.class, o));

      AuditReport r = new JobAuditor(log, w.reader()).audit(job.id());
      assertTrue(r.passed(), r.failures().toString());
      assertEquals(List.of(), r.warnings());
      r.checks().forEach(c -> assertEquals(Status.PASS, c.status(), c.toString()));

      JsonNode n = JSON.readTree(AuditReports.json(r));
      assertEquals(job.id().toString(), n.path("jobId").asText());
      assertTrue(n.path("passed").asBoolean());
      assertEquals(0, n.path("failures").size());
      assertEquals("FINALIZED", n.path("chainStatus").asText());
      assertEquals(w.f.chainId, n.path("deployment").path("chainId").asLong());
      assertEquals(
          w.f.addresses.anchor().toLowerCase(), n.path("deployment").path("anchor").asText());

      // The request: its digest is the job id, signed by the buyer JobMarket holds.
      JsonNode q = n.path("request");
      String buyer = w.buyer.getAddress().toLowerCase();
      assertEquals(job.id().toString(), q.path("digest").asText());
      assertTrue(q.path("digestIsJobId").asBoolean());
      assertEquals(buyer, q.path("signer").asText());
      assertEquals(buyer, q.path("ledgerBuyer").asText());
      assertEquals(buyer, q.path("chainBuyer").asText());
      assertEquals(job.openTx(), q.path("opened").path("hash").asText());
      assertEquals(w.sequencer.hex(), q.path("sequencer").asText());
      assertEquals(AuditWorld.MAX_PRICE.toString(), q.path("maxPrice").asText());
      assertEquals(0, q.path("ledgerIndex").asLong());

      // The assignment: ledger node ids linked to chain accounts through the registry.
      JsonNode a = n.path("assignment");
      List<AuditWorld.Party> providers = List.of(w.providerA, w.providerB);
      for (int i = 0; i < 2; i++) {
        JsonNode s = a.path("shards").get(i);
        assertEquals(providers.get(i).key().id().toString(), s.path("ledgerProvider").asText());
        assertEquals(providers.get(i).hex(), s.path("chainProvider").asText());
        assertEquals(providers.get(i).key().id().toString(), s.path("chainProviderNode").asText());
        assertEquals(AuditWorld.BOUNDS[i], s.path("chainStartLayer").asInt());
        assertEquals(AuditWorld.BOUNDS[i + 1], s.path("ledgerEndLayer").asInt());
        assertEquals("PASS", s.path("status").asText());
      }
      assertEquals(w.jobVerifier.key().id().toString(), a.path("ledgerVerifier").asText());
      assertEquals(w.jobVerifier.hex(), a.path("chainVerifier").asText());
      assertEquals("PASS", a.path("verifierStatus").asText());

      // The commitments: the same root on the ledger and on chain, with the posting transaction.
      byte[][] roots = {job.ledgerRoot0(), job.ledgerRoot1()};
      for (int i = 0; i < 2; i++) {
        JsonNode c = n.path("commitments").get(i);
        assertEquals(Numeric.toHexString(roots[i]), c.path("ledgerRoot").asText());
        assertEquals(Numeric.toHexString(roots[i]), c.path("chainRoot").asText());
        assertEquals(job.commitTxs().get(i), c.path("posted").path("hash").asText());
        assertEquals(String.valueOf(AuditWorld.workUnits(i)), c.path("chainWorkUnits").asText());
        assertEquals(providers.get(i).key().id().toString(), c.path("author").asText());
        assertEquals("PASS", c.path("status").asText());
      }

      // Every event: its batch, anchored, proven in Java and by LedgerAnchor.
      JsonNode events = n.path("events");
      assertEquals(job.events().size(), events.size());
      for (int i = 0; i < events.size(); i++) {
        JsonNode e = events.get(i);
        assertEquals(i, e.path("index").asLong());
        assertEquals(job.events().get(i).event().type(), e.path("type").asText());
        assertEquals(i / 4, e.path("batch").asLong());
        assertTrue(e.path("anchored").asBoolean());
        assertTrue(e.path("signatureValid").asBoolean());
        assertTrue(e.path("javaProof").asBoolean());
        assertTrue(e.path("chainProof").asBoolean());
        assertEquals("PASS", e.path("status").asText());
      }
      JsonNode batches = n.path("batches");
      assertEquals(3, batches.size());
      for (int b = 0; b < 3; b++) {
        AnchorOutcome.Anchored o = (AnchorOutcome.Anchored) anchored.get(b);
        JsonNode row = batches.get(b);
        assertEquals(o.batch().root().toString(), row.path("ledgerRoot").asText());
        assertEquals(o.batch().root().toString(), row.path("chainRoot").asText());
        assertEquals(o.receipt().txHash().toString(), row.path("anchoredBy").path("hash").asText());
        assertEquals(o.receipt().blockNumber(), row.path("anchoredBy").path("block").asLong());
        assertEquals(o.batch().eventCount(), row.path("chainEventCount").asLong());
      }

      // Verification: both shards passed, with their samples.
      JsonNode v = n.path("verification");
      assertEquals(2, v.size());
      for (int i = 0; i < 2; i++) {
        assertEquals(i, v.get(i).path("shard").asInt());
        assertEquals("PASSED", v.get(i).path("kind").asText());
        assertEquals(w.jobVerifier.key().id().toString(), v.get(i).path("author").asText());
        assertEquals(2, v.get(i).path("samples").size());
      }
      assertEquals(5, v.get(1).path("samples").get(0).path("layer").asInt());

      // Payments, to the wei from the market's parameters: cost = unit price x work units, the
      // verifier's fee, the rest split by work units, the unspent price refunded.
      BigInteger units = BigInteger.valueOf(AuditWorld.workUnits(0) + AuditWorld.workUnits(1));
      BigInteger cost = w.f.params.unitPrice().multiply(units);
      BigInteger fee = cost.multiply(BigInteger.valueOf(w.f.params.verifierFeeBps())).divide(BPS);
      BigInteger each = cost.subtract(fee).divide(BigInteger.TWO);
      JsonNode p = n.path("payments");
      assertEquals("FINALIZED", p.path("outcome").asText());
      assertEquals(job.settledTx(), p.path("settledBy").path("hash").asText());
      assertEquals(cost.toString(), p.path("cost").asText());
      assertEquals(fee.toString(), p.path("verifierFee").asText());
      assertEquals(AuditWorld.MAX_PRICE.subtract(cost).toString(), p.path("refund").asText());
      Map<String, String> moved = new HashMap<>();
      for (JsonNode m : p.path("movements")) {
        moved.put(
            m.path("kind").asText() + " " + m.path("account").asText(), m.path("amount").asText());
        assertEquals(job.settledTx(), m.path("tx").path("hash").asText(), m.toString());
      }
      assertEquals(
          Map.of(
              "PROVIDER " + w.providerA.hex(), each.toString(),
              "PROVIDER " + w.providerB.hex(), each.toString(),
              "VERIFIER " + w.jobVerifier.hex(), fee.toString(),
              "REFUND " + buyer, AuditWorld.MAX_PRICE.subtract(cost).toString()),
          moved);
      Map<String, String> claimed = new HashMap<>();
      for (JsonNode c : p.path("claims")) {
        claimed.put(c.path("account").asText(), c.path("amount").asText());
        assertTrue(c.path("tx").path("hash").asText().matches("0x[0-9a-f]{64}"), c.toString());
      }
      assertEquals(
          Map.of(
              w.providerA.hex(), each.toString(),
              w.providerB.hex(), each.toString(),
              w.jobVerifier.hex(), fee.toString()),
          claimed);
      assertEquals(0, p.path("unclaimed").size());
      assertEquals(9, p.path("ledger").path("ledgerIndex").asLong());
      assertEquals(
          AuditWorld.MAX_PRICE.subtract(cost).toString(), p.path("ledger").path("refund").asText());

      // Logs read a few blocks per query (as against a node that caps the range): same report.
      assertEquals(r, new JobAuditor(log, w.reader(), 0, 7).audit(job.id()));

      // The JSON reads back to the same report; the text says the same.
      assertEquals(r, AuditReports.fromJson(AuditReports.json(r)));
      String text = AuditReports.text(r);
      assertTrue(text.contains("Verdict: VERIFIED"), text);
      assertTrue(text.contains(job.settledTx()), text);

      // A job nobody knows is an error, not a report.
      Bytes32 unknown = TestEvents.h("no such job");
      UnknownJobException e =
          assertThrows(
              UnknownJobException.class, () -> new JobAuditor(log, w.reader()).audit(unknown));
      assertTrue(e.getMessage().contains(unknown.toString()), e.getMessage());
    }
  }

  @Test
  void eventsNotAnchoredYetAreWarningsUntilTheirBatchesAreAnchored() {
    try (AuditWorld w = new AuditWorld("pending", dir);
        EventLog log = AuditWorld.ledger(dir.resolve("ledger"), 4)) {
      PlayedJob job = w.run(Scenario.honest());
      w.append(log, job.events()); // batches 0 and 1 sealed, events 8 and 9 still open
      assertInstanceOf(AnchorOutcome.Anchored.class, w.anchorer(log).anchorNext()); // batch 0 only

      AuditReport r = new JobAuditor(log, w.reader()).audit(job.id());
      assertTrue(r.passed(), r.failures().toString());
      assertEquals(1, r.warnings().size(), r.warnings().toString());
      assertTrue(
          r.warnings().get(0).startsWith("events.anchoring: 6 of 10 events are not anchored yet"),
          r.warnings().toString());
      for (Event e : r.events()) {
        if (e.index() < 4) {
          assertEquals(Status.PASS, e.status(), e.toString());
          assertEquals(Boolean.TRUE, e.chainProof());
        } else {
          assertEquals(Status.WARN, e.status(), e.toString());
          assertFalse(e.anchored());
          assertNull(e.chainProof(), "LedgerAnchor cannot check a batch it does not hold");
          assertEquals(e.index() < 8 ? Long.valueOf(1) : null, e.batch(), e.toString());
        }
      }
      assertEquals(2, r.batches().size());
      assertEquals(Status.WARN, r.batches().get(1).status());
      assertNull(r.batches().get(1).anchoredBy());

      // Anchoring the rest turns every warning into a proof.
      w.sealAndAnchor(log);
      AuditReport later = new JobAuditor(log, w.reader()).audit(job.id());
      assertTrue(later.passed(), later.failures().toString());
      assertEquals(List.of(), later.warnings());
      later.events().forEach(e -> assertEquals(Boolean.TRUE, e.chainProof(), e.toString()));
    }
  }

  @Test
  void aCommitmentRootOnChainThatIsNotTheLedgersFails() {
    try (AuditWorld w = new AuditWorld("root", dir);
        EventLog log = AuditWorld.ledger(dir.resolve("ledger"), 4)) {
      byte[] other = SettlementFixture.h("a root the provider never logged");
      PlayedJob job = w.run(Scenario.honest().withChainRootOfShard0(other));
      w.append(log, job.events());
      w.sealAndAnchor(log);

      AuditReport r = new JobAuditor(log, w.reader()).audit(job.id());
      assertFalse(r.passed());
      assertEquals(1, r.failures().size(), r.failures().toString());
      String failure = r.failures().get(0);
      assertTrue(failure.startsWith("commitment.0: the ledger commits to root "), failure);
      assertTrue(failure.contains(Numeric.toHexString(job.ledgerRoot0())), failure);
      assertTrue(failure.contains("JobMarket holds root " + Numeric.toHexString(other)), failure);
      assertTrue(failure.contains(job.commitTxs().get(0)), failure);
      assertEquals(Status.FAIL, r.commitments().get(0).status());
      assertEquals(Numeric.toHexString(other), r.commitments().get(0).chainRoot());
      assertEquals(Status.PASS, r.commitments().get(1).status());
    }
  }

  @Test
  void aLedgerWhoseBatchIsNotTheAnchoredOneFailsThatBatchsEventsInJavaAndOnChain() {
    try (AuditWorld w = new AuditWorld("history", dir);
        EventLog anchoredHistory = AuditWorld.ledger(dir.resolve("anchored"), 4);
        EventLog audited = AuditWorld.ledger(dir.resolve("audited"), 4)) {
      PlayedJob job = w.run(Scenario.honest());
      w.append(anchoredHistory, job.events());
      w.append(audited, job.events());
      // One more event after the job's: the two ledgers differ only there, in the last batch.
      EventSigner other = new EventSigner(TestEvents.nodeKey("history/other"), w.domain, 0);
      Bytes32 otherJob = TestEvents.h("another job");
      w.append(anchoredHistory, List.of(other.sign(new TokenStreamed(otherJob, 0, 7))));
      EventSigner other2 = new EventSigner(TestEvents.nodeKey("history/other"), w.domain, 0);
      w.append(audited, List.of(other2.sign(new TokenStreamed(otherJob, 0, 8))));
      assertEquals(3, w.sealAndAnchor(anchoredHistory).size());
      audited.seal();
      BatchRecord last = audited.batch(2).orElseThrow();
      assertEquals(8, last.firstIndex());
      assertFalse(last.root().equals(anchoredHistory.batch(2).orElseThrow().root()));
      assertEquals(
          anchoredHistory.batch(1).orElseThrow().root(), audited.batch(1).orElseThrow().root());

      AuditReport r = new JobAuditor(audited, w.reader()).audit(job.id());
      assertFalse(r.passed());
      List<String> expected = new ArrayList<>();
      expected.add("batch.2");
      expected.add("event.8");
      expected.add("event.9");
      List<String> named = r.failures().stream().map(f -> f.substring(0, f.indexOf(':'))).toList();
      assertEquals(expected, named, r.failures().toString());
      String batchFailure = r.failures().get(0);
      assertTrue(batchFailure.contains("the ledger is not the anchored history"), batchFailure);
      assertTrue(batchFailure.contains(last.root().toString()), batchFailure);
      for (Event e : r.events()) {
        boolean tampered = e.index() >= 8;
        assertTrue(e.anchored(), e.toString());
        assertEquals(!tampered, e.javaProof(), e.toString());
        assertEquals(!tampered, e.chainProof(), "LedgerAnchor.verifyInclusion: " + e);
        assertEquals(tampered ? Status.FAIL : Status.PASS, e.status(), e.toString());
      }
      assertEquals(Status.FAIL, r.batches().get(2).status());
      assertEquals("pending", r.batches().get(2).ledgerStatus());
      assertEquals(
          anchoredHistory.batch(2).orElseThrow().root().toString(), r.batches().get(2).chainRoot());

      // The anchored history itself verifies.
      assertTrue(new JobAuditor(anchoredHistory, w.reader()).audit(job.id()).passed());
    }
  }

  @Test
  void aJobPostedSignedByAnotherWalletThanTheChainsBuyerFails() {
    try (AuditWorld w = new AuditWorld("signer", dir);
        EventLog log = AuditWorld.ledger(dir.resolve("ledger"), 4)) {
      // Mallory signs the same request (same digest, same job id) and the ledger names her.
      Credentials mallory = TestEvents.buyer("mallory");
      PlayedJob job = w.run(Scenario.honest().withLedgerRequestSignedBy(mallory));
      w.append(log, job.events());
      w.sealAndAnchor(log);

      AuditReport r = new JobAuditor(log, w.reader()).audit(job.id());
      assertFalse(r.passed());
      assertEquals(1, r.failures().size(), r.failures().toString());
      String failure = r.failures().get(0);
      String malloryAddress = mallory.getAddress().toLowerCase();
      String buyer = w.buyer.getAddress().toLowerCase();
      assertEquals(
          "request.buyer: the request on the ledger was signed by "
              + malloryAddress
              + ", JobMarket's buyer of the job is "
              + buyer,
          failure);
      assertEquals(malloryAddress, r.request().signer());
      assertEquals(buyer, r.request().chainBuyer());
      assertTrue(r.request().digestIsJobId());
    }
  }

  @Test
  void shardsPlacedOnOtherProvidersOnChainFail() {
    try (AuditWorld w = new AuditWorld("swap", dir);
        EventLog log = AuditWorld.ledger(dir.resolve("ledger"), 4)) {
      PlayedJob job = w.run(Scenario.honest().withProvidersSwappedOnChain());
      w.append(log, job.events());
      w.sealAndAnchor(log);

      AuditReport r = new JobAuditor(log, w.reader()).audit(job.id());
      assertFalse(r.passed());
      List<String> named = r.failures().stream().map(f -> f.substring(0, f.indexOf(':'))).toList();
      assertEquals(List.of("shard.0", "shard.1"), named, r.failures().toString());
      assertTrue(r.failures().get(0).contains(w.providerB.hex()), r.failures().get(0));
      assertEquals(
          w.providerA.key().id().toString(), r.assignment().shards().get(0).ledgerProvider());
      assertEquals(w.providerB.hex(), r.assignment().shards().get(0).chainProvider());
    }
  }

  @Test
  void aProvenFraudFailsTheAuditAndReportsTheSlashRefundAndRewardsWithTransactions() {
    try (AuditWorld w = new AuditWorld("fraud", dir);
        EventLog log = AuditWorld.ledger(dir.resolve("ledger"), 4)) {
      PlayedJob job = w.run(Scenario.honest().withFraud());
      w.append(log, job.events());
      w.sealAndAnchor(log);

      AuditReport r = new JobAuditor(log, w.reader()).audit(job.id());
      assertFalse(r.passed());
      assertEquals("FRAUD", r.chainStatus());
      assertEquals(1, r.failures().size(), r.failures().toString());
      String failure = r.failures().get(0);
      assertTrue(failure.startsWith("verification.1: fraud: FraudDetected"), failure);
      assertTrue(failure.contains("2 of 3 samples failed"), failure);
      assertTrue(failure.contains("proven on chain in tx " + job.settledTx()), failure);
      assertTrue(failure.contains("provider " + w.providerB.hex()), failure);
      Map<String, Status> byName = new HashMap<>();
      r.checks().forEach(c -> byName.put(c.name(), c.status()));
      assertEquals(Status.PASS, byName.get("fraud.1"), "the chain proved the ledger's accusation");
      assertEquals(Status.PASS, byName.get("settlement.chain"));
      assertEquals(Status.PASS, byName.get("settlement.ledger"));
      assertEquals(Status.PASS, byName.get("verification.0"));

      AuditReport.Verification fraud = r.verification().get(1);
      assertEquals("FRAUD", fraud.kind());
      assertEquals(job.evidence().toString(), fraud.evidenceHash());
      assertEquals(w.providerB.key().id().toString(), fraud.accused());
      assertEquals(
          2, fraud.samples().stream().filter(s -> Boolean.FALSE.equals(s.matched())).count());

      // From the market's parameters: slashBps of the bond, challengerRewardBps of it split
      // between the two signers, the rest to the treasury, the whole price back to the buyer.
      BigInteger slash =
          w.f.params.minStake().multiply(BigInteger.valueOf(w.f.params.slashBps())).divide(BPS);
      BigInteger each =
          slash
              .multiply(BigInteger.valueOf(w.f.params.challengerRewardBps()))
              .divide(BPS)
              .divide(BigInteger.TWO);
      BigInteger treasury = slash.subtract(each.multiply(BigInteger.TWO));
      AuditReport.Payments p = r.payments();
      assertEquals("FRAUD", p.outcome());
      assertEquals(job.settledTx(), p.settledBy().hash());
      assertEquals(AuditWorld.MAX_PRICE.toString(), p.refund());
      assertEquals("0", p.cost());
      assertEquals(
          String.valueOf(AuditWorld.workUnits(0) + AuditWorld.workUnits(1)), p.totalWorkUnits());
      Map<String, String> moved = new HashMap<>();
      for (Movement m : p.movements()) {
        moved.put(m.kind() + " " + m.account(), m.amount());
        assertEquals(job.settledTx(), m.tx().hash(), m.toString());
      }
      assertEquals(
          Map.of(
              "SLASH " + w.providerB.hex(),
              slash.toString(),
              "CHALLENGER " + w.jobVerifier.hex(),
              each.toString(),
              "CHALLENGER " + w.secondVerifier.hex(),
              each.toString(),
              "TREASURY null",
              treasury.toString(),
              "REFUND " + w.buyer.getAddress().toLowerCase(),
              AuditWorld.MAX_PRICE.toString()),
          moved);
      Map<String, String> claimed = new HashMap<>();
      for (AuditReport.Claim c : p.claims()) {
        claimed.put(c.account(), c.amount());
        assertNotNull(c.tx());
      }
      assertEquals(
          Map.of(w.jobVerifier.hex(), each.toString(), w.secondVerifier.hex(), each.toString()),
          claimed);
      assertNotNull(p.ledger());
      assertEquals(List.of(), p.ledger().payouts());
      assertEquals(AuditWorld.MAX_PRICE.toString(), p.ledger().refund());
      String text = AuditReports.text(r);
      assertTrue(text.contains("Verdict: FAILED (1)"), text);
      assertTrue(text.contains("SLASH"), text);
    }
  }
}
