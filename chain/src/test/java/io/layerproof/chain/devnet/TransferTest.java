package io.layerproof.chain.devnet;

import static io.layerproof.chain.devnet.DevnetFixture.COINBASE;
import static io.layerproof.chain.devnet.DevnetFixture.ETHER;
import static io.layerproof.chain.devnet.DevnetFixture.GWEI;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.layerproof.chain.devnet.DevnetFixture.Transport;
import java.math.BigInteger;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.Hash;
import org.web3j.crypto.RawTransaction;
import org.web3j.protocol.core.DefaultBlockParameter;
import org.web3j.protocol.core.methods.response.EthBlock;
import org.web3j.protocol.core.methods.response.Transaction;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.utils.Numeric;

class TransferTest {

  private static final BigInteger BASE_FEE = DevnetGenesis.DEFAULT_BASE_FEE;

  @ParameterizedTest
  @EnumSource(Transport.class)
  void legacyEip155TransferChargesGasPriceAndPaysTheTipToTheCoinbase(Transport transport)
      throws Exception {
    try (DevnetFixture f = DevnetFixture.start(transport)) {
      Credentials bob = DevnetFixture.randomCredentials();
      BigInteger aliceBefore = f.balance(f.alice.getAddress());
      BigInteger gasPrice = GWEI.multiply(BigInteger.valueOf(3));
      BigInteger value = ETHER.divide(BigInteger.valueOf(7));
      RawTransaction tx =
          RawTransaction.createEtherTransaction(
              f.nonce(f.alice.getAddress()),
              gasPrice,
              BigInteger.valueOf(21_000),
              bob.getAddress(),
              value);
      String signed = f.sign(tx, f.alice);
      TransactionReceipt r = f.mined(tx, f.alice);

      assertTrue(r.isStatusOK());
      assertEquals(BigInteger.valueOf(21_000), r.getGasUsed());
      assertEquals(Numeric.toHexStringWithPrefix(gasPrice), r.getEffectiveGasPrice());
      assertEquals("0x0", r.getType());
      assertEquals(
          Numeric.toHexString(Hash.sha3(Numeric.hexStringToByteArray(signed))),
          r.getTransactionHash());
      assertEquals(value, f.balance(bob.getAddress()));
      BigInteger fee = gasPrice.multiply(BigInteger.valueOf(21_000));
      assertEquals(aliceBefore.subtract(value).subtract(fee), f.balance(f.alice.getAddress()));
      // Base fee burnt, the rest to the coinbase.
      assertEquals(
          gasPrice.subtract(BASE_FEE).multiply(BigInteger.valueOf(21_000)), f.balance(COINBASE));
      assertEquals(BigInteger.ONE, f.nonce(f.alice.getAddress()));

      Transaction t =
          f.web3j
              .ethGetTransactionByHash(r.getTransactionHash())
              .send()
              .getTransaction()
              .orElseThrow();
      assertEquals(f.alice.getAddress(), t.getFrom());
      assertEquals(bob.getAddress(), t.getTo());
      assertEquals(value, t.getValue());
      assertEquals(gasPrice, t.getGasPrice());
      assertEquals(f.chainId(), t.getChainId());
      assertEquals(r.getBlockHash(), t.getBlockHash());
    }
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void eip1559TransferPaysEffectiveGasPrice(Transport transport) throws Exception {
    try (DevnetFixture f = DevnetFixture.start(transport)) {
      Credentials bob = DevnetFixture.randomCredentials();
      BigInteger aliceBefore = f.balance(f.alice.getAddress());
      BigInteger tip = BigInteger.valueOf(250_000_000L);
      BigInteger feeCap = GWEI.multiply(BigInteger.valueOf(5));
      BigInteger value = BigInteger.valueOf(123_456_789L);
      RawTransaction tx =
          RawTransaction.createEtherTransaction(
              f.chainId(),
              BigInteger.ZERO,
              BigInteger.valueOf(30_000),
              bob.getAddress(),
              value,
              tip,
              feeCap);
      TransactionReceipt r = f.mined(tx, f.alice);

      BigInteger effective = BASE_FEE.add(tip);
      assertTrue(r.isStatusOK());
      assertEquals("0x2", r.getType());
      assertEquals(BigInteger.valueOf(21_000), r.getGasUsed());
      assertEquals(BigInteger.valueOf(21_000), r.getCumulativeGasUsed());
      assertEquals(Numeric.toHexStringWithPrefix(effective), r.getEffectiveGasPrice());
      assertNull(r.getContractAddress());
      assertTrue(r.getLogs().isEmpty());
      // Unused gas (9000) refunded: the sender pays only gasUsed * effectiveGasPrice + value.
      assertEquals(
          aliceBefore.subtract(value).subtract(effective.multiply(BigInteger.valueOf(21_000))),
          f.balance(f.alice.getAddress()));
      assertEquals(value, f.balance(bob.getAddress()));
      assertEquals(tip.multiply(BigInteger.valueOf(21_000)), f.balance(COINBASE));

      Transaction t =
          f.web3j
              .ethGetTransactionByHash(r.getTransactionHash())
              .send()
              .getTransaction()
              .orElseThrow();
      assertEquals(feeCap, t.getMaxFeePerGas());
      assertEquals(tip, t.getMaxPriorityFeePerGas());
      assertEquals(effective, t.getGasPrice());
    }
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void eachTransactionIsMinedInItsOwnLinkedBlock(Transport transport) throws Exception {
    try (DevnetFixture f = DevnetFixture.start(transport)) {
      Credentials bob = DevnetFixture.randomCredentials();
      EthBlock.Block genesis =
          f.web3j
              .ethGetBlockByNumber(DefaultBlockParameter.valueOf(BigInteger.ZERO), false)
              .send()
              .getBlock();
      TransactionReceipt r1 =
          f.mined(f.tx1559(f.alice, bob.getAddress(), BigInteger.ONE, "0x", 21_000), f.alice);
      TransactionReceipt r2 =
          f.mined(f.tx1559(f.alice, bob.getAddress(), BigInteger.TWO, "0x", 21_000), f.alice);

      assertEquals(BigInteger.ONE, r1.getBlockNumber());
      assertEquals(BigInteger.TWO, r2.getBlockNumber());
      assertEquals(BigInteger.TWO, f.web3j.ethBlockNumber().send().getBlockNumber());
      EthBlock.Block b1 = f.web3j.ethGetBlockByHash(r1.getBlockHash(), true).send().getBlock();
      EthBlock.Block b2 =
          f.web3j
              .ethGetBlockByNumber(DefaultBlockParameter.valueOf(BigInteger.TWO), false)
              .send()
              .getBlock();
      assertEquals(genesis.getHash(), b1.getParentHash());
      assertEquals(b1.getHash(), b2.getParentHash());
      assertEquals(r2.getBlockHash(), b2.getHash());
      assertEquals(BigInteger.valueOf(21_000), b1.getGasUsed());
      assertEquals(BigInteger.valueOf(30_000_000), b1.getGasLimit());
      assertEquals(BASE_FEE, b1.getBaseFeePerGas());
      assertEquals(COINBASE, b1.getMiner());
      assertTrue(b2.getTimestamp().compareTo(b1.getTimestamp()) >= 0);
      assertEquals(1, b1.getTransactions().size());
      Transaction full = (Transaction) b1.getTransactions().get(0).get();
      assertEquals(r1.getTransactionHash(), full.getHash());
      assertEquals(r2.getTransactionHash(), b2.getTransactions().get(0).get());
      // Distinct, non-empty tries; state root moves with each transfer.
      assertTrue(!b1.getStateRoot().equals(b2.getStateRoot()));
      assertTrue(!b1.getTransactionsRoot().equals(BlockAssembler.EMPTY_TRIE_ROOT));
      assertEquals(BlockAssembler.EMPTY_TRIE_ROOT, genesis.getTransactionsRoot());
      assertEquals(
          BigInteger.ONE,
          f.web3j
              .ethGetBlockTransactionCountByNumber(DefaultBlockParameter.valueOf(BigInteger.ONE))
              .send()
              .getTransactionCount());
      Transaction byIndex =
          f.web3j
              .ethGetTransactionByBlockNumberAndIndex(
                  DefaultBlockParameter.valueOf(BigInteger.TWO), BigInteger.ZERO)
              .send()
              .getTransaction()
              .orElseThrow();
      assertEquals(r2.getTransactionHash(), byIndex.getHash());
    }
  }
}
