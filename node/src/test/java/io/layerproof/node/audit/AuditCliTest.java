package io.layerproof.node.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.layerproof.chain.devnet.JsonRpcServer;
import io.layerproof.chain.event.TestEvents;
import io.layerproof.chain.ledger.EventLog;
import io.layerproof.chain.settlement.SettlementFixture;
import io.layerproof.node.audit.AuditWorld.PlayedJob;
import io.layerproof.node.audit.AuditWorld.Scenario;
import io.layerproof.node.cli.AuditCommand;
import io.layerproof.node.cli.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code layerproof audit job} through {@link Main}, against a ledger folder and the embedded chain
 * served over HTTP JSON-RPC with a devnet-style {@code deployment.json}.
 */
class AuditCliTest {

  private record Run(int code, String out, String err) {}

  private static Run run(String... args) {
    CommandLine cli = Main.commandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    int code = cli.execute(args);
    return new Run(code, out.toString(), err.toString());
  }

  private static void noStackTrace(Run r) {
    assertFalse(r.err().contains("\tat "), "no stack trace: " + r.err());
    assertFalse(r.out().contains("\tat "), "no stack trace: " + r.out());
  }

  @Test
  void helpExplainsTheCommandAndItsExitStatus() {
    Run audit = run("audit", "--help");
    assertEquals(0, audit.code());
    assertTrue(audit.out().contains("Usage: layerproof audit"), audit.out());
    assertTrue(audit.out().contains("job"), audit.out());
    Run job = run("audit", "job", "--help");
    assertEquals(0, job.code());
    for (String s :
        List.of("JOB_ID", "--ledger", "--rpc", "--data-dir", "--deployment", "--json")) {
      assertTrue(job.out().contains(s), s + " in " + job.out());
    }
    assertTrue(job.out().contains(AuditCommand.FAILED + " something failed to verify"), job.out());
    Run top = run("--help");
    assertTrue(top.out().contains("audit"), top.out());
  }

