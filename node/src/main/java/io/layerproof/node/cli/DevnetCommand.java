package io.layerproof.node.cli;

import io.layerproof.chain.contracts.ContractAddresses;
import io.layerproof.chain.contracts.LayerproofContracts;
import io.layerproof.chain.devnet.DevnetGenesis;
import io.layerproof.node.devnet.DevAccount;
import io.layerproof.node.devnet.Devnet;
import io.layerproof.node.devnet.DevnetNodes;
import io.layerproof.node.devnet.DevnetOptions;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.web3j.crypto.Keys;
import org.web3j.protocol.core.DefaultBlockParameterName;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code layerproof devnet}: the whole system on this machine, on an embedded chain. */
@Command(
    name = "devnet",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = {
      "Runs the whole Layerproof system in this process on an embedded EVM chain: deploys the"
          + " contracts, funds a demo buyer, registers and runs a sequencer (RocksDB ledger"
          + " anchored on chain), two providers serving the two halves of the default model, a"
          + " verifier and the settlement loop, and serves the OpenAI-compatible gateway and"
          + " Ethereum JSON-RPC until Ctrl-C.",
      "State persists in the data folder; a restart continues where it stopped."
    })
public final class DevnetCommand implements Callable<Integer> {

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--data-dir",
      defaultValue = ".layerproof/devnet",
      description = "Where chain state, deployment and demo keys live (default: ${DEFAULT-VALUE}).")
  Path dataDir;

  @Option(
      names = "--rpc-host",
      defaultValue = DevnetOptions.DEFAULT_HOST,
      description = "JSON-RPC bind address (default: ${DEFAULT-VALUE}).")
  String host;

  @Option(
      names = "--rpc-port",
      defaultValue = "" + DevnetOptions.DEFAULT_RPC_PORT,
      description = "JSON-RPC port, 0 for any free port (default: ${DEFAULT-VALUE}).")
  int port;

  @Option(
      names = "--api-port",
      defaultValue = "" + DevnetOptions.DEFAULT_API_PORT,
      description =
          "The gateway's port (OpenAI API, job views, metrics), 0 for any free port"
              + " (default: ${DEFAULT-VALUE}).")
  int apiPort;

  @Option(
      names = "--chain-id",
      defaultValue = "" + DevnetGenesis.DEFAULT_CHAIN_ID,
      description = "Chain id of a new chain (default: ${DEFAULT-VALUE}).")
  long chainId;

  @Option(names = "--reset", description = "Delete the data folder first and start a new chain.")
  boolean reset;

  @Option(
      names = "--exit",
      description = "Set up, print the summary and exit instead of serving until Ctrl-C.")
  boolean exitAfterSetup;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    DevnetOptions options = new DevnetOptions(dataDir, host, port, apiPort, chainId, reset);
    java.util.function.Consumer<String> progress = step -> out.println("  .. " + step);
    Devnet devnet = Devnet.start(options, progress);
    DevnetNodes nodes;
    try {
      nodes = DevnetNodes.start(devnet, options.dataDir(), host, apiPort, progress);
    } catch (RuntimeException e) {
      devnet.close();
      throw e;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Thread hook =
        new Thread(
            () -> {
              nodes.close();
              devnet.close();
              stopped.countDown();
            },
            "devnet-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    printSummary(out, devnet);
    printHowTo(out, devnet, nodes);
    if (exitAfterSetup) {
      Runtime.getRuntime().removeShutdownHook(hook);
      nodes.close();
      devnet.close();
      return 0;
    }
    out.println();
    out.println("Serving. Press Ctrl-C to stop (state is kept in " + dataDir + ").");
    out.flush();
    stopped.await();
    return 0;
  }

  private static void printSummary(PrintWriter out, Devnet devnet) throws Exception {
    ContractAddresses c = devnet.contracts();
    out.println();
    out.println("Layerproof devnet");
    out.printf("  JSON-RPC      %s%n", devnet.rpcUrl());
    out.printf("  chain id      %d%n", devnet.chainId());
    out.printf("  block         %d%n", devnet.blockNumber());
    out.printf("  model         %s%n", devnet.modelDir());
    out.println();
    out.println("Contracts");
    out.printf("  ComputeToken       %s%n", Keys.toChecksumAddress(c.token()));
    out.printf("  ProviderRegistry   %s%n", Keys.toChecksumAddress(c.registry()));
    out.printf("  JobMarket          %s%n", Keys.toChecksumAddress(c.market()));
    out.printf("  LedgerAnchor       %s%n", Keys.toChecksumAddress(c.anchor()));
    out.printf("  RewardDistributor  %s%n", Keys.toChecksumAddress(c.distributor()));
    out.println();
    out.println("Accounts (ETH pays gas; LPC is the compute token)");
    LayerproofContracts view = devnet.contractsAs(devnet.operator());
    printAccount(out, devnet, view, devnet.operator(), "deployer, minter, settler");
    printAccount(out, devnet, view, devnet.buyer(), "escrow " + lpc(escrow(view, devnet.buyer())));
    for (DevAccount p : devnet.providers()) {
      printAccount(out, devnet, view, p, "stake " + lpc(stake(view, p)));
    }
    printAccount(
        out, devnet, view, devnet.sequencer(), "stake " + lpc(stake(view, devnet.sequencer())));
    printAccount(
        out, devnet, view, devnet.verifier(), "stake " + lpc(stake(view, devnet.verifier())));
    out.println();
    out.println(
        "Demo keys: " + devnet.keysDir() + " (development only; never use them elsewhere).");
    out.flush();
  }

  /** The gateway, and how to chat with it from curl and from the wallet. */
  private void printHowTo(PrintWriter out, Devnet devnet, DevnetNodes nodes) {
    String apiKey = nodes.demoSession(devnet.buyer(), DEMO_SESSION_CAP, DEMO_SESSION_VALIDITY);
    Path keys = devnet.keysDir();
    out.println();
    out.println("Gateway (OpenAI API)");
    out.printf("  base URL      %s%n", nodes.apiUrl());
    out.printf(
        "  job views     %s/jobs/<id>  and  %s/jobs/<id>/audit%n", nodes.apiUrl(), nodes.apiUrl());
    out.printf("  metrics       %s%n", nodes.apiUrl().replaceAll("/v1$", "/metrics"));
    out.printf("  model         %s%n", DevnetNodes.MODEL_ID);
    out.printf(
        "  demo API key  %s  (a session of the demo buyer: %s LPC cap)%n",
        apiKey, lpc(DEMO_SESSION_CAP));
    out.println();
    out.println("Chat with curl (session key):");
    out.printf(
        "  curl -s %s/chat/completions -H 'Authorization: Bearer %s' \\%n"
            + "    -H 'Content-Type: application/json' \\%n"
            + "    -d '{\"model\":\"%s\",\"max_tokens\":16,"
            + "\"messages\":[{\"role\":\"user\",\"content\":\"Hello\"}]}'%n",
        nodes.apiUrl(), apiKey, DevnetNodes.MODEL_ID);
    out.println("Chat with a wallet-signed request (each request signed by the buyer's key):");
    out.printf(
        "  export LAYERPROOF_PASSWORD=devnet%n"
            + "  ./layerproof wallet import --keystore buyer.json --private-key-file %s%n"
            + "  ./layerproof wallet chat --keystore buyer.json --gateway %s \"Hello\"%n"
            + "  ./layerproof wallet jobs --keystore buyer.json%n"
            + "  ./layerproof audit job <id> --ledger %s%n",
        keys.resolve("buyer.eth"), nodes.apiUrl(), nodes.ledgerDir());
  }

  static final BigInteger DEMO_SESSION_CAP = BigInteger.TEN.pow(19);
  static final java.time.Duration DEMO_SESSION_VALIDITY = java.time.Duration.ofDays(7);

  private static void printAccount(
      PrintWriter out, Devnet devnet, LayerproofContracts view, DevAccount a, String note)
      throws Exception {
    BigInteger eth =
        devnet
            .web3j()
            .ethGetBalance(a.address(), DefaultBlockParameterName.LATEST)
            .send()
            .getBalance();
    BigInteger tokens = LayerproofContracts.send(view.token().balanceOf(a.address()));
    out.printf(
        "  %-10s  %s  %10s ETH  %10s LPC  %s%n",
        a.name(), Keys.toChecksumAddress(a.address()), lpc(eth), lpc(tokens), note);
  }

  private static BigInteger escrow(LayerproofContracts view, DevAccount a) {
    return LayerproofContracts.send(view.market().freeBalanceOf(a.address()));
  }

  private static BigInteger stake(LayerproofContracts view, DevAccount a) {
    return LayerproofContracts.send(view.registry().bondOf(a.address())).component1();
  }

  /** 18-decimal amounts, shown with up to four decimals. */
  static String lpc(BigInteger wei) {
    return new BigDecimal(wei, 18)
        .setScale(4, java.math.RoundingMode.DOWN)
        .stripTrailingZeros()
        .toPlainString();
  }
}
