package io.layerproof.node.cli;

import io.layerproof.node.bench.ChainBenchReport;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code layerproof bench}: measurements printed side by side, for docs/benchmarks.md. */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = "Measures the node and prints figures and ratios taken side by side in one run.",
    subcommands = {BenchCommand.Chain.class})
public final class BenchCommand implements Runnable {

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** {@code layerproof bench chain}: gas per contract operation and transfer throughput. */
  @Command(
      name = "chain",
      mixinStandardHelpOptions = true,
      versionProvider = VersionProvider.class,
      description = {
        "Gas per contract operation on the embedded chain and on anvil, and signed transfers per"
            + " second with receipts: embedded (in-process and over HTTP) against anvil over HTTP.",
        "Needs anvil from `npm ci --prefix contracts`."
      })
  static final class Chain implements Callable<Integer> {
    @Spec picocli.CommandLine.Model.CommandSpec spec;

    @Option(
        names = "--transfers",
        defaultValue = "500",
        description = "Transfers per round (default: ${DEFAULT-VALUE}).")
    int transfers;

    @Option(
        names = "--rounds",
        defaultValue = "5",
        description = "Rounds per chain; the median is reported (default: ${DEFAULT-VALUE}).")
    int rounds;

    @Override
    public Integer call() throws Exception {
      if (transfers < 1 || transfers > 100_000 || rounds < 1 || rounds > 100) {
        throw new IllegalArgumentException("--transfers must be 1..100000 and --rounds 1..100");
      }
      PrintWriter out = spec.commandLine().getOut();
      ChainBenchReport.run(transfers, rounds, out);
      return 0;
    }
  }
}
