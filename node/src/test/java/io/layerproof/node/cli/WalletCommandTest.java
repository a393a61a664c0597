package io.layerproof.node.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.layerproof.chain.contracts.JobMarketEip712;
import io.layerproof.chain.contracts.LayerproofContracts;
import io.layerproof.chain.event.EthAddress;
import io.layerproof.chain.event.LedgerDomain;
import io.layerproof.contracts.generated.JobMarket;
import io.layerproof.inference.model.LlamaModel;
import io.layerproof.node.devnet.Devnet;
import io.layerproof.node.devnet.DevnetOptions;
import io.layerproof.node.gateway.Gateway;
import io.layerproof.node.gateway.GatewayConfig;
import io.layerproof.node.gateway.NonceStore;
import io.layerproof.node.gateway.PipelineBackend;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.Hash;
import picocli.CommandLine;

/** {@code layerproof wallet} through {@link Main}, against an embedded devnet. */
class WalletCommandTest {

  private static final String PASSWORD = "correct horse battery staple";
  private static final BigInteger LPC = BigInteger.TEN.pow(18);
  private static final String KNOWN_KEY =
      "0x4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318";

  @TempDir static Path dir;
  static Devnet devnet;
  static Path data;
  static Path passwordFile;

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

  @BeforeAll
  static void start() throws Exception {
    data = dir.resolve("devnet");
    devnet = Devnet.start(new DevnetOptions(data, "127.0.0.1", 0, 0, 1337, false), s -> {});
    passwordFile = dir.resolve("password.txt");
    Files.writeString(passwordFile, PASSWORD + "\n");
  }

  @AfterAll
  static void stop() {
    if (devnet != null) {
      devnet.close();
    }
  }

  /** A new keystore, funded with {@code lpc} tokens and gas money by the operator. */
  private static String fundedKeystore(Path keystore, BigInteger lpc) {
    Run r = run("wallet", "new", "--keystore", keystore.toString(), "--password-file", pw());
    assertEquals(0, r.code(), r.err());
    String address = r.out().strip();
    LayerproofContracts operator = devnet.contractsAs(devnet.operator());
    LayerproofContracts.send(operator.token().mint(address, lpc));
    operator.sendNative(address, LPC);
    return address;
  }

  private static String pw() {
    return passwordFile.toString();
  }

  private static String chainArgs() {
    return data.toString();
  }

  private static BigInteger line(String out, String label) {
    Matcher m = Pattern.compile("(?m)^" + Pattern.quote(label) + "\\s+(\\S+)$").matcher(out);
    assertTrue(m.find(), label + " in " + out);
    return new java.math.BigDecimal(m.group(1)).movePointRight(18).toBigIntegerExact();
  }

  @Test
  void newPrintsAnAddressThatAddressReadsBack() throws Exception {
    Path ks = dir.resolve("new.json");
    Run created = run("wallet", "new", "--keystore", ks.toString(), "--password-file", pw());
    assertEquals(0, created.code(), created.err());
    String address = created.out().strip();
    assertTrue(address.matches("0x[0-9a-fA-F]{40}"), address);
    assertFalse(Files.readString(ks).contains(PASSWORD), "the password is not stored");
    assertFalse(created.out().contains(PASSWORD) || created.err().contains(PASSWORD));

    Run read = run("wallet", "address", "--keystore", ks.toString());
    assertEquals(0, read.code(), read.err());
    assertEquals(address.toLowerCase(), read.out().strip().toLowerCase());

    Run again = run("wallet", "new", "--keystore", ks.toString(), "--password-file", pw());
    assertEquals(1, again.code(), "an existing keystore is not overwritten");
    assertTrue(again.err().contains("already exists"), again.err());
  }

