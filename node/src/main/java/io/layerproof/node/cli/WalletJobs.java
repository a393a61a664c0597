package io.layerproof.node.cli;

import static io.layerproof.chain.contracts.LayerproofContracts.send;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.layerproof.chain.contracts.ChainConnection;
import io.layerproof.chain.contracts.LayerproofContracts;
import io.layerproof.chain.event.EthAddress;
import io.layerproof.contracts.generated.JobMarket;
import io.layerproof.node.audit.DeploymentFile;
import io.layerproof.node.audit.JobAuditor;
import io.layerproof.wallet.keystore.Keystore;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.web3j.abi.EventEncoder;
import org.web3j.abi.FunctionReturnDecoder;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameter;
import org.web3j.protocol.core.methods.request.EthFilter;
import org.web3j.protocol.core.methods.response.EthLog;
import org.web3j.protocol.core.methods.response.Log;
import org.web3j.utils.Numeric;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code layerproof wallet jobs}: the account's jobs as JobMarket holds them (read from the chain's
 * JobOpened and JobFinalized logs and {@code jobInfo}); needs no password.
 */
@Command(
    name = "jobs",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description =
        "Lists the account's jobs on chain: id, the block that opened it, status, the most it"
            + " could cost, what it cost and what was refunded. Needs no password.")
final class WalletJobs implements Callable<Integer> {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String JOB_OPENED = EventEncoder.encode(JobMarket.JOBOPENED_EVENT);
  private static final String JOB_FINALIZED = EventEncoder.encode(JobMarket.JOBFINALIZED_EVENT);
  private static final long CHUNK = JobAuditor.DEFAULT_LOG_BLOCK_CHUNK;

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  static final class Who {
    @Option(names = "--keystore", paramLabel = "FILE", description = "The account's keystore.")
    Path keystore;

    @Option(names = "--address", paramLabel = "0x…", description = "Or the account's address.")
    String address;
  }

  @ArgGroup(exclusive = true, multiplicity = "1")
  Who who;

  @Mixin ChainOptions chain;

  @Option(
      names = "--from-block",
      paramLabel = "N",
      defaultValue = "0",
      description = "First block to read logs from (default: ${DEFAULT-VALUE}).")
  long fromBlock;

  @Option(names = "--json", description = "Print JSON.")
  boolean json;

  /** One job of the account. */
  record Row(
      String jobId,
      long openedBlock,
      String status,
      BigInteger maxPrice,
      BigInteger cost,
      BigInteger refund) {}

