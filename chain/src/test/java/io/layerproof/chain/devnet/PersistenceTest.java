package io.layerproof.chain.devnet;

import static io.layerproof.chain.devnet.DevnetFixture.encode;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.layerproof.chain.devnet.DevnetFixture.Transport;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.core.DefaultBlockParameter;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.methods.request.EthFilter;
import org.web3j.protocol.core.methods.response.EthBlock;
import org.web3j.protocol.core.methods.response.TransactionReceipt;

/** A chain on disk survives close and reopen with everything a client can ask for. */
class PersistenceTest {

  @TempDir Path dir;

  @Test
  void stateBlocksReceiptsAndLogsSurviveReopen() throws Exception {
    Credentials alice = DevnetFixture.randomCredentials();
    Credentials bob = DevnetFixture.randomCredentials();
    DevnetGenesis genesis = DevnetFixture.genesisFor(alice);
    String probe;
    TransactionReceipt stored;
    TransactionReceipt transfer;
    EthBlock.Block headBefore;
    BigInteger aliceBalance;
    String code;
    long offset;
    try (DevnetFixture f =
        DevnetFixture.attach(EmbeddedChain.open(dir, genesis), Transport.IN_PROCESS, alice)) {
      probe = f.deployProbe();
      stored =
          f.mined(
              f.tx1559(alice, probe, BigInteger.ZERO, encode("store", 42, 777), 200_000), alice);
      transfer =
          f.mined(f.tx1559(alice, bob.getAddress(), BigInteger.valueOf(5), "0x", 21_000), alice);
      f.rpcResult("anvil_setBalance", bob.getAddress(), "0x1234");
      offset = ((Number) f.rpcResult("evm_increaseTime", 100)).longValue();
      headBefore =
          f.web3j.ethGetBlockByNumber(DefaultBlockParameterName.LATEST, true).send().getBlock();
      aliceBalance = f.balance(alice.getAddress());
      code = f.web3j.ethGetCode(probe, DefaultBlockParameterName.LATEST).send().getCode();
    }
    assertTrue(Files.isDirectory(dir.resolve("state")));
    assertTrue(Files.isDirectory(dir.resolve("chain")));

    // Reopen with a genesis that would allocate differently: the stored chain wins.
    try (DevnetFixture f =
        DevnetFixture.attach(
            EmbeddedChain.open(dir, DevnetGenesis.defaults()), Transport.HTTP, alice)) {
      assertEquals(3, f.chain.blockNumber());
      assertEquals(DevnetFixture.COINBASE, f.chain.genesis().coinbase());
      EthBlock.Block head =
          f.web3j.ethGetBlockByNumber(DefaultBlockParameterName.LATEST, true).send().getBlock();
      assertEquals(headBefore.getHash(), head.getHash());
      assertEquals(headBefore.getStateRoot(), head.getStateRoot());
      assertEquals(aliceBalance, f.balance(alice.getAddress()));
      assertEquals(new BigInteger("1234", 16), f.balance(bob.getAddress()));
      assertEquals(BigInteger.valueOf(3), f.nonce(alice.getAddress()));
      assertEquals(
          code, f.web3j.ethGetCode(probe, DefaultBlockParameterName.LATEST).send().getCode());
      assertEquals(BigInteger.valueOf(777), f.callUint(probe, encode("values", 42)));
      // Historical state is still there: bob had 5 wei at the transfer block.
      assertEquals(
          BigInteger.valueOf(5),
          f.web3j
              .ethGetBalance(
                  bob.getAddress(), DefaultBlockParameter.valueOf(transfer.getBlockNumber()))
              .send()
              .getBalance());
      TransactionReceipt r = f.receipt(stored.getTransactionHash());
      assertEquals(stored.getBlockHash(), r.getBlockHash());
      assertEquals(stored.getGasUsed(), r.getGasUsed());
      assertEquals(1, r.getLogs().size());
      assertNotNull(
          f.web3j
              .ethGetTransactionByHash(transfer.getTransactionHash())
              .send()
              .getTransaction()
              .orElse(null));
      List<?> logs =
          f.web3j
              .ethGetLogs(
                  new EthFilter(
                      DefaultBlockParameterName.EARLIEST, DefaultBlockParameterName.LATEST, probe))
              .send()
              .getLogs();
      assertEquals(1, logs.size());
      // The time offset is kept and the chain goes on from its head.
      assertEquals(offset + 10, ((Number) f.rpcResult("evm_increaseTime", 10)).longValue());
      TransactionReceipt next =
          f.mined(f.tx1559(alice, bob.getAddress(), BigInteger.ONE, "0x", 21_000), alice);
      assertEquals(BigInteger.valueOf(4), next.getBlockNumber());
      EthBlock.Block b4 = f.web3j.ethGetBlockByHash(next.getBlockHash(), false).send().getBlock();
      assertEquals(head.getHash(), b4.getParentHash());
    }
  }

  @Test
  void missingStateIsReportedClearly() {
    Credentials alice = DevnetFixture.randomCredentials();
    try (DevnetFixture f =
        DevnetFixture.attach(
            EmbeddedChain.open(dir, DevnetFixture.genesisFor(alice)),
            Transport.IN_PROCESS,
            alice)) {
      f.mined(
          f.tx1559(
              alice, "0x00000000000000000000000000000000000b0b01", BigInteger.ONE, "0x", 21_000),
          alice);
    }
    deleteTree(dir.resolve("state"));
    IllegalStateException e =
        assertThrows(
            IllegalStateException.class, () -> EmbeddedChain.open(dir, DevnetGenesis.defaults()));
    assertTrue(e.getMessage().contains("state root"), e.getMessage());
    assertTrue(e.getMessage().contains("head block 1"), e.getMessage());
  }

  @Test
  void reopeningWithAnotherChainIdIsRefused() {
    EmbeddedChain.open(dir, DevnetGenesis.defaults()).close();
    IllegalStateException e =
        assertThrows(
            IllegalStateException.class,
            () -> EmbeddedChain.open(dir, DevnetGenesis.defaults().withChainId(31337)));
    assertTrue(e.getMessage().contains("chain id 1337"), e.getMessage());
    // And the folder is still usable afterwards (nothing left locked).
    try (EmbeddedChain c = EmbeddedChain.open(dir, DevnetGenesis.defaults())) {
      assertEquals(0, c.blockNumber());
    }
  }

  private static void deleteTree(Path p) {
    try (Stream<Path> s = Files.walk(p)) {
      s.sorted(Comparator.reverseOrder()).forEach(x -> x.toFile().delete());
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
