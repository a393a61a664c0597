package io.layerproof.node.bench;

import java.io.IOException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.RawTransaction;
import org.web3j.crypto.TransactionEncoder;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.methods.response.EthSendTransaction;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.utils.Numeric;

/**
 * Signed native transfers per second, each sent with {@code eth_sendRawTransaction} and its receipt
 * fetched before the next one goes: what a client waiting on each transaction sees. Transactions
 * are signed before the clock starts so the figure is the chain's, not the signer's.
 */
final class TransferThroughput {

  private static final BigInteger GAS_PRICE = BigInteger.valueOf(2_000_000_000L);
  private static final BigInteger VALUE = BigInteger.valueOf(1_000);

  private TransferThroughput() {}

  /**
   * Runs one round of {@code count} transfers from {@code sender} (already funded) and returns
   * transfers per second.
   */
  static double round(Web3j web3j, long chainId, Credentials sender, int count, LongSupplier clock)
      throws IOException {
    BigInteger nonce =
        web3j
            .ethGetTransactionCount(sender.getAddress(), DefaultBlockParameterName.PENDING)
            .send()
            .getTransactionCount();
    List<String> signed = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      String to = randomAddress();
      RawTransaction tx =
          RawTransaction.createEtherTransaction(
              nonce.add(BigInteger.valueOf(i)), GAS_PRICE, BigInteger.valueOf(21_000), to, VALUE);
      signed.add(Numeric.toHexString(TransactionEncoder.signMessage(tx, chainId, sender)));
    }
    long start = clock.getAsLong();
    for (String raw : signed) {
      EthSendTransaction sent = web3j.ethSendRawTransaction(raw).send();
      if (sent.hasError()) {
        throw new IOException("transfer rejected: " + sent.getError().getMessage());
      }
      TransactionReceipt receipt = awaitReceipt(web3j, sent.getTransactionHash());
      if (!receipt.isStatusOK()) {
        throw new IOException("transfer failed: " + sent.getTransactionHash());
      }
    }
    long nanos = clock.getAsLong() - start;
    return count / (nanos / 1e9);
  }

  /**
   * Polls for the receipt: the embedded chain has it when the send returns; anvil mines in the
   * background, so its receipt can lag the send by a moment.
   */
  private static TransactionReceipt awaitReceipt(Web3j web3j, String hash) throws IOException {
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (System.nanoTime() < deadline) {
      var receipt = web3j.ethGetTransactionReceipt(hash).send().getTransactionReceipt();
      if (receipt.isPresent()) {
        return receipt.get();
      }
      // Poll politely: a tight loop of HTTP requests would steal the CPU anvil mines with.
      java.util.concurrent.locks.LockSupport.parkNanos(200_000);
    }
    throw new IOException("no receipt within 10 s for " + hash);
  }

  private static final java.security.SecureRandom RANDOM = new java.security.SecureRandom();

  /** A fresh, empty account each time, so every transfer creates an account on both chains. */
  private static String randomAddress() {
    byte[] a = new byte[20];
    RANDOM.nextBytes(a);
    return Numeric.toHexString(a);
  }
}
