package io.layerproof.node.bench;

import java.io.PrintWriter;
import java.math.BigInteger;

/** Runs the chain measurements and prints them as Markdown tables for docs/benchmarks.md. */
public final class ChainBenchReport {

  private ChainBenchReport() {}

  public static void run(int transfers, int rounds, PrintWriter out) throws Exception {
    out.printf(
        "Signed transfers with receipts: %d per round, %d rounds, rounds interleaved%n",
        transfers, rounds);
    ChainBench.Result r = ChainBench.run(transfers, rounds, out);
    double anvil = r.median("anvil (HTTP JSON-RPC)");
    out.println();
    out.println("| chain | median transfers/s | vs anvil |");
    out.println("|---|---:|---:|");
    for (String chain : r.perRound().keySet()) {
      double m = r.median(chain);
      out.printf("| %s | %.0f | %.1fx |%n", chain, m, m / anvil);
    }
    out.println();
    out.println("| operation | gas, embedded | gas, anvil |");
    out.println("|---|---:|---:|");
    for (var e : r.gasEmbedded().entrySet()) {
      BigInteger anvilGas = r.gasAnvil().get(e.getKey());
      out.printf(
          "| %s | %,d | %s |%n",
          e.getKey(), e.getValue(), anvilGas == null ? "-" : String.format("%,d", anvilGas));
    }
    out.flush();
  }
}
