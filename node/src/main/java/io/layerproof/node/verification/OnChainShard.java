package io.layerproof.node.verification;

import static io.layerproof.chain.contracts.LayerproofContracts.send;

import io.layerproof.chain.contracts.LayerproofContracts;
import io.layerproof.chain.event.EthAddress;
import io.layerproof.chain.event.NodeId;
import io.layerproof.contracts.generated.JobMarket;
import io.layerproof.contracts.generated.ProviderRegistry;
import io.layerproof.verifier.reexec.CommittedShard;
import java.math.BigInteger;
import java.util.Arrays;

/**
 * One shard of an open job as JobMarket holds it, checked against the ledger's commitment: the
 * provider to accuse, its node key (the registry's), and the commitment the reveals must prove
 * against.
 */
record OnChainShard(int index, EthAddress provider, NodeId providerNode, CommittedShard committed) {

  /** JobMarket.JobStatus.Open. */
  static final int OPEN = 1;

  static final BigInteger ROLE_VERIFIER = BigInteger.TWO;

  /**
   * Reads shard {@code index} of {@code commitments}' job.
   *
   * @throws IllegalStateException if the job is not open, the shard is not committed on chain, or
   *     the chain's root or layers are not the ledger's: nothing that could reach the chain may
   *     rest on a commitment the chain does not hold
   */
  static OnChainShard read(LayerproofContracts chain, JobCommitments commitments, int index) {
    byte[] jobId = commitments.jobId().toByteArray();
    JobMarket.Job job = send(chain.market().jobInfo(jobId));
    if (job.status.intValueExact() != OPEN) {
      throw new IllegalStateException(
          "job " + commitments.jobId() + " is not open on chain (status " + job.status + ")");
    }
    if (index < 0
        || index >= job.shardCount.intValueExact()
        || index >= commitments.shards().size()) {
      throw new IllegalStateException(
          "job "
              + commitments.jobId()
              + " has "
              + job.shardCount
              + " shards on chain and "
              + commitments.shards().size()
              + " on the ledger; no shard "
              + index);
    }
    JobMarket.Shard s = send(chain.market().shardInfo(jobId, BigInteger.valueOf(index)));
    CommittedShard c = commitments.shard(index);
    if (Arrays.equals(s.root, new byte[32])) {
      throw new IllegalStateException("shard " + index + " has no commitment on chain");
    }
    if (!Arrays.equals(s.root, c.root())) {
      throw new IllegalStateException(
          "shard " + index + ": the ledger's activation root is not the root posted on chain");
    }
    if (s.startLayer.intValueExact() != c.startLayer()
        || s.endLayer.intValueExact() != c.endLayer()) {
      throw new IllegalStateException(
          "shard "
              + index
              + " holds layers "
              + s.startLayer
              + ".."
              + s.endLayer
              + " on chain, "
              + c.startLayer()
              + ".."
              + c.endLayer()
              + " on the ledger");
    }
    ProviderRegistry.Node node = send(chain.registry().nodeInfo(s.provider));
    return new OnChainShard(index, EthAddress.fromHex(s.provider), NodeId.of(node.nodeKey), c);
  }

  /** True when {@code who} may sign a FraudVerdict JobMarket will count. */
  static boolean activeVerifier(LayerproofContracts chain, EthAddress who) {
    return Boolean.TRUE.equals(send(chain.registry().isActiveAs(who.toString(), ROLE_VERIFIER)));
  }
}
