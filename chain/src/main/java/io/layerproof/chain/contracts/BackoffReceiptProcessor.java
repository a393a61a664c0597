package io.layerproof.chain.contracts;

import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.methods.response.EthGetTransactionReceipt;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.protocol.exceptions.TransactionException;
import org.web3j.tx.response.TransactionReceiptProcessor;

/**
 * Polls for a receipt at once, then after 1, 2, 4, ... ms up to {@code maxInterval}: dev chains
 * that mine instantly answer within a few milliseconds, real chains are not flooded.
 */
final class BackoffReceiptProcessor extends TransactionReceiptProcessor {

  private final Web3j web3j;
  private final long maxIntervalMillis;
  private final long timeoutNanos;

  BackoffReceiptProcessor(Web3j web3j, Duration maxInterval, Duration timeout) {
    super(web3j);
    this.web3j = web3j;
    this.maxIntervalMillis = Math.max(1, maxInterval.toMillis());
    this.timeoutNanos = timeout.toNanos();
  }

  @Override
  public TransactionReceipt waitForTransactionReceipt(String transactionHash)
      throws IOException, TransactionException {
    long deadline = System.nanoTime() + timeoutNanos;
    long sleep = 1;
    while (true) {
      EthGetTransactionReceipt response = web3j.ethGetTransactionReceipt(transactionHash).send();
      if (response.hasError()) {
        throw new TransactionException(
            "eth_getTransactionReceipt: " + response.getError().getMessage(), transactionHash);
      }
      Optional<TransactionReceipt> receipt = response.getTransactionReceipt();
      if (receipt.isPresent()) {
        return receipt.get();
      }
      if (System.nanoTime() >= deadline) {
        throw new TransactionException(
            "no receipt for " + transactionHash + " within " + Duration.ofNanos(timeoutNanos),
            transactionHash);
      }
      try {
        Thread.sleep(sleep);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new TransactionException(
            "interrupted waiting for " + transactionHash, transactionHash);
      }
      sleep = Math.min(sleep * 2, maxIntervalMillis);
    }
  }
}