  @Test
  void thePasswordMayComeFromTheEnvironment() throws Exception {
    Path ks = dir.resolve("env.json");
    var saved = WalletCommand.env;
    try {
      WalletCommand.env = k -> WalletCommand.PASSWORD_ENV.equals(k) ? PASSWORD : null;
      Run r = run("wallet", "new", "--keystore", ks.toString());
      assertEquals(0, r.code(), r.err());
      String address = r.out().strip();
      assertEquals(
          address.toLowerCase(),
          io.layerproof.wallet.keystore.Keystore.load(ks, PASSWORD)
              .address()
              .toString()
              .toLowerCase());
      if (System.console() == null) {
        WalletCommand.env = k -> null;
        Run none = run("wallet", "new", "--keystore", dir.resolve("none.json").toString());
        assertEquals(1, none.code());
        assertTrue(none.err().contains("no password"), none.err());
      }
    } finally {
      WalletCommand.env = saved;
    }
  }

  @Test
  void importOfAKnownKeyGivesItsAddress() throws Exception {
    Path key = dir.resolve("key.txt");
    Files.writeString(key, KNOWN_KEY + "\n");
    Path ks = dir.resolve("imported.json");
    Run r =
        run(
            "wallet",
            "import",
            "--keystore",
            ks.toString(),
            "--private-key-file",
            key.toString(),
            "--password-file",
            pw());
    assertEquals(0, r.code(), r.err());
    String expected = Credentials.create(KNOWN_KEY).getAddress();
    assertEquals(expected.toLowerCase(), r.out().strip().toLowerCase());
    assertFalse(r.out().contains(KNOWN_KEY.substring(2)), "the key is not printed");
    assertFalse(r.err().contains(KNOWN_KEY.substring(2)), "the key is not printed");
    Run read = run("wallet", "address", "--keystore", ks.toString());
    assertEquals(expected.toLowerCase(), read.out().strip().toLowerCase());
  }

  @Test
  void balanceDepositAndWithdrawToTheWei() throws Exception {
    Path ks = dir.resolve("buyer.json");
    BigInteger minted = LPC.multiply(BigInteger.valueOf(100));
    fundedKeystore(ks, minted);

    Run b0 = balance(ks);
    assertEquals(minted, line(b0.out(), "LPC"));
    assertEquals(BigInteger.ZERO, line(b0.out(), "escrow balance"));
    assertEquals(BigInteger.ZERO, line(b0.out(), "escrow free"));
    assertEquals(LPC, line(b0.out(), "ETH"));

    // 12.345678901234567891 LPC: every one of the 18 decimals counts.
    String amount = "12.345678901234567891";
    BigInteger wei = new BigInteger("12345678901234567891");
    Run dep =
        run(
            "wallet",
            "deposit",
            amount,
            "--keystore",
            ks.toString(),
            "--password-file",
            pw(),
            "--data-dir",
            chainArgs(),
            "--rpc",
            devnet.rpcUrl());
    assertEquals(0, dep.code(), dep.err());
    Run b1 = balance(ks);
    assertEquals(minted.subtract(wei), line(b1.out(), "LPC"));
    assertEquals(wei, line(b1.out(), "escrow balance"));
    assertEquals(BigInteger.ZERO, line(b1.out(), "escrow locked"));
    assertEquals(wei, line(b1.out(), "escrow free"));

    String back = "2.000000000000000001";
    BigInteger backWei = new BigInteger("2000000000000000001");
    Run wd =
        run(
            "wallet",
            "withdraw",
            back,
            "--keystore",
            ks.toString(),
            "--password-file",
            pw(),
            "--deployment",
            data.resolve("deployment.json").toString(),
            "--rpc",
            devnet.rpcUrl());
    assertEquals(0, wd.code(), wd.err());
    Run b2 = balance(ks);
    assertEquals(minted.subtract(wei).add(backWei), line(b2.out(), "LPC"));
    assertEquals(wei.subtract(backWei), line(b2.out(), "escrow balance"));
    assertEquals(wei.subtract(backWei), line(b2.out(), "escrow free"));

    Run tooMuch =
        run(
            "wallet",
            "withdraw",
            "1000",
            "--keystore",
            ks.toString(),
            "--password-file",
            pw(),
            "--data-dir",
            chainArgs(),
            "--rpc",
            devnet.rpcUrl());
    assertEquals(1, tooMuch.code());
    assertTrue(tooMuch.err().contains("not enough free escrow"), tooMuch.err());
  }

