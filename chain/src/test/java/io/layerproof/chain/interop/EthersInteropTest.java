package io.layerproof.chain.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.layerproof.chain.contracts.ContractAddresses;
import io.layerproof.chain.contracts.DeployParams;
import io.layerproof.chain.contracts.LayerproofContracts;
import io.layerproof.chain.devnet.DevnetGenesis;
import io.layerproof.chain.devnet.EmbeddedChain;
import io.layerproof.chain.devnet.JsonRpcServer;
import io.layerproof.contracts.generated.ComputeToken;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.Keys;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.utils.Numeric;

/**
 * ethers.js, a wallet library nobody here wrote, sends a signed ERC-20 transfer to the devnet's
 * HTTP JSON-RPC and reads the Transfer event back; Java then checks the same facts on the chain.
 */
class EthersInteropTest {

  private static final BigInteger ETH = BigInteger.TEN.pow(18);

  @Test
  void ethersSendsASignedTransferAndReadsTheEventBack() throws Exception {
    Credentials deployer = Credentials.create(Keys.createEcKeyPair());
    Credentials ethersWallet = Credentials.create(Keys.createEcKeyPair());
    String recipient = Credentials.create(Keys.createEcKeyPair()).getAddress();
    DevnetGenesis genesis =
        DevnetGenesis.defaults()
            .withAlloc(deployer.getAddress(), ETH.multiply(BigInteger.TEN))
            .withAlloc(ethersWallet.getAddress(), ETH);
    BigInteger minted = ETH.multiply(BigInteger.valueOf(50));
    BigInteger amount = new BigInteger("12345678901234567890");

    try (EmbeddedChain chain = EmbeddedChain.inMemory(genesis);
        JsonRpcServer server = JsonRpcServer.start(chain, "127.0.0.1", 0)) {
      Web3j web3j = Web3j.build(chain.web3jService());
      ContractAddresses addresses =
          LayerproofContracts.deploy(
              web3j, chain.chainId(), deployer, DeployParams.defaults(deployer.getAddress()));
      LayerproofContracts c = LayerproofContracts.load(web3j, chain.chainId(), deployer, addresses);
      LayerproofContracts.send(c.token().mint(ethersWallet.getAddress(), minted));

      JsonNode out =
          runEthers(
              server.url(),
              Numeric.toHexStringWithPrefixZeroPadded(
                  ethersWallet.getEcKeyPair().getPrivateKey(), 64),
              addresses.token(),
              recipient,
              amount);

      assertEquals(Long.toString(chain.chainId()), out.get("chainId").asText());
      assertEquals(1, out.get("status").asInt(), "ethers saw a failed receipt: " + out);
      assertEquals(2, out.get("txType").asInt(), "ethers should have sent an EIP-1559 transaction");
      JsonNode events = out.get("events");
      assertEquals(1, events.size(), "exactly one Transfer event: " + out);
      JsonNode ev = events.get(0);
      assertTrue(ev.get("from").asText().equalsIgnoreCase(ethersWallet.getAddress()));
      assertTrue(ev.get("to").asText().equalsIgnoreCase(recipient));
      assertEquals(amount.toString(), ev.get("value").asText());
      assertEquals(out.get("txHash").asText(), ev.get("txHash").asText());
      assertEquals(amount.toString(), out.get("balanceTo").asText());

      // The same facts, read by Java from the chain itself.
      TransactionReceipt receipt =
          web3j
              .ethGetTransactionReceipt(out.get("txHash").asText())
              .send()
              .getTransactionReceipt()
              .orElseThrow();
      assertTrue(receipt.isStatusOK());
      List<ComputeToken.TransferEventResponse> transfers = ComputeToken.getTransferEvents(receipt);
      assertEquals(1, transfers.size());
      assertEquals(amount, transfers.get(0).value);
      assertEquals(amount, LayerproofContracts.send(c.token().balanceOf(recipient)));
      assertEquals(
          minted.subtract(amount),
          LayerproofContracts.send(c.token().balanceOf(ethersWallet.getAddress())));
      web3j.shutdown();
    }
  }

  private static JsonNode runEthers(
      String rpcUrl, String privateKey, String token, String to, BigInteger amount)
      throws Exception {
    Path script = locate("contracts/test/ethers-transfer.mjs");
    ProcessBuilder pb = new ProcessBuilder("node", script.toString()).redirectErrorStream(false);
    pb.environment().put("RPC_URL", rpcUrl);
    pb.environment().put("PRIVATE_KEY", privateKey);
    pb.environment().put("TOKEN", token);
    pb.environment().put("TO", to);
    pb.environment().put("AMOUNT", amount.toString());
    Process p = pb.start();
    byte[] stdout = p.getInputStream().readAllBytes();
    byte[] stderr = p.getErrorStream().readAllBytes();
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "ethers script timed out");
    String err = new String(stderr, StandardCharsets.UTF_8);
    assertEquals(0, p.exitValue(), "ethers script failed: " + err);
    String text = new String(stdout, StandardCharsets.UTF_8).trim();
    String last = text.substring(text.lastIndexOf('\n') + 1);
    return new ObjectMapper().readTree(last);
  }

  /** Finds a repository file from the module's working folder upwards. */
  private static Path locate(String relative) {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      Path candidate = dir.resolve(relative);
      if (Files.exists(candidate) && Files.exists(dir.resolve("contracts/node_modules/ethers"))) {
        return candidate;
      }
    }
    throw new IllegalStateException(
        relative + " or ethers not found: run npm ci --prefix contracts");
  }
}
