package io.layerproof.chain.devnet;

import static io.layerproof.chain.devnet.DevnetFixture.encode;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.layerproof.chain.devnet.DevnetFixture.Transport;
import java.math.BigInteger;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.web3j.crypto.Hash;
import org.web3j.crypto.RawTransaction;
import org.web3j.protocol.core.DefaultBlockParameter;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.methods.request.EthFilter;
import org.web3j.protocol.core.methods.request.Transaction;
import org.web3j.protocol.core.methods.response.EthCall;
import org.web3j.protocol.core.methods.response.EthEstimateGas;
import org.web3j.protocol.core.methods.response.EthLog;
import org.web3j.protocol.core.methods.response.Log;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.utils.Numeric;

/** DevnetProbe on the chain: deployment, events and eth_getLogs, reverts, estimates, refunds. */
class ContractTest {

  private static final String STORED = Hash.sha3String("Stored(address,uint256,uint256)");

  private static String word(long v) {
    return Numeric.toHexStringWithPrefixZeroPadded(BigInteger.valueOf(v), 64);
  }

  private static String word(String address) {
    return Numeric.toHexStringWithPrefixZeroPadded(Numeric.toBigInt(address), 64);
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void deploymentAddressFollowsTheSenderNonceAndCodeIsStored(Transport transport) throws Exception {
    try (DevnetFixture f = DevnetFixture.start(transport)) {
      f.mined(
          f.tx1559(
              f.alice, "0x00000000000000000000000000000000000b0b01", BigInteger.ONE, "0x", 21_000),
          f.alice);
      String expected =
          org.web3j.crypto.ContractUtils.generateContractAddress(
              f.alice.getAddress(), BigInteger.ONE);
      String probe = f.deployProbe();
      assertEquals(expected, probe);
      assertEquals(BigInteger.TWO, f.nonce(f.alice.getAddress()));
      String code = f.web3j.ethGetCode(probe, DefaultBlockParameterName.LATEST).send().getCode();
      assertTrue(code.length() > 100, code);
      assertEquals(BigInteger.valueOf(1000), f.callUint(probe, encode("MAX")));
    }
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void eventsAreInReceiptsAndFoundByGetLogsFilters(Transport transport) throws Exception {
    try (DevnetFixture f = DevnetFixture.start(transport)) {
      String probe = f.deployProbe();
      TransactionReceipt r1 =
          f.mined(
              f.tx1559(f.alice, probe, BigInteger.ZERO, encode("store", 1, 10), 200_000), f.alice);
      TransactionReceipt r2 =
          f.mined(
              f.tx1559(f.alice, probe, BigInteger.ZERO, encode("store", 2, 20), 200_000), f.alice);
      TransactionReceipt r3 =
          f.mined(
              f.tx1559(f.alice, probe, BigInteger.ZERO, encode("storeViaSelf", 3, 30), 200_000),
              f.alice);
      assertTrue(r1.isStatusOK() && r2.isStatusOK() && r3.isStatusOK());

      Log l1 = r1.getLogs().get(0);
      assertEquals(probe, l1.getAddress());
      assertEquals(List.of(STORED, word(f.alice.getAddress()), word(1)), l1.getTopics());
      assertEquals(word(10), l1.getData());
      assertEquals(BigInteger.ZERO, l1.getLogIndex());
      assertEquals(BigInteger.ZERO, l1.getTransactionIndex());
      assertEquals(r1.getBlockHash(), l1.getBlockHash());
      assertEquals(r1.getBlockNumber(), l1.getBlockNumber());
      assertEquals(r1.getTransactionHash(), l1.getTransactionHash());
      assertFalse(l1.isRemoved());
      // A self-call: the inner store sees the contract as msg.sender.
      assertEquals(word(probe), r3.getLogs().get(0).getTopics().get(1));
      // The receipt bloom contains the event's address and topics.
      byte[] bloom = Numeric.hexStringToByteArray(r1.getLogsBloom());
      assertTrue(LogsBloom.mayContain(bloom, Numeric.hexStringToByteArray(probe)));
      assertTrue(LogsBloom.mayContain(bloom, Numeric.hexStringToByteArray(STORED)));
      String blockBloom =
          f.web3j.ethGetBlockByHash(r1.getBlockHash(), false).send().getBlock().getLogsBloom();
      assertEquals(r1.getLogsBloom(), blockBloom);

      DefaultBlockParameter first = DefaultBlockParameter.valueOf(r1.getBlockNumber());
      DefaultBlockParameter last = DefaultBlockParameterName.LATEST;
      assertEquals(
          3, logs(f, new EthFilter(DefaultBlockParameterName.EARLIEST, last, probe)).size());
      assertEquals(
          3,
          logs(
                  f,
                  new EthFilter(
                      first, last, List.of(probe, "0x00000000000000000000000000000000000b0b01")))
              .size());
      assertEquals(
          0,
          logs(f, new EthFilter(first, last, "0x00000000000000000000000000000000000b0b01")).size());
      // Topic position 1 = the sender: alice sent two of them directly.
      EthFilter byAlice = new EthFilter(first, last, probe);
      byAlice.addSingleTopic(STORED);
      byAlice.addSingleTopic(word(f.alice.getAddress()));
      assertEquals(
          List.of(r1.getTransactionHash(), r2.getTransactionHash()), txHashes(logs(f, byAlice)));
      // Position 1 anything (null), position 2 one of keys 1 or 3.
      EthFilter keys = new EthFilter(first, last, probe);
      keys.addSingleTopic(STORED);
      keys.addNullTopic();
      keys.addOptionalTopics(word(1), word(3));
      assertEquals(
          List.of(r1.getTransactionHash(), r3.getTransactionHash()), txHashes(logs(f, keys)));
      // Ranges: only the second block; then by block hash.
      DefaultBlockParameter second = DefaultBlockParameter.valueOf(r2.getBlockNumber());
      assertEquals(
          List.of(r2.getTransactionHash()),
          txHashes(logs(f, new EthFilter(second, second, probe))));
      Object byHash = f.rpcResult("eth_getLogs", java.util.Map.of("blockHash", r3.getBlockHash()));
      assertEquals(1, ((List<?>) byHash).size());
      // Result cap: a clear error instead of an unbounded answer.
      RpcException capped =
          org.junit.jupiter.api.Assertions.assertThrows(
              RpcException.class,
              () ->
                  f.chain.logs(
                      new LogFilter(0, f.chain.blockNumber(), java.util.Set.of(), List.of()), 2));
      assertEquals(RpcException.LIMIT_EXCEEDED, capped.code());
      assertTrue(capped.getMessage().startsWith("query returned more than 2 results"));
      // A topic nobody emitted.
      EthFilter none = new EthFilter(first, last, probe);
      none.addSingleTopic(Hash.sha3String("Nothing()"));
      assertEquals(0, logs(f, none).size());
    }
  }

  private static List<Log> logs(DevnetFixture f, EthFilter filter) throws Exception {
    EthLog r = f.web3j.ethGetLogs(filter).send();
    assertFalse(r.hasError(), () -> r.getError().getMessage());
    return r.getLogs().stream().map(l -> (Log) l.get()).toList();
  }

  private static List<String> txHashes(List<Log> logs) {
    return logs.stream().map(Log::getTransactionHash).toList();
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void revertReasonsAreDecodedLikeGeth(Transport transport) throws Exception {
    try (DevnetFixture f = DevnetFixture.start(transport)) {
      String probe = f.deployProbe();

      EthCall unlucky = f.call(probe, encode("store", 1, 13));
      assertEquals(3, unlucky.getError().getCode());
      assertEquals("execution reverted: unlucky value", unlucky.getError().getMessage());
      assertTrue(data(unlucky).startsWith("0x08c379a0"), data(unlucky));

      EthCall tooLarge = f.call(probe, encode("store", 1, 5000));
      assertEquals(3, tooLarge.getError().getCode());
      assertEquals("execution reverted", tooLarge.getError().getMessage());
      String selector =
          Numeric.toHexString(Hash.sha3("TooLarge(uint256,uint256)".getBytes())).substring(0, 10);
      assertEquals(
          selector + Numeric.cleanHexPrefix(word(5000)) + Numeric.cleanHexPrefix(word(1000)),
          data(tooLarge));

      EthCall panic = f.call(probe, encode("divide", 1, 0));
      assertEquals("execution reverted: division or modulo by zero", panic.getError().getMessage());
      assertEquals(BigInteger.valueOf(3), f.callUint(probe, encode("divide", 7, 2)));
    }
  }

  /** Web3j keeps error data as JSON text, quotes included. */
  private static String data(EthCall c) {
    return c.getError().getData().replace("\"", "");
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void revertedTransactionIsMinedWithStatusZeroAndConsumesGas(Transport transport)
      throws Exception {
    try (DevnetFixture f = DevnetFixture.start(transport)) {
      String probe = f.deployProbe();
      BigInteger before = f.balance(f.alice.getAddress());
      BigInteger nonce = f.nonce(f.alice.getAddress());
      TransactionReceipt r =
          f.mined(
              f.tx1559(f.alice, probe, BigInteger.ZERO, encode("store", 4, 13), 100_000), f.alice);

      assertFalse(r.isStatusOK());
      assertEquals("0x0", r.getStatus());
      assertTrue(r.getLogs().isEmpty());
      assertEquals("0x" + "00".repeat(256), r.getLogsBloom());
      assertTrue(
          r.getGasUsed().longValue() > 21_000 && r.getGasUsed().longValue() < 100_000,
          r.getGasUsed().toString());
      BigInteger price = Numeric.decodeQuantity(r.getEffectiveGasPrice());
      assertEquals(
          before.subtract(price.multiply(r.getGasUsed())), f.balance(f.alice.getAddress()));
      assertEquals(nonce.add(BigInteger.ONE), f.nonce(f.alice.getAddress()));
      assertEquals(BigInteger.ZERO, f.callUint(probe, encode("values", 4)));
    }
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void failedDeploymentHasStatusZeroNoAddressAndNoCode(Transport transport) throws Exception {
    try (DevnetFixture f = DevnetFixture.start(transport)) {
      BigInteger nonce = f.nonce(f.alice.getAddress());
      String wouldBe =
          org.web3j.crypto.ContractUtils.generateContractAddress(f.alice.getAddress(), nonce);
      // libevm drops create return data; the chain recovers the constructor's revert reason.
      EthCall simulated = f.call(null, DevnetFixture.probeDeployData(true));
      assertEquals(3, simulated.getError().getCode());
      assertEquals("execution reverted: constructor failed", simulated.getError().getMessage());
      EthEstimateGas est =
          f.web3j
              .ethEstimateGas(
                  Transaction.createContractTransaction(
                      f.alice.getAddress(), null, null, DevnetFixture.probeDeployData(true)))
              .send();
      assertEquals("execution reverted: constructor failed", est.getError().getMessage());
      TransactionReceipt r =
          f.mined(
              f.tx1559(
                  f.alice, null, BigInteger.ZERO, DevnetFixture.probeDeployData(true), 500_000),
              f.alice);

      assertFalse(r.isStatusOK());
      assertNull(r.getContractAddress());
      assertTrue(r.getGasUsed().longValue() > 53_000);
      assertEquals(
          "0x", f.web3j.ethGetCode(wouldBe, DefaultBlockParameterName.LATEST).send().getCode());
      assertEquals(nonce.add(BigInteger.ONE), f.nonce(f.alice.getAddress()));
      // Deploying for real afterwards uses the next nonce.
      assertEquals(
          org.web3j.crypto.ContractUtils.generateContractAddress(
              f.alice.getAddress(), nonce.add(BigInteger.ONE)),
          f.deployProbe());
    }
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void estimateIsTheExactMinimumGas(Transport transport) throws Exception {
    try (DevnetFixture f = DevnetFixture.start(transport)) {
      String probe = f.deployProbe();
      String data = encode("storeViaSelf", 5, 7);
      EthEstimateGas est =
          f.web3j
              .ethEstimateGas(
                  Transaction.createFunctionCallTransaction(
                      f.alice.getAddress(), null, null, null, probe, data))
              .send();
      assertFalse(est.hasError(), () -> est.getError().getMessage());
      long gas = est.getAmountUsed().longValueExact();

      TransactionReceipt tooLittle =
          f.mined(f.tx1559(f.alice, probe, BigInteger.ZERO, data, gas - 1), f.alice);
      assertFalse(tooLittle.isStatusOK());
      assertEquals(BigInteger.ZERO, f.callUint(probe, encode("values", 5)));
      TransactionReceipt enough =
          f.mined(f.tx1559(f.alice, probe, BigInteger.ZERO, data, gas), f.alice);
      assertTrue(enough.isStatusOK());
      assertEquals(BigInteger.valueOf(7), f.callUint(probe, encode("values", 5)));

      EthEstimateGas transfer =
          f.web3j
              .ethEstimateGas(
                  Transaction.createEtherTransaction(
                      f.alice.getAddress(),
                      null,
                      null,
                      null,
                      "0x00000000000000000000000000000000000b0b01",
                      BigInteger.ONE))
              .send();
      assertEquals(BigInteger.valueOf(21_000), transfer.getAmountUsed());
      EthEstimateGas reverting =
          f.web3j
              .ethEstimateGas(
                  Transaction.createFunctionCallTransaction(
                      f.alice.getAddress(), null, null, null, probe, encode("store", 1, 13)))
              .send();
      assertEquals(3, reverting.getError().getCode());
      assertEquals("execution reverted: unlucky value", reverting.getError().getMessage());
    }
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void sstoreRefundIsCappedAtAFifthOfGasUsed(Transport transport) throws Exception {
    try (DevnetFixture f = DevnetFixture.start(transport)) {
      String probe = f.deployProbe();
      String data = encode("setAndClear", 9);
      long estimate =
          f.web3j
              .ethEstimateGas(
                  Transaction.createFunctionCallTransaction(
                      f.alice.getAddress(), null, null, null, probe, data))
              .send()
              .getAmountUsed()
              .longValueExact();
      TransactionReceipt r =
          f.mined(f.tx1559(f.alice, probe, BigInteger.ZERO, data, estimate), f.alice);
      assertTrue(r.isStatusOK());
      // The estimate is the pre-refund gas plus at most a little slack (1/64 kept back for the
      // self-call, the SSTORE stipend check). With London's cap the receipt shows 4/5 of the
      // pre-refund gas; without refunds it would be ~5/5, uncapped ~2/5 (the refund is 19900).
      long used = r.getGasUsed().longValue();
      assertTrue(used * 5 <= estimate * 4, used + " vs estimate " + estimate);
      assertTrue(used * 5 >= (estimate - 3_000) * 4, used + " vs estimate " + estimate);
      assertEquals(BigInteger.ZERO, f.callUint(probe, encode("values", 9)));
    }
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void increaseTimeMovesBlockTimestampAndBlockhashSeesParents(Transport transport)
      throws Exception {
    try (DevnetFixture f = DevnetFixture.start(transport)) {
      String probe = f.deployProbe();
      List<?> before = blockInfo(f, probe);
      long t0 = ((BigInteger) before.get(1)).longValue();
      assertEquals(3600L, ((Number) f.rpcResult("evm_increaseTime", 3600)).longValue());
      assertEquals("0x0", f.rpcResult("evm_mine"));
      var head =
          f.web3j.ethGetBlockByNumber(DefaultBlockParameterName.LATEST, false).send().getBlock();
      assertTrue(head.getTimestamp().longValue() >= t0 + 3600, head.getTimestamp() + " vs " + t0);
      assertTrue(head.getTransactions().isEmpty());
      List<?> after = blockInfo(f, probe);
      assertTrue(((BigInteger) after.get(1)).longValue() >= t0 + 3600);
      // eth_call at latest runs in the next block: number head+1, BLOCKHASH(head) = head's hash.
      assertEquals(head.getNumber().add(BigInteger.ONE), after.get(0));
      assertEquals(head.getHash(), Numeric.toHexString((byte[]) after.get(2)));
      TransactionReceipt mined =
          f.mined(
              f.tx1559(f.alice, probe, BigInteger.ZERO, encode("store", 1, 1), 200_000), f.alice);
      var block = f.web3j.ethGetBlockByHash(mined.getBlockHash(), false).send().getBlock();
      assertTrue(block.getTimestamp().longValue() >= t0 + 3600);
    }
  }

  @SuppressWarnings("rawtypes")
  private static List<?> blockInfo(DevnetFixture f, String probe) {
    org.web3j.abi.datatypes.Function fn =
        new org.web3j.abi.datatypes.Function(
            "blockInfo",
            List.of(),
            List.of(
                new org.web3j.abi.TypeReference<org.web3j.abi.datatypes.generated.Uint256>() {},
                new org.web3j.abi.TypeReference<org.web3j.abi.datatypes.generated.Uint256>() {},
                new org.web3j.abi.TypeReference<org.web3j.abi.datatypes.generated.Bytes32>() {}));
    EthCall c = f.call(probe, org.web3j.abi.FunctionEncoder.encode(fn));
    assertFalse(c.hasError());
    List<org.web3j.abi.datatypes.Type> out =
        org.web3j.abi.FunctionReturnDecoder.decode(c.getValue(), fn.getOutputParameters());
    return out.stream().map(org.web3j.abi.datatypes.Type::getValue).toList();
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void legacyDeploymentWithRawTransactionWorksToo(Transport transport) throws Exception {
    try (DevnetFixture f = DevnetFixture.start(transport)) {
      RawTransaction tx =
          RawTransaction.createContractTransaction(
              f.nonce(f.alice.getAddress()),
              DevnetFixture.GWEI.multiply(BigInteger.TWO),
              BigInteger.valueOf(1_000_000),
              BigInteger.ZERO,
              DevnetFixture.probeDeployData(false));
      TransactionReceipt r = f.mined(tx, f.alice);
      assertTrue(r.isStatusOK());
      assertEquals(BigInteger.valueOf(1000), f.callUint(r.getContractAddress(), encode("MAX")));
    }
  }
}