  @Test
  void auditsJobsOverJsonRpcAsTextAndJsonWithExitStatusAndClearErrors(@TempDir Path dir)
      throws Exception {
    Path ledgerDir = dir.resolve("ledger");
    Path dataDir = dir.resolve("devnet");
    Files.createDirectories(dataDir);
    try (AuditWorld w = new AuditWorld("cli", dir)) {
      PlayedJob honest = w.run(Scenario.honest());
      PlayedJob tampered =
          w.run(Scenario.honest().withChainRootOfShard0(SettlementFixture.h("not logged")));
      try (EventLog log = AuditWorld.ledger(ledgerDir, 4)) {
        w.append(log, honest.events());
        w.append(log, tampered.events());
        w.sealAndAnchor(log);
      } // the command opens the ledger itself
      new DeploymentFile(w.f.chainId, w.f.addresses).write(dataDir.resolve("deployment.json"));
      try (JsonRpcServer rpc = JsonRpcServer.start(w.f.chain, "127.0.0.1", 0)) {
        List<String> common =
            List.of(
                "--ledger",
                ledgerDir.toString(),
                "--rpc",
                rpc.url(),
                "--data-dir",
                dataDir.toString());

        // An honest job: exit 0, the JSON report.
        Run json = run(args("audit", "job", honest.id().toString(), "--json", common));
        assertEquals(0, json.code(), json.err() + json.out());
        JsonNode n = new ObjectMapper().readTree(json.out());
        assertEquals(honest.id().toString(), n.path("jobId").asText());
        assertTrue(n.path("passed").asBoolean());
        assertEquals("FINALIZED", n.path("chainStatus").asText());
        assertEquals(honest.events().size(), n.path("events").size());
        for (JsonNode e : n.path("events")) {
          assertTrue(e.path("chainProof").asBoolean(), e.toString());
        }
        assertEquals(
            honest.settledTx(), n.path("payments").path("settledBy").path("hash").asText());

        // The same as text, an upper-case id accepted.
        Run text =
            run(
                args(
                    "audit",
                    "job",
                    honest.id().toString().toUpperCase().replace("0X", "0x"),
                    common));
        assertEquals(0, text.code(), text.err());
        assertTrue(text.out().contains("Audit of job " + honest.id()), text.out());
        assertTrue(text.out().contains("Verdict: VERIFIED"), text.out());
        assertTrue(text.out().contains(w.buyer.getAddress().toLowerCase()), text.out());
        assertTrue(text.out().contains(honest.settledTx()), text.out());

        // A job whose chain commitment is not the ledger's: exit FAILED, the failure named.
        Run failed = run(args("audit", "job", tampered.id().toString(), common));
        assertEquals(AuditCommand.FAILED, failed.code(), failed.err() + failed.out());
        assertTrue(failed.out().contains("Verdict: FAILED (1)"), failed.out());
        assertTrue(
            failed.out().contains("  - commitment.0: the ledger commits to root"), failed.out());
        Run failedJson = run(args("audit", "job", tampered.id().toString(), "--json", common));
        assertEquals(AuditCommand.FAILED, failedJson.code());
        JsonNode f = new ObjectMapper().readTree(failedJson.out());
        assertFalse(f.path("passed").asBoolean());
        assertTrue(f.path("failures").get(0).asText().startsWith("commitment.0:"), f.toString());
        // The second job's payouts were claimed in the second epoch: those claims, not the first.
        JsonNode claims = f.path("payments").path("claims");
        assertEquals(3, claims.size(), claims.toString());
        for (JsonNode c : claims) {
          assertEquals(
              new java.math.BigInteger(c.path("amount").asText()).shiftLeft(1).toString(),
              c.path("cumulative").asText(),
              c.toString());
        }

        // Errors: one clear line, exit 1, no stack trace.
        Run badId = run(args("audit", "job", "0x1234", common));
        assertEquals(1, badId.code());
        assertTrue(badId.err().contains("not a job id: 0x1234"), badId.err());
        noStackTrace(badId);

        String unknownId = TestEvents.h("nobody posted this").toString();
        Run unknown = run(args("audit", "job", unknownId, common));
        assertEquals(1, unknown.code());
        assertTrue(unknown.err().contains("unknown job " + unknownId), unknown.err());
        noStackTrace(unknown);

        Run noLedger =
            run(
                "audit",
                "job",
                honest.id().toString(),
                "--ledger",
                dir.resolve("none").toString(),
                "--rpc",
                rpc.url(),
                "--data-dir",
                dataDir.toString());
        assertEquals(1, noLedger.code());
        assertTrue(noLedger.err().contains("no ledger at"), noLedger.err());
        assertFalse(Files.exists(dir.resolve("none")), "a missing ledger is not created");
        noStackTrace(noLedger);

        Run noDeployment =
            run(
                "audit",
                "job",
                honest.id().toString(),
                "--ledger",
                ledgerDir.toString(),
                "--rpc",
                rpc.url(),
                "--data-dir",
                dir.resolve("elsewhere").toString());
        assertEquals(1, noDeployment.code());
        assertTrue(noDeployment.err().contains("no deployment file at"), noDeployment.err());
        noStackTrace(noDeployment);

        Run unreachable =
            run(
                "audit",
                "job",
                honest.id().toString(),
                "--ledger",
                ledgerDir.toString(),
                "--rpc",
                "http://127.0.0.1:1",
                "--deployment",
                dataDir.resolve("deployment.json").toString());
        assertEquals(1, unreachable.code());
        assertTrue(
            unreachable.err().contains("cannot reach http://127.0.0.1:1"), unreachable.err());
        noStackTrace(unreachable);

        Run missingLedgerOption = run("audit", "job", honest.id().toString());
        assertEquals(2, missingLedgerOption.code(), "usage error");
        assertTrue(missingLedgerOption.err().contains("--ledger"), missingLedgerOption.err());
      }
    }
  }

  private static String[] args(String a, String b, String c, List<String> rest) {
    List<String> all = new ArrayList<>(List.of(a, b, c));
    all.addAll(rest);
    return all.toArray(String[]::new);
  }

  private static String[] args(String a, String b, String c, String d, List<String> rest) {
    List<String> all = new ArrayList<>(List.of(a, b, c, d));
    all.addAll(rest);
    return all.toArray(String[]::new);
  }
}
