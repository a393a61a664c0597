package io.layerproof.node.jobs;

import static io.layerproof.chain.contracts.LayerproofContracts.send;

import io.layerproof.chain.contracts.LayerproofContracts;
import io.layerproof.chain.event.Bytes32;
import io.layerproof.chain.event.EthAddress;
import io.layerproof.chain.event.EventSigner;
import io.layerproof.chain.event.LayerCommitmentsGenerated;
import io.layerproof.chain.event.LedgerDomain;
import io.layerproof.chain.event.LedgerEvent;
import io.layerproof.chain.event.NodeKey;
import io.layerproof.chain.event.SignedEvent;
import io.layerproof.chain.event.TokenStreamed;
import io.layerproof.inference.hook.LayerHook;
import io.layerproof.inference.model.LlamaModel;
import io.layerproof.inference.shard.Shard;
import io.layerproof.inference.shard.ShardOptions;
import io.layerproof.verifier.commit.ActivationStore;
import io.layerproof.verifier.commit.CommitmentAccumulator;
import io.layerproof.verifier.commit.ShardCommitment;
import io.layerproof.verifier.reexec.CommittedShard;
import io.layerproof.verifier.reveal.RevealLimits;
import io.layerproof.verifier.reveal.RevealServer;
import io.layerproof.verifier.reveal.StoreRevealServer;
import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.web3j.protocol.core.methods.response.TransactionReceipt;

/**
 * A provider serving one layer range: its shard of the model, its activation store (kept for the
 * challenge window so the verifier can ask for reveals), and its wallet, which posts commitments.
 */
public final class ProviderNode implements AutoCloseable {

  /** One job's work on this shard: the hook the pipeline calls, and what it accumulates. */
  public final class Work {
    private final String jobId;
    private final CommitmentAccumulator accumulator;
    private final LayerHook hook;

    private Work(String jobId) {
      this.jobId = jobId;
      this.accumulator = new CommitmentAccumulator(jobId, startLayer, endLayer);
      this.hook = LayerHook.both(accumulator, store.recorder(jobId, startLayer));
    }

    public LayerHook hook() {
      return hook;
    }

    /** Closes the commitment, stores it for reveals, and returns its public part. */
    public CommittedShard finish() {
      ShardCommitment c = accumulator.finish();
      store.seal(c);
      return CommittedShard.of(c);
    }

    public String jobId() {
      return jobId;
    }
  }

  private final String name;
  private final LayerproofContracts wallet;
  private final NodeKey key;
  private final int startLayer;
  private final int endLayer;
  private final Shard shard;
  private final ActivationStore store;

  /**
   * @param wallet this provider's contract handles (it sends postCommitment)
   * @param storeDir where activations are kept for {@code retention}
   */
  public ProviderNode(
      String name,
      LayerproofContracts wallet,
      NodeKey key,
      LlamaModel model,
      int startLayer,
      int endLayer,
      ShardOptions options,
      Path storeDir,
      Duration retention) {
    this.name = Objects.requireNonNull(name, "name");
    this.wallet = Objects.requireNonNull(wallet, "wallet");
    this.key = Objects.requireNonNull(key, "key");
    this.startLayer = startLayer;
    this.endLayer = endLayer;
    try {
      java.nio.file.Files.createDirectories(storeDir);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException("cannot create " + storeDir, e);
    }
    this.store = ActivationStore.open(storeDir, retention, Clock.systemUTC());
    try {
      this.shard = Shard.load(model, startLayer, endLayer, options);
    } catch (RuntimeException e) {
      store.close();
      throw e;
    }
  }

  public String name() {
    return name;
  }

  public EthAddress address() {
    return EthAddress.fromHex(wallet.credentials().getAddress());
  }

  public NodeKey key() {
    return key;
  }

  public int startLayer() {
    return startLayer;
  }

  public int endLayer() {
    return endLayer;
  }

  public Shard shard() {
    return shard;
  }

  /** Starts recording and committing {@code jobId} on this shard. */
  public Work begin(String jobId) {
    return new Work(jobId);
  }

  /** Answers the verifier's reveal requests from the store, within {@code limits}. */
  public RevealServer revealServer(RevealLimits limits) {
    return new StoreRevealServer(store, limits);
  }

  /** Work units declared for a commitment: layers x positions, what JobMarket pays pro rata. */
  public static long workUnits(CommittedShard c) {
    return (long) (c.endLayer() - c.startLayer()) * c.positions();
  }

  /** Posts {@code c}'s root on chain; returns the transaction hash. */
  public String postCommitment(Bytes32 jobId, int shardIndex, CommittedShard c) {
    TransactionReceipt r =
        send(
            wallet
                .market()
                .postCommitment(
                    jobId.toByteArray(),
                    BigInteger.valueOf(shardIndex),
                    c.root(),
                    BigInteger.valueOf(workUnits(c))));
    return r.getTransactionHash();
  }

  /**
   * The ledger events a provider signs for its part of a finished job, in ledger order: for the
   * last stage one {@code TokenStreamed} per generated token, then each stage's {@code
   * LayerCommitmentsGenerated}.
   *
   * @param tokens the generated tokens for the last stage, empty for the others
   */
  public static List<LedgerEvent> events(
      Bytes32 jobId, int shardIndex, CommittedShard c, int[] tokens) {
    List<LedgerEvent> out = new ArrayList<>();
    for (int t = 0; t < tokens.length; t++) {
      out.add(new TokenStreamed(jobId, t, tokens[t]));
    }
    out.add(event(jobId, shardIndex, c));
    return out;
  }

  /**
   * Signs {@link #events} with this provider's node key in its contracts' ledger domain, from
   * sequence number {@code nextSeq} (the ledger's next for this key, as the sequencer reports it: a
   * provider that signed events the ledger never took must not leave a gap).
   */
  public List<SignedEvent> attest(
      Bytes32 jobId, int shardIndex, CommittedShard c, long nextSeq, int[] tokens) {
    EventSigner signer =
        new EventSigner(
            key, LedgerDomain.of(wallet.chainId(), wallet.addresses().market()), nextSeq);
    return events(jobId, shardIndex, c, tokens).stream().map(signer::sign).toList();
  }

  /** The ledger event for {@code c}. */
  public static LayerCommitmentsGenerated event(Bytes32 jobId, int shardIndex, CommittedShard c) {
    return new LayerCommitmentsGenerated(
        jobId,
        shardIndex,
        c.startLayer(),
        c.endLayer(),
        c.positions(),
        Bytes32.of(c.root()),
        Bytes32.of(c.inputBoundary()),
        Bytes32.of(c.outputBoundary()));
  }

  @Override
  public void close() {
    shard.close();
    store.close();
  }
}
