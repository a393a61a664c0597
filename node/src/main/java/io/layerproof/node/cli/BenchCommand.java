package io.layerproof.node.cli;

import io.layerproof.node.bench.ChainBenchReport;
import io.layerproof.node.bench.GatewayBench;
import io.layerproof.node.bench.InferenceBenchOptions;
import io.layerproof.node.bench.InferenceBenchReport;
import io.layerproof.node.bench.VerifierBench;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code layerproof bench}: measurements printed side by side, for docs/benchmarks.md. */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = "Measures the node and prints figures and ratios taken side by side in one run.",
    subcommands = {
      BenchCommand.Chain.class,
      BenchCommand.Gateway.class,
      BenchCommand.Inference.class,
      BenchCommand.Verifier.class
    })
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

  /** {@code layerproof bench inference}: sharded against unsharded, commitments, Jlama. */
  @Command(
      name = "inference",
      mixinStandardHelpOptions = true,
      versionProvider = VersionProvider.class,
      description = {
        "Prefill and decode tokens/s of a model unsharded against a 2-shard pipeline, the cost of"
            + " layer commitments and the activation store, bytes stored per token, memory per"
            + " shard, and Jlama against Layerproof with 1 and 2 threads, in one run.",
        "Generates the devnet's default model first when --model names an empty folder."
      })
  static final class Inference implements Callable<Integer> {
    @Spec picocli.CommandLine.Model.CommandSpec spec;

    @Mixin BenchModelOption model;

    @Option(
        names = "--prompt-tokens",
        defaultValue = "128",
        description = "Default: ${DEFAULT-VALUE}.")
    int promptTokens;

    @Option(
        names = "--decode-tokens",
        defaultValue = "128",
        description = "Default: ${DEFAULT-VALUE}.")
    int decodeTokens;

    @Option(
        names = "--rounds",
        defaultValue = "5",
        description = "Interleaved rounds; medians are reported (default: ${DEFAULT-VALUE}).")
    int rounds;

    @Option(
        names = "--threads",
        defaultValue = "1",
        description = "PyTorch threads for the Layerproof rows (default: ${DEFAULT-VALUE}).")
    int threads;

    @Option(names = "--no-jlama", description = "Skip the Jlama comparison.")
    boolean noJlama;

    @Override
    public Integer call() throws Exception {
      Path dir = model.dir();
      InferenceBenchReport.run(
          new InferenceBenchOptions(dir, promptTokens, decodeTokens, rounds, threads, !noJlama),
          spec.commandLine().getOut());
      return 0;
    }
  }

  /** {@code layerproof bench verifier}: verification cost against the job, detection rates. */
  @Command(
      name = "verifier",
      mixinStandardHelpOptions = true,
      versionProvider = VersionProvider.class,
      description = {
        "What verifying a job at the default sampling rate costs against the job's own inference,"
            + " and how often each cheating mode is caught for several sample counts, in one run.",
        "Generates the devnet's default model first when --model names an empty folder."
      })
  static final class Verifier implements Callable<Integer> {
    @Spec picocli.CommandLine.Model.CommandSpec spec;

    @Mixin BenchModelOption model;

    @Option(
        names = "--prompt-tokens",
        defaultValue = "128",
        description = "Default: ${DEFAULT-VALUE}.")
    int promptTokens;

    @Option(
        names = "--new-tokens",
        defaultValue = "128",
        description = "Default: ${DEFAULT-VALUE}.")
    int newTokens;

    @Option(
        names = "--rounds",
        defaultValue = "5",
        description = "Cost rounds; medians are reported (default: ${DEFAULT-VALUE}).")
    int rounds;

    @Option(
        names = "--trials",
        defaultValue = "40",
        description = "Sample draws per detection cell (default: ${DEFAULT-VALUE}).")
    int trials;

    @Option(
        names = "--samples",
        split = ",",
        defaultValue = "1,4,16,44",
        description = "Sample counts for the detection table (default: ${DEFAULT-VALUE}).")
    int[] samples;

    @Override
    public Integer call() throws Exception {
      if (rounds > 100 || trials > 10_000 || promptTokens > 4096 || newTokens > 4096) {
        throw new IllegalArgumentException(
            "--rounds <= 100, --trials <= 10000, --prompt-tokens and --new-tokens <= 4096");
      }
      for (int m : samples) {
        if (m < 1 || m > 64) {
          throw new IllegalArgumentException("--samples must be 1..64 each");
        }
      }
      Path dir = model.dir();
      VerifierBench.run(
          new VerifierBench.Options(dir, promptTokens, newTokens, rounds, trials, samples),
          spec.commandLine().getOut());
      return 0;
    }
  }

  /** {@code layerproof bench gateway}: authentication cost and streaming through the gateway. */
  @Command(
      name = "gateway",
      mixinStandardHelpOptions = true,
      versionProvider = VersionProvider.class,
      description = {
        "Signature verification and session-key lookup per request (microseconds), and"
            + " first-token latency and tokens/s of a streamed completion through the gateway"
            + " over HTTP (SSE) against the same backend called in-process, in one run.",
        "Generates the devnet's default model first when --model names an empty folder."
      })
  static final class Gateway implements Callable<Integer> {
    @Spec picocli.CommandLine.Model.CommandSpec spec;

    @Mixin BenchModelOption model;

    @Option(
        names = "--iterations",
        defaultValue = "2000",
        description = "Iterations per authentication figure (default: ${DEFAULT-VALUE}).")
    int iterations;

    @Option(
        names = "--rounds",
        defaultValue = "5",
        description = "Streamed rounds; medians are reported (default: ${DEFAULT-VALUE}).")
    int rounds;

    @Option(
        names = "--max-tokens",
        defaultValue = "64",
        description = "max_tokens of the streamed completion (default: ${DEFAULT-VALUE}).")
    int maxTokens;

    @Override
    public Integer call() throws Exception {
      if (iterations < 1
          || iterations > 1_000_000
          || rounds < 1
          || rounds > 100
          || maxTokens < 1
          || maxTokens > 4096) {
        throw new IllegalArgumentException(
            "--iterations must be 1..1000000, --rounds 1..100 and --max-tokens 1..4096");
      }
      Path dir = model.dir();
      GatewayBench.run(
          new GatewayBench.Options(dir, iterations, rounds, maxTokens),
          spec.commandLine().getOut());
      return 0;
    }
  }
}
