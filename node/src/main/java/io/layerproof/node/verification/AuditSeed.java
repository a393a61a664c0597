package io.layerproof.node.verification;

import static io.layerproof.chain.contracts.LayerproofContracts.send;

import io.layerproof.chain.contracts.LayerproofContracts;
import io.layerproof.chain.event.Bytes32;
import io.layerproof.contracts.generated.JobMarket;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import org.web3j.abi.EventEncoder;
import org.web3j.protocol.core.DefaultBlockParameter;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.methods.request.EthFilter;
import org.web3j.protocol.core.methods.response.EthBlock;
import org.web3j.protocol.core.methods.response.EthLog;
import org.web3j.protocol.core.methods.response.Log;
import org.web3j.utils.Numeric;

/**
 * The seed of a job's sample draw: the hash of the first block after the block holding the job's
 * last {@code CommitmentPosted}. No provider knew it when it committed (the block did not exist),
 * and anyone with the chain (the quorum, the accused) finds the same one and reproduces the draw.
 *
 * @param seed the 32-byte block hash
 * @param block that block's number
 */
public record AuditSeed(byte[] seed, long block) {

  private static final String COMMITMENT_POSTED =
      EventEncoder.encode(JobMarket.COMMITMENTPOSTED_EVENT);

  public AuditSeed {
    if (seed == null || seed.length != 32) {
      throw new IllegalArgumentException("a seed is a 32-byte block hash");
    }
    seed = seed.clone();
  }

  @Override
  public byte[] seed() {
    return seed.clone();
  }

  /**
   * The seed of {@code jobId}.
   *
   * @param fromBlock where to start looking for the job's commitments (the block that opened it, or
   *     0)
   * @throws IllegalStateException while shards may still commit, or before the block after the last
   *     commitment exists
   */
  public static AuditSeed afterLastCommitment(
      LayerproofContracts chain, Bytes32 jobId, long fromBlock) {
    JobMarket.Job job = send(chain.market().jobInfo(jobId.toByteArray()));
    int committed = job.committedCount.intValueExact();
    if (job.status.signum() == 0 || committed == 0) {
      throw new IllegalStateException("job " + jobId + " has no commitment on chain");
    }
    EthBlock.Block head = block(chain, DefaultBlockParameterName.LATEST);
    if (committed < job.shardCount.intValueExact()
        && head.getTimestamp().compareTo(job.commitDeadline) <= 0) {
      throw new IllegalStateException(
          "job " + jobId + " may still get commitments until " + job.commitDeadline);
    }
    EthFilter filter =
        new EthFilter(
            DefaultBlockParameter.valueOf(BigInteger.valueOf(fromBlock)),
            DefaultBlockParameter.valueOf(head.getNumber()),
            chain.addresses().market());
    filter.addSingleTopic(COMMITMENT_POSTED);
    filter.addSingleTopic(Numeric.toHexString(jobId.toByteArray()));
    long last = -1;
    int found = 0;
    try {
      EthLog logs = chain.web3j().ethGetLogs(filter).send();
      if (logs.hasError()) {
        throw new UncheckedIOException(
            new IOException("eth_getLogs: " + logs.getError().getMessage()));
      }
      for (EthLog.LogResult<?> r : logs.getLogs()) {
        last = Math.max(last, ((Log) r.get()).getBlockNumber().longValueExact());
        found++;
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (found != committed) {
      throw new IllegalStateException(
          found
              + " CommitmentPosted events of job "
              + jobId
              + " from block "
              + fromBlock
              + ", the chain counts "
              + committed);
    }
    if (head.getNumber().longValueExact() <= last) {
      throw new IllegalStateException(
          "no block after the last commitment of job " + jobId + " (block " + last + ") yet");
    }
    EthBlock.Block next = block(chain, DefaultBlockParameter.valueOf(BigInteger.valueOf(last + 1)));
    return new AuditSeed(Numeric.hexStringToByteArray(next.getHash()), last + 1);
  }

  private static EthBlock.Block block(LayerproofContracts chain, DefaultBlockParameter which) {
    try {
      EthBlock.Block b = chain.web3j().ethGetBlockByNumber(which, false).send().getBlock();
      if (b == null) {
        throw new UncheckedIOException(new IOException("no block " + which.getValue()));
      }
      return b;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
