package io.layerproof.node.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.layerproof.chain.contracts.LayerproofContracts;
import io.layerproof.chain.event.LedgerDomain;
import io.layerproof.node.audit.DeploymentFile;
import io.layerproof.node.gateway.Gateway;
import io.layerproof.wallet.client.LayerproofClient;
import io.layerproof.wallet.keystore.Keystore;
import io.layerproof.wallet.keystore.KeystoreException;
import java.io.Console;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Iterator;
import java.util.concurrent.Callable;
import java.util.function.Function;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.tuples.generated.Tuple2;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code layerproof wallet}: a buyer's keystore, balances, escrow and signed chat. */
@Command(
    name = "wallet",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = {
      "A buyer's wallet: an encrypted keystore, LPC and escrow balances, deposits, withdrawals"
          + " and signed chat requests to a gateway.",
      "The password comes from --password-file, the LAYERPROOF_PASSWORD environment variable, or"
          + " a prompt when a console exists; it is never echoed.",
      "Exit status: 0 done, 1 error (wrong password, missing keystore, unreachable RPC, bad"
          + " amount), 2 bad usage."
    },
    subcommands = {
      WalletCommand.New.class,
      WalletCommand.Import.class,
      WalletCommand.Address.class,
      WalletCommand.Balance.class,
      WalletCommand.Deposit.class,
      WalletCommand.Withdraw.class,
      WalletCommand.Chat.class,
      WalletJobs.class
    })
public final class WalletCommand implements Runnable {

  /** The environment variable a password may come from. */
  public static final String PASSWORD_ENV = "LAYERPROOF_PASSWORD";

  /** Decimals of LPC. */
  public static final int DECIMALS = 18;

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** Where the password comes from; tests may replace the environment lookup. */
  static Function<String, String> env = System::getenv;

  /** Parses an LPC amount (up to 18 decimals, positive) into wei, exactly. */
  static BigInteger parseAmount(String s) {
    BigDecimal d;
    try {
      d = new BigDecimal(s.strip());
    } catch (NumberFormatException | NullPointerException e) {
      throw new IllegalArgumentException(
          "not an amount: '" + s + "' (expected LPC, e.g. 1.5, with at most 18 decimals)");
    }
    if (d.signum() <= 0) {
      throw new IllegalArgumentException("the amount must be more than 0 LPC, got " + s);
    }
    BigDecimal wei = d.movePointRight(DECIMALS);
    try {
      return wei.toBigIntegerExact();
    } catch (ArithmeticException e) {
      throw new IllegalArgumentException(
          "too many decimals in " + s + ": LPC has at most " + DECIMALS);
    }
  }

  /** Formats wei as LPC, exactly, without trailing zeros. */
  static String formatAmount(BigInteger wei) {
    BigDecimal d = new BigDecimal(wei).movePointLeft(DECIMALS).stripTrailingZeros();
    return d.signum() == 0 ? "0" : d.toPlainString();
  }

  /** Options for where the keystore and its password are. */
  static final class KeyOptions {
    @Option(
        names = "--keystore",
        required = true,
        paramLabel = "FILE",
        description = "The keystore file (Web3 Secret Storage, scrypt).")
    Path keystore;

    @Option(
        names = "--password-file",
        paramLabel = "FILE",
        description =
            "A file whose first line is the password (else $" + PASSWORD_ENV + ", else a prompt).")
    Path passwordFile;

    String password(boolean confirm) {
      if (passwordFile != null) {
        if (!Files.isRegularFile(passwordFile)) {
          throw new IllegalArgumentException("no password file at " + passwordFile);
        }
        try {
          String all = Files.readString(passwordFile, StandardCharsets.UTF_8);
          int nl = all.indexOf('\n');
          String line = nl >= 0 ? all.substring(0, nl) : all;
          if (line.endsWith("\r")) {
            line = line.substring(0, line.length() - 1);
          }
          return nonEmpty(line);
        } catch (IOException e) {
          throw new UncheckedIOException("cannot read the password file " + passwordFile, e);
        }
      }
      String fromEnv = env.apply(PASSWORD_ENV);
      if (fromEnv != null) {
        return nonEmpty(fromEnv);
      }
      Console console = System.console();
      if (console == null) {
        throw new IllegalArgumentException(
            "no password: give --password-file FILE or set " + PASSWORD_ENV);
      }
      char[] first = console.readPassword("Keystore password: ");
      if (first == null) {
        throw new IllegalArgumentException("no password given");
      }
      if (confirm) {
        char[] again = console.readPassword("Repeat the password: ");
        if (again == null || !java.util.Arrays.equals(first, again)) {
          throw new IllegalArgumentException("the passwords do not match");
        }
      }
      return nonEmpty(new String(first));
    }

