package io.layerproof.chain.settlement;

import static io.layerproof.chain.contracts.LayerproofContracts.send;

import io.layerproof.chain.contracts.LayerproofContracts;
import io.layerproof.contracts.generated.JobMarket;
import io.layerproof.contracts.generated.RewardDistributor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import org.web3j.abi.EventEncoder;
import org.web3j.protocol.core.DefaultBlockParameter;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.methods.request.EthFilter;
import org.web3j.protocol.core.methods.response.EthBlock;
import org.web3j.protocol.core.methods.response.EthLog;
import org.web3j.protocol.core.methods.response.Log;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.utils.Numeric;

/** The reads settlement needs: the head, job views, and contract logs in bounded block ranges. */
final class SettlementChain {

  static final String JOB_OPENED = EventEncoder.encode(JobMarket.JOBOPENED_EVENT);
  static final String JOB_FINALIZED = EventEncoder.encode(JobMarket.JOBFINALIZED_EVENT);
  static final String FRAUD_PROVEN = EventEncoder.encode(JobMarket.FRAUDPROVEN_EVENT);
  static final String PAYOUT = EventEncoder.encode(JobMarket.PAYOUT_EVENT);
  static final String EPOCH_ROOT_POSTED =
      EventEncoder.encode(RewardDistributor.EPOCHROOTPOSTED_EVENT);
  static final String CLAIMED = EventEncoder.encode(RewardDistributor.CLAIMED_EVENT);

  /** JobMarket.JobStatus. */
  static final int STATUS_NONE = 0;

  static final int STATUS_OPEN = 1;
  static final int STATUS_FINALIZED = 2;
  static final int STATUS_FRAUD = 3;

  private final LayerproofContracts contracts;
  private final long chunk;

  SettlementChain(LayerproofContracts contracts, long chunk) {
    this.contracts = contracts;
    this.chunk = chunk;
  }

  LayerproofContracts contracts() {
    return contracts;
  }

  record Head(long number, BigInteger timestamp) {}

  Head head() {
    try {
      EthBlock.Block b =
          contracts
              .web3j()
              .ethGetBlockByNumber(DefaultBlockParameterName.LATEST, false)
              .send()
              .getBlock();
      if (b == null) {
        throw new UncheckedIOException(new IOException("the node returned no latest block"));
      }
      return new Head(b.getNumber().longValueExact(), b.getTimestamp());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  JobMarket.Job jobInfo(byte[] jobId) {
    return send(contracts.market().jobInfo(jobId));
  }

  JobMarket.Shard shardInfo(byte[] jobId, int shard) {
    return send(contracts.market().shardInfo(jobId, BigInteger.valueOf(shard)));
  }

  BigInteger challengeEndsAt(byte[] jobId) {
    return send(contracts.market().challengeEndsAt(jobId));
  }

  long currentEpoch() {
    return send(contracts.distributor().currentEpoch()).longValueExact();
  }

  byte[] currentRoot() {
    return send(contracts.distributor().currentRoot());
  }

  BigInteger totalFunded() {
    return send(contracts.distributor().totalFunded());
  }

  BigInteger claimed(String account) {
    return send(contracts.distributor().claimed(account));
  }

  TransactionReceipt receipt(String txHash) {
    try {
      return contracts
          .web3j()
          .ethGetTransactionReceipt(txHash)
          .send()
          .getTransactionReceipt()
          .orElseThrow(() -> new UncheckedIOException(new IOException("no receipt for " + txHash)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Logs of {@code address} in blocks [from, to], queried {@link #chunk} blocks at a time; each
   * topics position is a list of accepted values (null: any).
   */
  List<Log> logs(String address, long from, long to, List<List<String>> topics) {
    List<Log> out = new ArrayList<>();
    for (long start = from; start <= to; start += chunk) {
      long end = Math.min(to, start + chunk - 1);
      out.addAll(logsIn(address, start, end, topics));
    }
    return out;
  }

  private List<Log> logsIn(String address, long from, long to, List<List<String>> topics) {
    EthFilter filter =
        new EthFilter(
            DefaultBlockParameter.valueOf(BigInteger.valueOf(from)),
            DefaultBlockParameter.valueOf(BigInteger.valueOf(to)),
            address);
    for (List<String> position : topics) {
      if (position == null) {
        filter.addNullTopic();
      } else if (position.size() == 1) {
        filter.addSingleTopic(position.get(0));
      } else {
        filter.addOptionalTopics(position.toArray(String[]::new));
      }
    }
    try {
      EthLog logs = contracts.web3j().ethGetLogs(filter).send();
      if (logs.hasError()) {
        throw new UncheckedIOException(
            new IOException("eth_getLogs: " + logs.getError().getMessage()));
      }
      List<Log> out = new ArrayList<>();
      for (EthLog.LogResult<?> r : logs.getLogs()) {
        out.add((Log) r.get());
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String topic(byte[] word) {
    return Numeric.toHexString(word);
  }

  static String topic(long value) {
    return Numeric.toHexStringWithPrefixZeroPadded(BigInteger.valueOf(value), 64);
  }

  static String topicOfAddress(String address) {
    return Numeric.toHexStringWithPrefixZeroPadded(Numeric.toBigInt(address), 64);
  }
}
