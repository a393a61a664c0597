package io.layerproof.chain.devnet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.RawTransaction;
import org.web3j.crypto.TransactionEncoder;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.utils.Numeric;

/** Senders on several threads while others read: every transaction gets its own block. */
class ConcurrencyTest {

  @Test
  void concurrentSendersAndReadersSeeAConsistentChain() throws Exception {
    int senders = 4;
    int perSender = 25;
    String sink = "0x00000000000000000000000000000000000b0b01";
    List<Credentials> keys = new ArrayList<>();
    DevnetGenesis genesis = DevnetGenesis.defaults();
    for (int i = 0; i < senders; i++) {
      Credentials c = DevnetFixture.randomCredentials();
      keys.add(c);
      genesis = genesis.withAlloc(c.getAddress(), DevnetFixture.ETHER);
    }
    ExecutorService pool = Executors.newFixedThreadPool(senders + 1);
    try (EmbeddedChain chain = EmbeddedChain.inMemory(genesis)) {
      Web3j web3j = Web3j.build(chain.web3jService());
      AtomicBoolean done = new AtomicBoolean();
      Future<Integer> reader =
          pool.submit(
              () -> {
                int reads = 0;
                while (!done.get()) {
                  BigInteger b =
                      web3j
                          .ethGetBalance(sink, DefaultBlockParameterName.LATEST)
                          .send()
                          .getBalance();
                  assertTrue(b.longValueExact() <= (long) senders * perSender);
                  reads++;
                }
                return reads;
              });
      List<Future<List<String>>> sent = new ArrayList<>();
      for (Credentials c : keys) {
        sent.add(
            pool.submit(
                () -> {
                  List<String> hashes = new ArrayList<>();
                  for (int n = 0; n < perSender; n++) {
                    RawTransaction tx =
                        RawTransaction.createEtherTransaction(
                            chain.chainId(),
                            BigInteger.valueOf(n),
                            BigInteger.valueOf(21_000),
                            sink,
                            BigInteger.ONE,
                            BigInteger.ONE,
                            BigInteger.valueOf(2_000_000_000L));
                    hashes.add(
                        web3j
                            .ethSendRawTransaction(
                                Numeric.toHexString(TransactionEncoder.signMessage(tx, c)))
                            .send()
                            .getTransactionHash());
                  }
                  return hashes;
                }));
      }
      Set<BigInteger> blocks = new HashSet<>();
      for (Future<List<String>> f : sent) {
        for (String h : f.get()) {
          TransactionReceipt r =
              web3j.ethGetTransactionReceipt(h).send().getTransactionReceipt().orElseThrow();
          assertTrue(r.isStatusOK());
          blocks.add(r.getBlockNumber());
        }
      }
      done.set(true);
      assertTrue(reader.get() > 0);
      assertEquals(senders * perSender, chain.blockNumber());
      assertEquals(senders * perSender, blocks.size());
      assertEquals(
          BigInteger.valueOf((long) senders * perSender),
          web3j.ethGetBalance(sink, DefaultBlockParameterName.LATEST).send().getBalance());
      for (Credentials c : keys) {
        assertEquals(
            BigInteger.valueOf(perSender),
            web3j
                .ethGetTransactionCount(c.getAddress(), DefaultBlockParameterName.LATEST)
                .send()
                .getTransactionCount());
      }
      web3j.shutdown();
    } finally {
      pool.shutdownNow();
    }
  }
}
