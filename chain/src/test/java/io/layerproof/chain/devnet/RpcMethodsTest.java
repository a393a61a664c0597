package io.layerproof.chain.devnet;

import static io.layerproof.chain.devnet.DevnetFixture.encode;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.layerproof.chain.devnet.DevnetFixture.Transport;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.core.DefaultBlockParameter;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.Response;
import org.web3j.protocol.core.methods.response.EthFeeHistory;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.utils.Numeric;

/** The remaining read methods and the anvil-compatible development methods. */
class RpcMethodsTest {

  @ParameterizedTest
  @EnumSource(Transport.class)
  void setBalanceFundsAnAccountWithoutMining(Transport transport) throws Exception {
    try (DevnetFixture f = DevnetFixture.start(transport)) {
      Credentials carol = DevnetFixture.randomCredentials();
      assertNull(f.rpcResult("anvil_setBalance", carol.getAddress(), "0xde0b6b3a7640000"));
      assertEquals(DevnetFixture.ETHER, f.balance(carol.getAddress()));
      assertEquals(0, f.chain.blockNumber());
      // And carol can spend it; pending nonce (what ethers asks for) follows.
      assertEquals(BigInteger.ZERO, f.nonce(carol.getAddress()));
      TransactionReceipt r =
          f.mined(f.tx1559(carol, f.alice.getAddress(), BigInteger.ONE, "0x", 21_000), carol);
      assertTrue(r.isStatusOK());
      assertEquals("0x1", f.rpcResult("eth_getTransactionCount", carol.getAddress(), "pending"));
      assertEquals("0x1", f.rpcResult("eth_getTransactionCount", carol.getAddress(), "latest"));
      assertEquals("0x0", f.rpcResult("eth_getTransactionCount", carol.getAddress(), "earliest"));
      assertNull(f.rpcResult("anvil_setNonce", carol.getAddress(), "0x7"));
      assertEquals(BigInteger.valueOf(7), f.nonce(carol.getAddress()));
    }
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void setCodeInstallsCodeAndTopiclessLogsAreRecorded(Transport transport) throws Exception {
    try (DevnetFixture f = DevnetFixture.start(transport)) {
      String target = "0x00000000000000000000000000000000000c0de1";
      // PUSH1 1, PUSH1 0, MSTORE8, PUSH1 1, PUSH1 0, LOG0, STOP: an anonymous log holding 0x01.
      assertNull(f.rpcResult("anvil_setCode", target, "0x600160005360016000a000"));
      assertEquals(
          "0x600160005360016000a000",
          f.web3j.ethGetCode(target, DefaultBlockParameterName.LATEST).send().getCode());
      TransactionReceipt r =
          f.mined(f.tx1559(f.alice, target, BigInteger.ZERO, "0x", 50_000), f.alice);
      assertTrue(r.isStatusOK());
      assertEquals(1, r.getLogs().size());
      assertTrue(r.getLogs().get(0).getTopics().isEmpty());
      assertEquals("0x01", r.getLogs().get(0).getData());
      assertEquals(target, r.getLogs().get(0).getAddress());
    }
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void snapshotAndRevertRewindBlocksAndState(Transport transport) throws Exception {
    try (DevnetFixture f = DevnetFixture.start(transport)) {
      String bob = "0x00000000000000000000000000000000000b0b01";
      f.mined(f.tx1559(f.alice, bob, BigInteger.ONE, "0x", 21_000), f.alice);
      String id = (String) f.rpcResult("evm_snapshot");
      BigInteger aliceBefore = f.balance(f.alice.getAddress());
      TransactionReceipt later =
          f.mined(f.tx1559(f.alice, bob, BigInteger.TEN, "0x", 21_000), f.alice);
      f.rpcResult("evm_mine");
      assertEquals(3, f.chain.blockNumber());

      assertEquals(Boolean.TRUE, f.rpcResult("evm_revert", id));
      assertEquals(1, f.chain.blockNumber());
      assertEquals(aliceBefore, f.balance(f.alice.getAddress()));
      assertEquals(BigInteger.ONE, f.balance(bob));
      assertTrue(
          f.web3j
              .ethGetTransactionReceipt(later.getTransactionHash())
              .send()
              .getTransactionReceipt()
              .isEmpty());
      assertNull(
          f.web3j
              .ethGetBlockByNumber(DefaultBlockParameter.valueOf(BigInteger.TWO), false)
              .send()
              .getBlock());
      assertEquals(Boolean.FALSE, f.rpcResult("evm_revert", id));
      // The same nonce is usable again, in a new block 2.
      TransactionReceipt again =
          f.mined(f.tx1559(f.alice, bob, BigInteger.TWO, "0x", 21_000), f.alice);
      assertEquals(BigInteger.TWO, again.getBlockNumber());
    }
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void nextBlockTimestampIsExactAndTimeContinuesFromIt(Transport transport) throws Exception {
    try (DevnetFixture f = DevnetFixture.start(transport)) {
      long now = System.currentTimeMillis() / 1000;
      long target = now + 86_400;
      assertNull(f.rpcResult("evm_setNextBlockTimestamp", target));
      f.rpcResult("evm_mine");
      var b1 =
          f.web3j.ethGetBlockByNumber(DefaultBlockParameterName.LATEST, false).send().getBlock();
      assertEquals(target, b1.getTimestamp().longValueExact());
      f.rpcResult("evm_mine", Numeric.toHexStringWithPrefix(BigInteger.valueOf(target + 50)));
      var b2 =
          f.web3j.ethGetBlockByNumber(DefaultBlockParameterName.LATEST, false).send().getBlock();
      assertEquals(target + 50, b2.getTimestamp().longValueExact());
      f.rpcResult("evm_mine");
      var b3 =
          f.web3j.ethGetBlockByNumber(DefaultBlockParameterName.LATEST, false).send().getBlock();
      assertTrue(b3.getTimestamp().longValueExact() >= target + 50);
      assertTrue(b3.getTimestamp().longValueExact() < target + 50 + 600);
      Response<Object> past = f.rpc("evm_setNextBlockTimestamp", now - 10);
      assertTrue(past.hasError());
      assertTrue(past.getError().getMessage().contains("lower than previous block's timestamp"));
    }
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void feeAndNodeInformation(Transport transport) throws Exception {
    try (DevnetFixture f = DevnetFixture.start(transport)) {
      f.mined(
          f.tx1559(
              f.alice, "0x00000000000000000000000000000000000b0b01", BigInteger.ONE, "0x", 21_000),
          f.alice);
      assertEquals(BigInteger.valueOf(2_000_000_000L), f.web3j.ethGasPrice().send().getGasPrice());
      assertEquals(
          BigInteger.valueOf(1_000_000_000L),
          f.web3j.ethMaxPriorityFeePerGas().send().getMaxPriorityFeePerGas());
      assertEquals(1337L, f.web3j.ethChainId().send().getChainId().longValue());
      assertFalse(f.web3j.ethSyncing().send().isSyncing());
      assertTrue(f.web3j.ethAccounts().send().getAccounts().isEmpty());
      assertTrue(
          f.web3j
              .web3ClientVersion()
              .send()
              .getWeb3ClientVersion()
              .startsWith("layerproof-devnet/"));
      EthFeeHistory.FeeHistory h =
          f.web3j
              .ethFeeHistory(4, DefaultBlockParameterName.LATEST, List.of(50.0))
              .send()
              .getFeeHistory();
      assertEquals(BigInteger.ZERO, h.getOldestBlock());
      assertEquals(3, h.getBaseFeePerGas().size());
      assertEquals(List.of(0.0, 21_000 / 30_000_000.0), h.getGasUsedRatio());
      assertEquals(
          List.of(List.of(BigInteger.ZERO), List.of(BigInteger.valueOf(1_000_000_000L))),
          h.getReward());
    }
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void stateReadsAtHistoricalBlocksAndStorageSlots(Transport transport) throws Exception {
    try (DevnetFixture f = DevnetFixture.start(transport)) {
      String probe = f.deployProbe();
      f.mined(f.tx1559(f.alice, probe, BigInteger.ZERO, encode("store", 0, 99), 200_000), f.alice);
      // values is slot 0; values[0] lives at keccak(0 . 0).
      String slot = Numeric.toHexString(org.web3j.crypto.Hash.sha3(new byte[64]));
      assertEquals(
          Numeric.toHexStringWithPrefixZeroPadded(BigInteger.valueOf(99), 64),
          f.rpcResult("eth_getStorageAt", probe, slot, "latest"));
      assertEquals("0x" + "00".repeat(32), f.rpcResult("eth_getStorageAt", probe, slot, "0x1"));
      assertEquals(
          "0x",
          f.web3j
              .ethGetCode(probe, DefaultBlockParameter.valueOf(BigInteger.ZERO))
              .send()
              .getCode());
      // EIP-1898 block object, and eth_call at a block where the value was not yet stored.
      Object atBlock1 =
          f.rpcResult(
              "eth_call",
              Map.of("to", probe, "data", encode("values", 0)),
              Map.of("blockNumber", "0x1"));
      assertEquals(Numeric.toHexStringWithPrefixZeroPadded(BigInteger.ZERO, 64), atBlock1);
      Response<Object> future = f.rpc("eth_getBalance", probe, "0x99");
      assertEquals("header not found", future.getError().getMessage());
      assertNull(
          f.web3j
              .ethGetBlockByNumber(DefaultBlockParameter.valueOf(BigInteger.valueOf(99)), false)
              .send()
              .getBlock());
      assertNull(f.rpcResult("eth_getTransactionByHash", "0x" + "ab".repeat(32)));
    }
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void unknownMethodsAndBadParamsAreJsonRpcErrors(Transport transport) {
    try (DevnetFixture f = DevnetFixture.start(transport)) {
      Response<Object> unknown = f.rpc("eth_sendTransaction", Map.of());
      assertEquals(-32601, unknown.getError().getCode());
      Response<Object> badAddress = f.rpc("eth_getBalance", "0x1234", "latest");
      assertEquals(-32602, badAddress.getError().getCode());
      assertTrue(badAddress.getError().getMessage().startsWith("invalid argument 0:"));
      Response<Object> missing = f.rpc("eth_getBalance");
      assertEquals(-32602, missing.getError().getCode());
      Response<Object> tooMany = f.rpc("eth_getBalance", f.alice.getAddress(), "latest", "extra");
      assertEquals("too many arguments, want at most 2", tooMany.getError().getMessage());
      Response<Object> badTag = f.rpc("eth_getBlockByNumber", "newest", false);
      assertEquals(-32602, badTag.getError().getCode());
      Response<Object> badRange =
          f.rpc(
              "eth_getLogs",
              Map.of(
                  "fromBlock",
                  "0x0",
                  "toBlock",
                  Numeric.toHexStringWithPrefix(BigInteger.valueOf(200_000))));
      assertFalse(badRange.hasError(), "a range past the head is clamped to it");
      assertThrows(
          UnsupportedOperationException.class,
          () -> f.chain.web3jService().subscribe(null, "x", null));
    }
  }
}
