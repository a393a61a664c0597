package io.layerproof.node.cli;

import io.layerproof.chain.contracts.ChainConnection;
import io.layerproof.chain.event.Bytes32;
import io.layerproof.chain.ledger.EventLog;
import io.layerproof.node.audit.AuditReport;
import io.layerproof.node.audit.AuditReports;
import io.layerproof.node.audit.DeploymentFile;
import io.layerproof.node.audit.JobAuditor;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code layerproof audit}: checks what the ledger says against what the chain holds. */
@Command(
    name = "audit",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = "Audits jobs: the event ledger against the contracts on chain.",
    subcommands = {AuditCommand.Job.class})
public final class AuditCommand implements Runnable {

  /** Exit status when the audit ran and something failed to verify. */
  public static final int FAILED = 3;

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** {@code layerproof audit job <id>}. */
  @Command(
      name = "job",
      mixinStandardHelpOptions = true,
      versionProvider = VersionProvider.class,
      description = {
        "Audits one job: the buyer's signed request and its signer, the shard assignment, the"
            + " commitment roots, every ledger event's anchored batch and inclusion proof (checked"
            + " in Java and by LedgerAnchor.verifyInclusion), the verification samples and"
            + " verdicts, and the payouts, refunds, slashes and claims with their transactions.",
        "The ledger is opened read-only, so a running node may keep writing it; the audit sees"
            + " the ledger as it stood when the command started.",
        "Exit status: 0 every check passed (warnings, e.g. events not anchored yet, allowed),"
            + " "
            + FAILED
            + " something failed to verify, 1 error (unknown job, unreachable RPC, no ledger),"
            + " 2 bad usage."
      })
  static final class Job implements Callable<Integer> {

    @Spec picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(paramLabel = "JOB_ID", description = "The job id (0x and 64 hex digits).")
    String jobId;

    @Option(
        names = "--ledger",
        required = true,
        paramLabel = "DIR",
        description = "The node's event ledger folder (RocksDB).")
    Path ledger;

    @Mixin ChainOptions chain;

    @Option(
        names = "--from-block",
        paramLabel = "N",
        defaultValue = "0",
        description =
            "First block whose logs are read, e.g. the deployment's (default: ${DEFAULT-VALUE}).")
    long fromBlock;

    @Option(names = "--json", description = "Print the report as JSON.")
    boolean json;

    @Override
    public Integer call() {
      Bytes32 id = parseJobId(jobId);
      if (fromBlock < 0) {
        throw new IllegalArgumentException("--from-block must be >= 0");
      }
      if (!Files.isRegularFile(ledger.resolve("CURRENT"))) {
        throw new IllegalArgumentException("no ledger at " + ledger);
      }
      DeploymentFile d = chain.deploymentFile();
      try (ChainConnection rpc = ChainConnection.rpc(chain.rpc, d.chainId());
          EventLog log = EventLog.openReadOnly(ledger)) {
        AuditReport report =
            new JobAuditor(
                    log,
                    JobAuditor.readOnly(rpc.web3j(), rpc.chainId(), d.contracts()),
                    fromBlock,
                    JobAuditor.DEFAULT_LOG_BLOCK_CHUNK)
                .audit(id);
        PrintWriter out = spec.commandLine().getOut();
        out.print(json ? AuditReports.json(report) : AuditReports.text(report));
        out.flush();
        return report.passed() ? 0 : FAILED;
      }
    }

    private static Bytes32 parseJobId(String s) {
      try {
        return Bytes32.fromHex(s.toLowerCase(java.util.Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "not a job id: " + s + " (expected 0x followed by 64 hex digits)");
      }
    }
  }
}