  private static Run balance(Path ks) {
    Run r =
        run(
            "wallet",
            "balance",
            "--keystore",
            ks.toString(),
            "--password-file",
            pw(),
            "--data-dir",
            chainArgs(),
            "--rpc",
            devnet.rpcUrl());
    assertEquals(0, r.code(), r.err());
    return r;
  }

  @Test
  void aWrongPasswordIsOneLineAndNonZero() throws Exception {
    Path ks = dir.resolve("locked.json");
    assertEquals(
        0, run("wallet", "new", "--keystore", ks.toString(), "--password-file", pw()).code());
    Path wrong = dir.resolve("wrong.txt");
    Files.writeString(wrong, "not the password\n");
    Run r =
        run(
            "wallet",
            "balance",
            "--keystore",
            ks.toString(),
            "--password-file",
            wrong.toString(),
            "--data-dir",
            chainArgs(),
            "--rpc",
            devnet.rpcUrl());
    assertEquals(1, r.code(), r.out());
    assertTrue(r.err().contains("cannot open the keystore"), r.err());
    assertFalse(r.err().contains("\tat "), "no stack trace: " + r.err());
    assertFalse(r.err().contains("not the password"), "the password is not echoed");
  }

  @Test
  void missingKeystoreAndUnreachableRpcAreClear() throws Exception {
    Run missing =
        run(
            "wallet",
            "balance",
            "--keystore",
            dir.resolve("nope.json").toString(),
            "--password-file",
            pw(),
            "--data-dir",
            chainArgs());
    assertEquals(1, missing.code());
    assertTrue(missing.err().contains("no keystore at"), missing.err());

    Path ks = dir.resolve("offline.json");
    assertEquals(
        0, run("wallet", "new", "--keystore", ks.toString(), "--password-file", pw()).code());
    Run offline =
        run(
            "wallet",
            "balance",
            "--keystore",
            ks.toString(),
            "--password-file",
            pw(),
            "--data-dir",
            chainArgs(),
            "--rpc",
            "http://127.0.0.1:1");
    assertEquals(1, offline.code(), offline.out());
    assertTrue(offline.err().contains("cannot reach"), offline.err());
    assertTrue(offline.err().contains("127.0.0.1:1"), offline.err());
    assertFalse(offline.err().contains("\tat "), "no stack trace: " + offline.err());
  }

  @Test
  void aBadAmountIsAClearError() throws Exception {
    Path ks = dir.resolve("amounts.json");
    assertEquals(
        0, run("wallet", "new", "--keystore", ks.toString(), "--password-file", pw()).code());
    for (String[] c :
        new String[][] {
          {"banana", "not an amount"},
          {"1.0000000000000000001", "too many decimals"},
          {"-1", "more than 0"},
          {"0", "more than 0"}
        }) {
      Run r =
          run(
              "wallet",
              "deposit",
              c[0],
              "--keystore",
              ks.toString(),
              "--password-file",
              pw(),
              "--data-dir",
              chainArgs(),
              "--rpc",
              devnet.rpcUrl());
      assertEquals(1, r.code(), c[0]);
      assertTrue(r.err().contains(c[1]), c[0] + ": " + r.err());
      assertFalse(r.err().contains("\tat "), "no stack trace: " + r.err());
    }
  }

  @Test
  void chatPrintsTheStreamedReplyOfAGateway() throws Exception {
    Path ks = dir.resolve("chatter.json");
    Run created = run("wallet", "new", "--keystore", ks.toString(), "--password-file", pw());
    assertEquals(0, created.code(), created.err());
    LedgerDomain domain =
        new LedgerDomain(devnet.chainId(), EthAddress.fromHex(devnet.contracts().market()));
    GatewayConfig config =
        new GatewayConfig(
            "layerproof-devnet",
            64 * 1024,
            BigInteger.valueOf(1000),
            BigInteger.TEN,
            4,
            64,
            1000,
            60);
    Clock clock = Clock.systemUTC();
    try (LlamaModel model = LlamaModel.open(devnet.modelDir());
        PipelineBackend backend = new PipelineBackend(model);
        Gateway gateway =
            new Gateway(
                null,
                config,
                new io.layerproof.wallet.auth.GatewayVerifier(domain, clock),
                buyer -> LPC.multiply(BigInteger.valueOf(1000)),
                NonceStore.inMemory(clock),
                backend,
                clock)) {
      int port = gateway.start("127.0.0.1", 0);
      Run r =
          run(
              "wallet",
              "chat",
              "Hello",
              "--keystore",
              ks.toString(),
              "--password-file",
              pw(),
              "--data-dir",
              chainArgs(),
              "--gateway",
              "http://127.0.0.1:" + port + "/v1",
              "--max-tokens",
              "6");
      assertEquals(0, r.code(), r.err());
      assertFalse(r.out().isBlank(), "a reply is printed");
    }

    Run down =
        run(
            "wallet",
            "chat",
            "Hello",
            "--keystore",
            ks.toString(),
            "--password-file",
            pw(),
            "--data-dir",
            chainArgs(),
            "--gateway",
            "http://127.0.0.1:1/v1");
    assertEquals(1, down.code());
    assertTrue(down.err().contains("cannot reach the gateway"), down.err());
  }

