package io.layerproof.chain.devnet;

import java.math.BigInteger;
import java.util.List;

/**
 * The receipt of a mined transaction. Logs are numbered within the block from {@code
 * firstLogIndex}.
 */
record TxReceipt(
    String transactionHash,
    int transactionIndex,
    String blockHash,
    long blockNumber,
    String from,
    String to,
    int type,
    boolean status,
    long gasUsed,
    long cumulativeGasUsed,
    BigInteger effectiveGasPrice,
    String contractAddress,
    List<LogEntry> logs,
    int firstLogIndex,
    byte[] logsBloom) {

  TxReceipt {
    logs = List.copyOf(logs);
  }
}