  @Override
  public Integer call() throws Exception {
    if (fromBlock < 0) {
      throw new IllegalArgumentException("--from-block must be >= 0");
    }
    EthAddress account =
        who.keystore != null ? Keystore.readAddress(who.keystore) : parse(who.address);
    DeploymentFile d = chain.deploymentFile();
    List<Row> rows;
    try (ChainConnection rpc = ChainConnection.rpc(chain.rpc, d.chainId())) {
      rows = jobs(JobAuditor.readOnly(rpc.web3j(), rpc.chainId(), d.contracts()), account);
    } catch (UncheckedIOException e) {
      throw new IllegalStateException(
          "cannot reach the chain at " + chain.rpc + ": " + WalletCommand.rootMessage(e), e);
    }
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      ArrayNode arr = JSON.createArrayNode();
      for (Row r : rows) {
        ObjectNode o = arr.addObject();
        o.put("jobId", r.jobId());
        o.put("openedBlock", r.openedBlock());
        o.put("status", r.status());
        o.put("maxPrice", r.maxPrice().toString());
        o.put("cost", r.cost() == null ? null : r.cost().toString());
        o.put("refund", r.refund() == null ? null : r.refund().toString());
      }
      out.println(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(arr));
    } else if (rows.isEmpty()) {
      out.println("no jobs for " + account);
    } else {
      out.printf(
          "%-66s  %7s  %-9s  %14s  %14s  %14s%n",
          "JOB", "BLOCK", "STATUS", "MAX LPC", "COST LPC", "REFUND LPC");
      for (Row r : rows) {
        out.printf(
            "%-66s  %7d  %-9s  %14s  %14s  %14s%n",
            r.jobId(),
            r.openedBlock(),
            r.status(),
            WalletCommand.formatAmount(r.maxPrice()),
            r.cost() == null ? "-" : WalletCommand.formatAmount(r.cost()),
            r.refund() == null ? "-" : WalletCommand.formatAmount(r.refund()));
      }
    }
    out.flush();
    return 0;
  }

  private static EthAddress parse(String s) {
    try {
      return EthAddress.fromHex(s);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("not an address: " + s);
    }
  }

  private List<Row> jobs(LayerproofContracts c, EthAddress account) throws IOException {
    Web3j web3j = c.web3j();
    long head = web3j.ethBlockNumber().send().getBlockNumber().longValueExact();
    String market = c.addresses().market();
    String buyerTopic =
        Numeric.toHexStringWithPrefixZeroPadded(Numeric.toBigInt(account.toString()), 64);
    List<Row> rows = new ArrayList<>();
    for (long from = fromBlock; from <= head; from += CHUNK) {
      long to = Math.min(head, from + CHUNK - 1);
      EthFilter f = filter(from, to, market);
      f.addSingleTopic(JOB_OPENED);
      f.addNullTopic();
      f.addSingleTopic(buyerTopic);
      for (Log log : logs(web3j, f)) {
        byte[] id = Numeric.hexStringToByteArray(log.getTopics().get(1));
        JobMarket.Job job = send(c.market().jobInfo(id));
        String status =
            List.of("none", "open", "finalized", "fraud").get(job.status.intValueExact());
        BigInteger cost = null;
        BigInteger refund = null;
        if (status.equals("finalized")) {
          // Finalized after it opened: the search starts at the opening block, not block 0.
          BigInteger[] settled =
              finalized(
                  web3j,
                  market,
                  log.getTopics().get(1),
                  log.getBlockNumber().longValueExact(),
                  head);
          cost = settled[0];
          refund = settled[1];
        } else if (status.equals("fraud")) {
          cost = BigInteger.ZERO;
          refund = job.maxPrice;
        }
        rows.add(
            new Row(
                log.getTopics().get(1),
                log.getBlockNumber().longValueExact(),
                status,
                job.maxPrice,
                cost,
                refund));
      }
    }
    return rows;
  }

  /** cost and refund from the job's JobFinalized log. */
  private static BigInteger[] finalized(
      Web3j web3j, String market, String jobTopic, long from, long head) throws IOException {
    for (long start = from; start <= head; start += CHUNK) {
      EthFilter f = filter(start, Math.min(head, start + CHUNK - 1), market);
      f.addSingleTopic(JOB_FINALIZED);
      f.addSingleTopic(jobTopic);
      for (Log log : logs(web3j, f)) {
        var values =
            FunctionReturnDecoder.decode(
                log.getData(), JobMarket.JOBFINALIZED_EVENT.getNonIndexedParameters());
        return new BigInteger[] {
          (BigInteger) values.get(0).getValue(), (BigInteger) values.get(2).getValue()
        };
      }
    }
    throw new IllegalStateException("the chain says finalized but holds no JobFinalized log");
  }

  private static EthFilter filter(long from, long to, String market) {
    return new EthFilter(
        DefaultBlockParameter.valueOf(BigInteger.valueOf(from)),
        DefaultBlockParameter.valueOf(BigInteger.valueOf(to)),
        market);
  }

  private static List<Log> logs(Web3j web3j, EthFilter f) throws IOException {
    EthLog r = web3j.ethGetLogs(f).send();
    if (r.hasError()) {
      throw new IOException("eth_getLogs: " + r.getError().getMessage());
    }
    List<Log> out = new ArrayList<>();
    for (EthLog.LogResult<?> l : r.getLogs()) {
      out.add((Log) l.get());
    }
    return out;
  }
}
