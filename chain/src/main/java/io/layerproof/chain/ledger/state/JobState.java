package io.layerproof.chain.ledger.state;

import io.layerproof.chain.event.Bytes32;
import io.layerproof.chain.event.EthAddress;
import io.layerproof.chain.event.NodeId;
import io.layerproof.chain.event.Payout;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A job as the ledger knows it. Shards are few (a handful of pipeline stages), so they live in a
 * plain immutable list that is copied on change.
 *
 * @param postedAt index of its JobPosted
 * @param verifier null until ShardsAssigned
 * @param tokensStreamed TokenStreamed events accepted, in position order
 * @param refund null until settled
 */
public record JobState(
    Bytes32 id,
    EthAddress buyer,
    Bytes32 model,
    BigInteger maxTokens,
    BigInteger maxPrice,
    JobStatus status,
    long postedAt,
    NodeId verifier,
    List<ShardState> shards,
    int tokensStreamed,
    List<Payout> payouts,
    BigInteger refund) {

  public JobState {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(buyer, "buyer");
    Objects.requireNonNull(status, "status");
    shards = List.copyOf(shards);
    payouts = List.copyOf(payouts);
  }

  JobState withStatus(JobStatus s) {
    return new JobState(
        id,
        buyer,
        model,
        maxTokens,
        maxPrice,
        s,
        postedAt,
        verifier,
        shards,
        tokensStreamed,
        payouts,
        refund);
  }

  JobState assigned(List<ShardState> newShards, NodeId newVerifier) {
    return new JobState(
        id,
        buyer,
        model,
        maxTokens,
        maxPrice,
        JobStatus.ASSIGNED,
        postedAt,
        newVerifier,
        newShards,
        tokensStreamed,
        payouts,
        refund);
  }

  JobState withToken() {
    return new JobState(
        id,
        buyer,
        model,
        maxTokens,
        maxPrice,
        status,
        postedAt,
        verifier,
        shards,
        tokensStreamed + 1,
        payouts,
        refund);
  }

  JobState withShard(ShardState shard, JobStatus newStatus) {
    List<ShardState> copy = new ArrayList<>(shards);
    copy.set(shard.index(), shard);
    return new JobState(
        id,
        buyer,
        model,
        maxTokens,
        maxPrice,
        newStatus,
        postedAt,
        verifier,
        copy,
        tokensStreamed,
        payouts,
        refund);
  }

  JobState settled(List<Payout> paid, BigInteger refunded) {
    return new JobState(
        id,
        buyer,
        model,
        maxTokens,
        maxPrice,
        JobStatus.SETTLED,
        postedAt,
        verifier,
        shards,
        tokensStreamed,
        paid,
        refunded);
  }
}
