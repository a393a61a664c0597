package io.layerproof.node.bench;

import io.layerproof.chain.anvil.AnvilNode;
import io.layerproof.chain.contracts.ContractGasReport;
import io.layerproof.chain.devnet.DevnetGenesis;
import io.layerproof.chain.devnet.EmbeddedChain;
import io.layerproof.chain.devnet.JsonRpcServer;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.io.FileUtils;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.Keys;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.Web3jService;
import org.web3j.protocol.core.Request;
import org.web3j.protocol.core.methods.response.VoidResponse;
import org.web3j.protocol.http.HttpService;
import org.web3j.utils.Numeric;

/**
 * Signed transfers per second with receipts on the embedded chain (in-process and over its HTTP
 * JSON-RPC) against anvil over RPC, measured in one run with the rounds interleaved so the
 * machine's noise falls on all three alike.
 */
final class ChainBench {

  private static final BigInteger FUNDS = BigInteger.TEN.pow(24);

  private ChainBench() {}

  /**
   * @param perRound transfers/s per round, by chain
   * @param gasEmbedded gas per contract operation on the embedded chain
   * @param gasAnvil the same operations on anvil
   */
  record Result(
      Map<String, double[]> perRound,
      Map<String, BigInteger> gasEmbedded,
      Map<String, BigInteger> gasAnvil) {
    double median(String chain) {
      double[] v = perRound.get(chain).clone();
      Arrays.sort(v);
      int n = v.length;
      return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    }
  }

  static Result run(int transfers, int rounds, PrintWriter out) throws Exception {
    Credentials sender = Credentials.create(Keys.createEcKeyPair());
    Credentials gasFunder = Credentials.create(Keys.createEcKeyPair());
    Path dir = Files.createTempDirectory("layerproof-bench-chain");
    DevnetGenesis genesis =
        DevnetGenesis.defaults()
            .withAlloc(sender.getAddress(), FUNDS)
            .withAlloc(gasFunder.getAddress(), FUNDS);
    try (EmbeddedChain chain = EmbeddedChain.open(dir.resolve("chain"), genesis);
        JsonRpcServer server = JsonRpcServer.start(chain, "127.0.0.1", 0);
        AnvilNode anvil = AnvilNode.start()) {
      Web3j inProcess = Web3j.build(chain.web3jService());
      Web3j embeddedHttp = Web3j.build(new HttpService(server.url()));
      Web3j anvilHttp = Web3j.build(new HttpService(anvil.rpcUrl()));
      setBalance(anvil.rpcUrl(), sender.getAddress());
      setBalance(anvil.rpcUrl(), gasFunder.getAddress());

      out.println("  gas per operation: embedded chain, then anvil");
      out.flush();
      Map<String, BigInteger> gasEmbedded =
          ContractGasReport.measure(
              inProcess, chain.chainId(), gasFunder, s -> advance(chain.web3jService(), s));
      HttpService anvilService = new HttpService(anvil.rpcUrl());
      Map<String, BigInteger> gasAnvil =
          ContractGasReport.measure(
              anvilHttp, AnvilNode.CHAIN_ID, gasFunder, s -> advance(anvilService, s));

      Map<String, Web3j> chains = new LinkedHashMap<>();
      chains.put("embedded (in-process)", inProcess);
      chains.put("embedded (HTTP JSON-RPC)", embeddedHttp);
      chains.put("anvil (HTTP JSON-RPC)", anvilHttp);
      Map<String, Long> chainIds =
          Map.of(
              "embedded (in-process)", chain.chainId(),
              "embedded (HTTP JSON-RPC)", chain.chainId(),
              "anvil (HTTP JSON-RPC)", AnvilNode.CHAIN_ID);

      // Warm-up: JIT, connection pools, the chains' caches.
      for (var e : chains.entrySet()) {
        TransferThroughput.round(
            e.getValue(), chainIds.get(e.getKey()), sender, transfers / 5 + 1, System::nanoTime);
      }
      Map<String, double[]> results = new LinkedHashMap<>();
      chains.keySet().forEach(k -> results.put(k, new double[rounds]));
      for (int r = 0; r < rounds; r++) {
        List<String> line = new ArrayList<>();
        for (var e : chains.entrySet()) {
          double tps =
              TransferThroughput.round(
                  e.getValue(), chainIds.get(e.getKey()), sender, transfers, System::nanoTime);
          results.get(e.getKey())[r] = tps;
          line.add(String.format("%s %.0f/s", e.getKey(), tps));
        }
        out.printf("  round %d: %s%n", r + 1, String.join(", ", line));
        out.flush();
      }
      inProcess.shutdown();
      embeddedHttp.shutdown();
      anvilHttp.shutdown();
      return new Result(results, gasEmbedded, gasAnvil);
    } finally {
      FileUtils.deleteQuietly(dir.toFile());
    }
  }

  private static void setBalance(String url, String address) throws IOException {
    devRpc(new HttpService(url), "anvil_setBalance", address, Numeric.toHexStringWithPrefix(FUNDS));
  }

  /** Moves the chain's clock and mines, with the dev methods anvil and the devnet share. */
  private static void advance(Web3jService service, long seconds) {
    try {
      devRpc(service, "evm_increaseTime", seconds);
      devRpc(service, "evm_mine");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void devRpc(Web3jService service, String method, Object... params)
      throws IOException {
    var r = new Request<>(method, List.of(params), service, VoidResponse.class).send();
    if (r.hasError()) {
      throw new IOException(method + ": " + r.getError().getMessage());
    }
  }
}
