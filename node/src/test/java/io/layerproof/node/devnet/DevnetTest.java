package io.layerproof.node.devnet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.layerproof.chain.contracts.ContractAddresses;
import io.layerproof.chain.contracts.LayerproofContracts;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.http.HttpService;

class DevnetTest {

  @TempDir Path dir;

  private DevnetOptions options(boolean reset) {
    return new DevnetOptions(dir, "127.0.0.1", 0, 0, 1337, reset);
  }

  @Test
  void firstRunDeploysAndFundsAndARestartFindsEverything() throws Exception {
    List<String> steps = new ArrayList<>();
    ContractAddresses first;
    long blockAfterSetUp;
    String buyer;
    try (Devnet devnet = Devnet.start(options(false), steps::add)) {
      assertTrue(devnet.freshDeployment());
      first = devnet.contracts();
      blockAfterSetUp = devnet.blockNumber();
      buyer = devnet.buyer().address();
      assertFunded(devnet);

      // Over HTTP too: a tool that knows only the URL sees the same chain.
      Web3j http = Web3j.build(new HttpService(devnet.rpcUrl()));
      assertEquals(BigInteger.valueOf(1337), http.ethChainId().send().getChainId());
      assertTrue(
          http.ethGetCode(first.market(), DefaultBlockParameterName.LATEST)
                  .send()
                  .getCode()
                  .length()
              > 2);
      http.shutdown();
    }
    assertTrue(steps.stream().anyMatch(s -> s.contains("deploying")), steps.toString());
    Path weights = dir.resolve("model").resolve("model.safetensors");
    assertTrue(Files.size(weights) > 1_000_000, "the default model is generated on first run");
    var written = Files.getLastModifiedTime(weights);

    try (Devnet again = Devnet.start(options(false), s -> {})) {
      assertFalse(again.freshDeployment(), "a restart must reuse the deployment");
      assertEquals(first, again.contracts());
      assertEquals(blockAfterSetUp, again.blockNumber());
      assertEquals(buyer, again.buyer().address(), "demo keys persist");
      assertFunded(again);
      assertEquals(written, Files.getLastModifiedTime(weights), "the model is not regenerated");
    }

    try (Devnet reset = Devnet.start(options(true), s -> {})) {
      assertTrue(reset.freshDeployment());
      assertFalse(buyer.equals(reset.buyer().address()), "--reset makes new demo keys");
    }
  }

  @Test
  void demoKeysAreOwnerOnly() throws Exception {
    try (Devnet devnet = Devnet.start(options(false), s -> {})) {
      try (var files = Files.list(dir.resolve("keys"))) {
        for (Path key : files.toList()) {
          assertEquals(
              Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE),
              Files.getPosixFilePermissions(key),
              key.toString());
        }
      }
    }
  }

  @Test
  void aDeploymentFileThatPointsNowhereIsAClearError() throws Exception {
    try (Devnet devnet = Devnet.start(options(false), s -> {})) {
      // set up once
    }
    Path file = dir.resolve("deployment.json");
    String text = Files.readString(file);
    ContractAddresses c;
    try (Devnet devnet = Devnet.start(options(false), s -> {})) {
      c = devnet.contracts();
    }
    Files.writeString(file, text.replace(c.market().substring(2), "00".repeat(20)));
    IllegalStateException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            IllegalStateException.class, () -> Devnet.start(options(false), s -> {}));
    assertTrue(e.getMessage().contains("--reset"), e.getMessage());
  }

  private static void assertFunded(Devnet devnet) {
    LayerproofContracts c = devnet.contractsAs(devnet.operator());
    assertEquals(
        Devnet.BUYER_ESCROW,
        LayerproofContracts.send(c.market().freeBalanceOf(devnet.buyer().address())));
    assertEquals(
        Devnet.BUYER_TOKENS.subtract(Devnet.BUYER_ESCROW),
        LayerproofContracts.send(c.token().balanceOf(devnet.buyer().address())));
    for (DevAccount p : devnet.providers()) {
      assertEquals(
          Devnet.PROVIDER_STAKE,
          LayerproofContracts.send(c.registry().bondOf(p.address())).component1());
      assertTrue(
          LayerproofContracts.send(
              c.registry().isActiveAs(p.address(), BigInteger.valueOf(Devnet.ROLE_PROVIDER))));
    }
  }
}
