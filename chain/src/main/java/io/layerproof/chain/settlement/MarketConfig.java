package io.layerproof.chain.settlement;

import static io.layerproof.chain.contracts.LayerproofContracts.send;

import io.layerproof.chain.contracts.LayerproofContracts;
import io.layerproof.contracts.generated.JobMarket;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * JobMarket's {@code MarketParams} as the chain holds them now, read with {@link #read}: the payout
 * rules are the contract's, never constants of our own. The static methods restate {@code finalize}
 * and {@code resolveFraud}'s arithmetic (to the wei, with the contract's rounding) so that callers
 * can predict or check what the contract emits.
 *
 * <p>A job keeps the unit price and verifier fee it was opened with ({@link JobTerms}, from {@code
 * jobInfo}); the slash and challenger shares are read at {@code resolveFraud} time.
 *
 * @param unitPrice token wei per declared work unit (layers x tokens)
 * @param verifierFeeBps share of a job's cost paid to its verifier
 * @param commitWindowSeconds from openJob to the providers' commit deadline
 * @param challengeWindowSeconds after the last commitment (or the commit deadline)
 * @param quorum distinct verifier signatures that prove fraud
 * @param slashBps share of a cheater's bonded stake that is slashed
 * @param challengerRewardBps share of the slashed amount split among the signers
 * @param treasury receives the rest of the slashed amount (lowercase 0x address)
 */
public record MarketConfig(
    BigInteger unitPrice,
    int verifierFeeBps,
    long commitWindowSeconds,
    long challengeWindowSeconds,
    int quorum,
    int slashBps,
    int challengerRewardBps,
    String treasury) {

  /** The contract's basis-point denominator. */
  public static final BigInteger BPS = BigInteger.valueOf(10_000);

  public MarketConfig {
    treasury = treasury.toLowerCase(Locale.ROOT);
  }

  /** The market's current parameters ({@code JobMarket.params()}). */
  public static MarketConfig read(LayerproofContracts contracts) {
    return of(send(contracts.market().params()));
  }

  public static MarketConfig of(JobMarket.MarketParams p) {
    return new MarketConfig(
        p.unitPrice,
        p.verifierFeeBps.intValueExact(),
        p.commitWindow.longValueExact(),
        p.challengeWindow.longValueExact(),
        p.quorum.intValueExact(),
        p.slashBps.intValueExact(),
        p.challengerRewardBps.intValueExact(),
        p.treasury);
  }

  /** What a job opened now would keep: this unit price and verifier fee. */
  public JobTerms termsFor(BigInteger maxPrice) {
    return new JobTerms(maxPrice, unitPrice, verifierFeeBps);
  }

  /** The split {@code resolveFraud} makes under these parameters; see {@link #fraudSplit}. */
  public FraudSplit fraudSplit(BigInteger bondedStake, List<String> signersAscending) {
    return fraudSplit(bondedStake, slashBps, challengerRewardBps, signersAscending);
  }

  /**
   * The price terms a job snapshots when it opens (JobMarket's {@code Job.maxPrice / unitPrice /
   * verifierFeeBps}).
   */
  public record JobTerms(BigInteger maxPrice, BigInteger unitPrice, int verifierFeeBps) {

    /** A job's own terms, from {@code jobInfo}. */
    public static JobTerms of(JobMarket.Job job) {
      return new JobTerms(job.maxPrice, job.unitPrice, job.verifierFeeBps.intValueExact());
    }
  }

  /** A shard's provider and the work units it declared (zero if it never committed). */
  public record ShardWork(String provider, long workUnits) {}

  /**
   * What {@code finalize} does with a job: cost, the verifier's fee, the buyer's refund and the
   * Payout events in the order the contract emits them (verifier first, then providers by shard).
   */
  public record FinalizeSplit(
      BigInteger cost, BigInteger verifierFee, BigInteger refund, List<PayoutEntry> payouts) {}

  /** What {@code resolveFraud} does with a slash: rewards per signer, and the treasury's rest. */
  public record FraudSplit(
      BigInteger slashed,
      BigInteger rewardEach,
      BigInteger challengerRewards,
      BigInteger toTreasury,
      List<PayoutEntry> payouts) {}

  /**
   * {@code finalize}: cost = min(maxPrice, unitPrice x total work units); the verifier gets
   * verifierFeeBps of it (rounded down); providers share the rest pro rata to their work units
   * (rounded down), the last shard with work taking the rounding dust; the buyer keeps maxPrice -
   * cost. Zero amounts emit no event.
   */
  public static FinalizeSplit finalizeSplit(
      JobTerms terms, String verifier, List<ShardWork> shards) {
    BigInteger total = BigInteger.ZERO;
    for (ShardWork s : shards) {
      total = total.add(BigInteger.valueOf(s.workUnits()));
    }
    BigInteger cost = terms.maxPrice().min(terms.unitPrice().multiply(total));
    BigInteger fee = cost.multiply(BigInteger.valueOf(terms.verifierFeeBps())).divide(BPS);
    List<PayoutEntry> payouts = new ArrayList<>();
    if (cost.signum() != 0) {
      if (fee.signum() != 0) {
        payouts.add(new PayoutEntry(verifier, fee, PayoutKind.VERIFIER));
      }
      BigInteger pool = cost.subtract(fee);
      BigInteger paid = BigInteger.ZERO;
      BigInteger unitsLeft = total;
      for (ShardWork s : shards) {
        if (s.workUnits() == 0) {
          continue;
        }
        BigInteger units = BigInteger.valueOf(s.workUnits());
        unitsLeft = unitsLeft.subtract(units);
        BigInteger amount =
            unitsLeft.signum() == 0 ? pool.subtract(paid) : pool.multiply(units).divide(total);
        paid = paid.add(amount);
        if (amount.signum() != 0) {
          payouts.add(new PayoutEntry(s.provider(), amount, PayoutKind.PROVIDER));
        }
      }
    }
    return new FinalizeSplit(cost, fee, terms.maxPrice().subtract(cost), List.copyOf(payouts));
  }

  /**
   * {@code resolveFraud}: slashBps of the cheater's bonded stake (stake plus unbonding) is slashed;
   * challengerRewardBps of it is split equally among the signers (rounded down), the rest goes to
   * the treasury. The buyer's maxPrice is released in full and no provider of the job is paid.
   */
  public static FraudSplit fraudSplit(
      BigInteger bondedStake,
      int slashBps,
      int challengerRewardBps,
      List<String> signersAscending) {
    if (signersAscending.isEmpty()) {
      throw new IllegalArgumentException("fraud needs at least one signer");
    }
    BigInteger slashed = bondedStake.multiply(BigInteger.valueOf(slashBps)).divide(BPS);
    BigInteger n = BigInteger.valueOf(signersAscending.size());
    BigInteger each =
        slashed.multiply(BigInteger.valueOf(challengerRewardBps)).divide(BPS).divide(n);
    BigInteger rewards = each.multiply(n);
    List<PayoutEntry> payouts = new ArrayList<>();
    if (rewards.signum() != 0) {
      for (String s : signersAscending) {
        payouts.add(new PayoutEntry(s, each, PayoutKind.CHALLENGER));
      }
    }
    return new FraudSplit(slashed, each, rewards, slashed.subtract(rewards), List.copyOf(payouts));
  }
}