  @Test
  void jobsListsTheAccountsJobsFromTheChainWithoutAPassword() throws Exception {
    String buyer = devnet.buyer().address();
    Run none =
        run(
            "wallet",
            "jobs",
            "--address",
            "0x00000000000000000000000000000000000000aa",
            "--rpc",
            devnet.rpcUrl(),
            "--data-dir",
            chainArgs());
    assertEquals(0, none.code(), none.err());
    assertTrue(none.out().startsWith("no jobs for 0x00000000000000000000000000000000000000aa"));

    // The sequencer opens a job the buyer signed.
    BigInteger maxPrice = LPC.divide(BigInteger.valueOf(1000));
    JobMarket.JobRequest req =
        new JobMarket.JobRequest(
            Hash.sha3("model".getBytes()),
            Hash.sha3("messages".getBytes()),
            BigInteger.valueOf(8),
            maxPrice,
            BigInteger.valueOf(4242),
            BigInteger.valueOf(System.currentTimeMillis() / 1000 + 600));
    byte[] sig =
        JobMarketEip712.signJobRequest(
            devnet.chainId(), devnet.contracts().market(), req, devnet.buyer().wallet());
    LayerproofContracts sequencer = devnet.contractsAs(devnet.sequencer());
    var opened =
        LayerproofContracts.send(
            sequencer
                .market()
                .openJob(
                    buyer,
                    req,
                    sig,
                    java.util.List.of(
                        new JobMarket.ShardAssignment(
                            devnet.providers().get(0).address(),
                            BigInteger.ZERO,
                            BigInteger.valueOf(8))),
                    devnet.verifier().address()));
    String jobId =
        org.web3j.utils.Numeric.toHexString(JobMarket.getJobOpenedEvents(opened).get(0).jobId);

    Run json =
        run(
            "wallet",
            "jobs",
            "--address",
            buyer,
            "--rpc",
            devnet.rpcUrl(),
            "--data-dir",
            chainArgs(),
            "--json");
    assertEquals(0, json.code(), json.err());
    var rows = new com.fasterxml.jackson.databind.ObjectMapper().readTree(json.out());
    var row =
        java.util.stream.StreamSupport.stream(rows.spliterator(), false)
            .filter(r -> r.get("jobId").asText().equals(jobId))
            .findFirst()
            .orElseThrow(() -> new AssertionError(json.out()));
    assertEquals("open", row.get("status").asText());
    assertEquals(maxPrice.toString(), row.get("maxPrice").asText());
    assertEquals(opened.getBlockNumber().longValueExact(), row.get("openedBlock").asLong());
    assertTrue(row.get("cost").isNull());

    Run text =
        run(
            "wallet",
            "jobs",
            "--address",
            buyer,
            "--rpc",
            devnet.rpcUrl(),
            "--data-dir",
            chainArgs());
    assertEquals(0, text.code(), text.err());
    assertTrue(
        text.out().matches("(?s).*" + jobId + "\\s+\\d+\\s+open\\s+0\\.001\\s+-\\s+-.*"),
        text.out());

    Run bad = run("wallet", "jobs", "--address", "nope", "--data-dir", chainArgs());
    assertEquals(1, bad.code());
    assertTrue(bad.err().contains("not an address"), bad.err());
  }
}
