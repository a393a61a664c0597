package io.layerproof.chain.devnet;

import java.math.BigInteger;
import java.util.List;

/** A mined block's header fields plus the hashes of its transactions (in order). */
record Block(
    long number,
    String hash,
    String parentHash,
    String miner,
    String stateRoot,
    String transactionsRoot,
    String receiptsRoot,
    byte[] logsBloom,
    long gasLimit,
    long gasUsed,
    long timestamp,
    BigInteger baseFeePerGas,
    String mixHash,
    long size,
    List<String> transactions) {

  Block {
    transactions = List.copyOf(transactions);
  }
}