    private static String nonEmpty(String p) {
      if (p.isEmpty()) {
        throw new IllegalArgumentException("the password must not be empty");
      }
      return p;
    }

    Keystore load() throws KeystoreException {
      if (!Files.isRegularFile(keystore)) {
        throw new IllegalArgumentException(
            "no keystore at " + keystore + " (create one with: layerproof wallet new)");
      }
      try {
        return Keystore.load(keystore, password(false));
      } catch (KeystoreException e) {
        throw new IllegalArgumentException(
            "cannot open the keystore " + keystore + ": " + e.getMessage());
      }
    }

    void refuseExisting() {
      if (Files.exists(keystore)) {
        throw new IllegalArgumentException(
            "a file already exists at " + keystore + "; refusing to overwrite it");
      }
    }
  }

  static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    String m = t.getMessage();
    return m == null ? t.getClass().getSimpleName() : m;
  }

  /** {@code layerproof wallet new}. */
  @Command(
      name = "new",
      mixinStandardHelpOptions = true,
      versionProvider = VersionProvider.class,
      description = "Creates a new key in a new keystore file and prints its address.")
  static final class New implements Callable<Integer> {
    @Spec picocli.CommandLine.Model.CommandSpec spec;
    @Mixin KeyOptions key;

    @Override
    public Integer call() throws Exception {
      key.refuseExisting();
      Keystore ks = Keystore.create(key.keystore, key.password(true));
      PrintWriter out = spec.commandLine().getOut();
      out.println(ks.address().toString());
      out.flush();
      return 0;
    }
  }

  /** {@code layerproof wallet import}. */
  @Command(
      name = "import",
      mixinStandardHelpOptions = true,
      versionProvider = VersionProvider.class,
      description = "Encrypts an existing private key into a new keystore and prints its address.")
  static final class Import implements Callable<Integer> {
    @Spec picocli.CommandLine.Model.CommandSpec spec;
    @Mixin KeyOptions key;

    @Option(
        names = "--private-key-file",
        required = true,
        paramLabel = "FILE",
        description = "A file holding the private key: 64 hex digits, optionally 0x-prefixed.")
    Path privateKeyFile;

    @Override
    public Integer call() throws Exception {
      key.refuseExisting();
      if (!Files.isRegularFile(privateKeyFile)) {
        throw new IllegalArgumentException("no private key file at " + privateKeyFile);
      }
      String hex = Files.readString(privateKeyFile, StandardCharsets.US_ASCII).strip();
      Keystore ks;
      try {
        ks = Keystore.importPrivateKey(key.keystore, key.password(true), hex);
      } catch (KeystoreException e) {
        throw new IllegalArgumentException("cannot import the key: " + e.getMessage());
      }
      PrintWriter out = spec.commandLine().getOut();
      out.println(ks.address().toString());
      out.flush();
      return 0;
    }
  }

  /** {@code layerproof wallet address}. */
  @Command(
      name = "address",
      mixinStandardHelpOptions = true,
      versionProvider = VersionProvider.class,
      description = "Prints the keystore's address (no password needed).")
  static final class Address implements Callable<Integer> {
    @Spec picocli.CommandLine.Model.CommandSpec spec;

    @Option(
        names = "--keystore",
        required = true,
        paramLabel = "FILE",
        description = "The keystore file.")
    Path keystore;

    @Override
    public Integer call() throws Exception {
      if (!Files.isRegularFile(keystore)) {
        throw new IllegalArgumentException("no keystore at " + keystore);
      }
      PrintWriter out = spec.commandLine().getOut();
      out.println(Keystore.readAddress(keystore).toString());
      out.flush();
      return 0;
    }
  }

  /** {@code layerproof wallet balance}. */
  @Command(
      name = "balance",
      mixinStandardHelpOptions = true,
      versionProvider = VersionProvider.class,
      description = "Prints LPC tokens, escrow (balance, locked, free) and ETH of the account.")
  static final class Balance implements Callable<Integer> {
    @Spec picocli.CommandLine.Model.CommandSpec spec;
    @Mixin KeyOptions key;
    @Mixin ChainOptions chain;

    @Override
    public Integer call() throws Exception {
      Keystore ks = key.load();
      String text =
          chain.withContracts(
              ks,
              c -> {
                String a = c.account();
                BigInteger tokens = LayerproofContracts.send(c.token().balanceOf(a));
                Tuple2<BigInteger, BigInteger> escrow =
                    LayerproofContracts.send(c.market().escrowOf(a));
                BigInteger free = LayerproofContracts.send(c.market().freeBalanceOf(a));
                BigInteger eth;
                try {
                  eth =
                      c.web3j()
                          .ethGetBalance(a, DefaultBlockParameterName.LATEST)
                          .send()
                          .getBalance();
                } catch (IOException e) {
                  throw new UncheckedIOException(e);
                }
                return String.format(
                    "address         %s%n"
                        + "LPC             %s%n"
                        + "escrow balance  %s%n"
                        + "escrow locked   %s%n"
                        + "escrow free     %s%n"
                        + "ETH             %s%n",
                    a,
                    formatAmount(tokens),
                    formatAmount(escrow.component1()),
                    formatAmount(escrow.component2()),
                    formatAmount(free),
                    formatAmount(eth));
              });
      PrintWriter out = spec.commandLine().getOut();
      out.print(text);
      out.flush();
      return 0;
    }
  }

  /**
   * What deposit and withdraw share: an amount, the key and chain options, one check and one
   * transaction (or two) sent as the account, and a line saying what moved.
   */
  abstract static class EscrowMove implements Callable<Integer> {
    @Spec picocli.CommandLine.Model.CommandSpec spec;
    @Mixin KeyOptions key;
    @Mixin ChainOptions chain;

    @Parameters(paramLabel = "AMOUNT", description = "LPC, up to 18 decimals, e.g. 2.5.")
    String amount;

    /** Checks the account can move {@code wei}, sends the transactions, returns the last hash. */
    abstract String move(LayerproofContracts c, BigInteger wei);

    /** The line printed after the move. */
    abstract String moved(String amount, String tx);

    @Override
    public Integer call() throws Exception {
      BigInteger wei = parseAmount(amount);
      Keystore ks = key.load();
      String tx = chain.withContracts(ks, c -> move(c, wei));
      PrintWriter out = spec.commandLine().getOut();
      out.println(moved(formatAmount(wei), tx));
      out.flush();
      return 0;
    }
  }

  /** {@code layerproof wallet deposit}. */
  @Command(
      name = "deposit",
      mixinStandardHelpOptions = true,
      versionProvider = VersionProvider.class,
      description = "Moves LPC into JobMarket escrow (approve, then deposit).")
  static final class Deposit extends EscrowMove {
    @Override
    String move(LayerproofContracts c, BigInteger wei) {
      BigInteger have = LayerproofContracts.send(c.token().balanceOf(c.account()));
      if (have.compareTo(wei) < 0) {
        throw new IllegalArgumentException(
            "not enough LPC: have " + formatAmount(have) + ", deposit " + amount);
      }
      LayerproofContracts.send(c.token().approve(c.addresses().market(), wei));
      return LayerproofContracts.send(c.market().deposit(wei)).getTransactionHash();
    }

    @Override
    String moved(String amount, String tx) {
      return "deposited " + amount + " LPC into escrow (tx " + tx + ")";
    }
  }

  /** {@code layerproof wallet withdraw}. */
  @Command(
      name = "withdraw",
      mixinStandardHelpOptions = true,
      versionProvider = VersionProvider.class,
      description = "Moves free LPC out of JobMarket escrow back to the account.")
  static final class Withdraw extends EscrowMove {
    @Override
    String move(LayerproofContracts c, BigInteger wei) {
      BigInteger free = LayerproofContracts.send(c.market().freeBalanceOf(c.account()));
      if (free.compareTo(wei) < 0) {
        throw new IllegalArgumentException(
            "not enough free escrow: have " + formatAmount(free) + ", withdraw " + amount);
      }
      return LayerproofContracts.send(c.market().withdraw(wei)).getTransactionHash();
    }

    @Override
    String moved(String amount, String tx) {
      return "withdrew " + amount + " LPC from escrow (tx " + tx + ")";
    }
  }

  /** {@code layerproof wallet chat}. */
  @Command(
      name = "chat",
      mixinStandardHelpOptions = true,
      versionProvider = VersionProvider.class,
      description = "Sends a signed chat request to a gateway and prints the streamed reply.")
  static final class Chat implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Spec picocli.CommandLine.Model.CommandSpec spec;
    @Mixin KeyOptions key;

    @Mixin DeploymentOptions deployment;

    @Option(
        names = "--gateway",
        paramLabel = "URL",
        defaultValue = "http://127.0.0.1:8080/v1",
        description = "The gateway's OpenAI base URL (default: ${DEFAULT-VALUE}).")
    String gateway;

    @Option(
        names = "--model",
        paramLabel = "NAME",
        defaultValue = "layerproof-devnet",
        description = "Model name (default: ${DEFAULT-VALUE}).")
    String model;

    @Option(
        names = "--max-tokens",
        paramLabel = "N",
        defaultValue = "64",
        description = "Most tokens to generate (default: ${DEFAULT-VALUE}).")
    int maxTokens;

    @Option(
        names = "--max-price",
        paramLabel = "LPC",
        defaultValue = "1",
        description = "Most LPC the request may cost (default: ${DEFAULT-VALUE}).")
    String maxPrice;

    @Parameters(paramLabel = "MESSAGE", description = "The user message.")
    String message;

    @Override
    public Integer call() throws Exception {
      if (maxTokens < 1) {
        throw new IllegalArgumentException("--max-tokens must be >= 1");
      }
      BigInteger price = parseAmount(maxPrice);
      URI base = gatewayBase(gateway);
      DeploymentFile d = deployment.read();
      Keystore ks = key.load();
      LayerproofClient client =
          LayerproofClient.create(
              ks,
              new LedgerDomain(
                  d.chainId(),
                  io.layerproof.chain.event.EthAddress.fromHex(d.contracts().market())),
              base);
      ObjectNode body = JSON.createObjectNode();
      body.put("model", model);
      ObjectNode user = body.putArray("messages").addObject();
      user.put("role", "user");
      user.put("content", message);
      body.put("max_tokens", maxTokens);
      body.put("stream", true);
      HttpRequest request =
          client.chatRequest(JSON.writeValueAsString(body), price, Duration.ofMinutes(5));
      HttpResponse<java.util.stream.Stream<String>> response;
      try {
        response =
            HttpClient.newBuilder()
                .connectTimeout(Duration.ofSeconds(10))
                .build()
                .send(request, HttpResponse.BodyHandlers.ofLines());
      } catch (IOException e) {
        throw new IllegalStateException(
            "cannot reach the gateway at " + gateway + ": " + rootMessage(e));
      }
      PrintWriter out = spec.commandLine().getOut();
      if (response.statusCode() != 200) {
        String text = String.join("\n", response.body().toList());
        throw new IllegalStateException(
            "the gateway refused the request (HTTP "
                + response.statusCode()
                + "): "
                + errorOf(text));
      }
      Iterator<String> lines = response.body().iterator();
      while (lines.hasNext()) {
        String line = lines.next();
        if (!line.startsWith("data:")) {
          continue;
        }
        String data = line.substring(5).strip();
        if (data.equals("[DONE]")) {
          break;
        }
        JsonNode chunk = JSON.readTree(data);
        if (chunk.has("error")) {
          throw new IllegalStateException("the gateway failed: " + errorOf(data));
        }
        for (JsonNode choice : chunk.path("choices")) {
          JsonNode content = choice.path("delta").path("content");
          if (content.isTextual()) {
            out.print(content.asText());
            out.flush();
          }
        }
      }
      out.println();
      out.flush();
      response
          .headers()
          .firstValue(Gateway.JOB_HEADER)
          .ifPresent(
              id ->
                  spec.commandLine()
                      .getErr()
                      .println("job " + id + "  (layerproof audit job " + id + " --ledger ...)"));
      out.flush();
      return 0;
    }

    private static String errorOf(String text) {
      try {
        JsonNode n = JSON.readTree(text);
        JsonNode m = n.path("error").path("message");
        if (m.isTextual()) {
          return m.asText();
        }
      } catch (IOException | RuntimeException e) {
        // not JSON: show it as it came
      }
      return text.length() > 300 ? text.substring(0, 300) + "..." : text;
    }

    /** The gateway's root: LayerproofClient resolves {@code /v1/...} paths against it. */
    static URI gatewayBase(String url) {
      URI u;
      try {
        u = URI.create(url.strip());
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("not a URL: " + url);
      }
      if (u.getScheme() == null || u.getHost() == null) {
        throw new IllegalArgumentException("not an http URL: " + url);
      }
      return URI.create(u.getScheme() + "://" + u.getRawAuthority() + "/");
    }
  }
}
