package io.layerproof.node.bench;

import io.layerproof.chain.anvil.AnvilNode;
import io.layerproof.chain.devnet.DevnetGenesis;
import io.layerproof.chain.devnet.EmbeddedChain;
import io.layerproof.chain.devnet.JsonRpcServer;
import java.io.IOException;
import java.io.PrintWriter;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.Keys;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.Request;
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

  record Result(Map<String, double[]> perRound) {
    double median(String chain) {
      double[] v = perRound.get(chain).clone();
      Arrays.sort(v);
      int n = v.length;
      return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    }
  }

  static Result throughput(int transfers, int rounds, PrintWriter out) throws Exception {
    Credentials sender = Credentials.create(Keys.createEcKeyPair());
    Path dir = Files.createTempDirectory("layerproof-bench-chain");
    DevnetGenesis genesis = DevnetGenesis.defaults().withAlloc(sender.getAddress(), FUNDS);
    try (EmbeddedChain chain = EmbeddedChain.open(dir.resolve("chain"), genesis);
        JsonRpcServer server = JsonRpcServer.start(chain, "127.0.0.1", 0);
        AnvilNode anvil = AnvilNode.start()) {
      Web3j inProcess = Web3j.build(chain.web3jService());
      Web3j embeddedHttp = Web3j.build(new HttpService(server.url()));
      Web3j anvilHttp = Web3j.build(new HttpService(anvil.rpcUrl()));
      setBalance(anvilHttp, anvil.rpcUrl(), sender.getAddress());

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
      return new Result(results);
    } finally {
      deleteQuietly(dir);
    }
  }

  private static void setBalance(Web3j web3j, String url, String address) throws IOException {
    var r =
        new Request<>(
                "anvil_setBalance",
                List.of(address, Numeric.toHexStringWithPrefix(FUNDS)),
                new HttpService(url),
                org.web3j.protocol.core.methods.response.VoidResponse.class)
            .send();
    if (r.hasError()) {
      throw new IOException("anvil_setBalance: " + r.getError().getMessage());
    }
  }

  private static void deleteQuietly(Path dir) {
    try (var paths = Files.walk(dir)) {
      paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException ignored) {
      // A temp folder left behind is harmless.
    }
  }
}
