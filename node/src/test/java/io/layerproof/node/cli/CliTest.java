package io.layerproof.node.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class CliTest {

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

  @Test
  void everyCommandHasHelp() {
    for (String[] args :
        new String[][] {
          {"--help"},
          {"devnet", "--help"},
          {"bench", "--help"},
          {"bench", "chain", "--help"},
          {"bench", "gateway", "--help"},
          {"bench", "inference", "--help"},
          {"bench", "verifier", "--help"},
          {"audit", "--help"},
          {"audit", "job", "--help"},
          {"wallet", "--help"},
          {"wallet", "new", "--help"},
          {"wallet", "import", "--help"},
          {"wallet", "address", "--help"},
          {"wallet", "balance", "--help"},
          {"wallet", "deposit", "--help"},
          {"wallet", "withdraw", "--help"},
          {"wallet", "chat", "--help"}
        }) {
      Run r = run(args);
      assertEquals(0, r.code(), String.join(" ", args));
      assertTrue(r.out().contains("Usage:"), r.out());
    }
  }

  @Test
  void benchVerifierRefusesBadSettingsWithAClearMessage() {
    Run r = run("bench", "verifier", "--samples", "0,4");
    assertTrue(r.code() != 0, r.out());
    assertTrue(r.err().contains("--samples must be 1..64"), r.err());
    assertTrue(!r.err().contains("\tat "), "no stack trace: " + r.err());
  }

  @Test
  void devnetSetsUpPrintsAddressesAndExits(@TempDir Path dir) {
    Run r =
        run("devnet", "--data-dir", dir.toString(), "--rpc-port", "0", "--api-port", "0", "--exit");
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("JSON-RPC      http://127.0.0.1:"), r.out());
    assertTrue(r.out().matches("(?s).*base URL\\s+http://127\\.0\\.0\\.1:\\d+/v1.*"), r.out());
    assertTrue(r.out().matches("(?s).*demo API key\\s+lp-\\S+.*"), r.out());
    assertTrue(r.out().contains("Authorization: Bearer lp-"), r.out());
    assertTrue(r.out().contains("wallet chat --keystore buyer.json"), r.out());
    assertTrue(r.out().matches("(?s).*sequencer\\s+0x[0-9a-fA-F]{40}.*stake 100.*"), r.out());
    assertTrue(r.out().matches("(?s).*verifier\\s+0x[0-9a-fA-F]{40}.*stake 100.*"), r.out());
    assertTrue(r.out().matches("(?s).*JobMarket\\s+0x[0-9a-fA-F]{40}.*"), r.out());
    assertTrue(r.out().matches("(?s).*buyer\\s+0x[0-9a-fA-F]{40}.*escrow 1000.*"), r.out());
    assertTrue(r.out().matches("(?s).*provider-a\\s+0x[0-9a-fA-F]{40}.*stake 1000.*"), r.out());
  }

  @Test
  void modelSynthWritesAFolderThatModelInfoReads(@TempDir Path dir) {
    Path out = dir.resolve("tiny");
    Run synth =
        run(
            "model",
            "synth",
            "--layers",
            "1",
            "--hidden",
            "16",
            "--heads",
            "2",
            "--kv-heads",
            "1",
            "--vocab",
            "260",
            "--out",
            out.toString());
    assertEquals(0, synth.code(), synth.err());
    assertTrue(java.nio.file.Files.exists(out.resolve("model.safetensors")));
    assertTrue(java.nio.file.Files.exists(out.resolve("tokenizer.json")));
    Run info = run("model", "info", out.toString());
    assertEquals(0, info.code(), info.err());
    assertTrue(info.out().contains("16"), info.out());

    Run bad =
        run(
            "model",
            "synth",
            "--heads",
            "3",
            "--hidden",
            "16",
            "--out",
            dir.resolve("x").toString());
    assertTrue(bad.code() != 0, "an impossible shape must be refused");
    assertTrue(!bad.err().contains("\tat "), "no stack trace: " + bad.err());
  }

  @Test
  void badInputIsOneClearLine() {
    Run unknown = run("devnet", "--rpc-port", "banana");
    assertEquals(2, unknown.code());
    assertTrue(unknown.err().contains("--rpc-port"), unknown.err());

    Run outOfRange = run("devnet", "--rpc-port", "70000", "--exit");
    assertEquals(1, outOfRange.code());
    assertTrue(outOfRange.err().contains("RPC port must be 0..65535"), outOfRange.err());
    assertTrue(!outOfRange.err().contains("\tat "), "no stack trace: " + outOfRange.err());
  }
}
