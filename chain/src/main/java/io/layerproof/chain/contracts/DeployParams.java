package io.layerproof.chain.contracts;

import io.layerproof.contracts.generated.JobMarket;
import java.math.BigInteger;

/**
 * Parameters of a fresh deployment (the admin can change them later within the contracts' bounds).
 *
 * @param minStake token wei a node must bond to hold any role
 * @param unbondingDelaySeconds how long unbonded stake stays slashable before withdrawal
 * @param unitPrice token wei per declared work unit (layers x tokens)
 * @param verifierFeeBps share of a job's cost paid to its verifier, at most 5000
 * @param commitWindowSeconds from openJob to the providers' commit deadline
 * @param challengeWindowSeconds after the last commitment (or the commit deadline)
 * @param quorum distinct verifier signatures needed to prove fraud, 1..32
 * @param slashBps share of a cheater's bonded stake that is slashed, 1..10000
 * @param challengerRewardBps share of the slashed amount split among the fraud's signers
 * @param treasury receives the rest of slashed stake
 */
public record DeployParams(
    BigInteger minStake,
    long unbondingDelaySeconds,
    BigInteger unitPrice,
    int verifierFeeBps,
    long commitWindowSeconds,
    long challengeWindowSeconds,
    int quorum,
    int slashBps,
    int challengerRewardBps,
    String treasury) {

  private static final BigInteger TOKEN = BigInteger.TEN.pow(18);

  /**
   * Devnet defaults: 100 LPC minimum stake, 1 day unbonding, 1e9 wei per work unit, 5% verifier
   * fee, 10 min to commit, 1 h challenge window, quorum 2, slash 50%, 20% of it to challengers.
   */
  public static DeployParams defaults(String treasury) {
    return new DeployParams(
        TOKEN.multiply(BigInteger.valueOf(100)),
        86_400,
        BigInteger.valueOf(1_000_000_000L),
        500,
        600,
        3_600,
        2,
        5_000,
        2_000,
        treasury);
  }

  public DeployParams withQuorum(int q) {
    return new DeployParams(
        minStake,
        unbondingDelaySeconds,
        unitPrice,
        verifierFeeBps,
        commitWindowSeconds,
        challengeWindowSeconds,
        q,
        slashBps,
        challengerRewardBps,
        treasury);
  }

  public DeployParams withUnitPrice(BigInteger price) {
    return new DeployParams(
        minStake,
        unbondingDelaySeconds,
        price,
        verifierFeeBps,
        commitWindowSeconds,
        challengeWindowSeconds,
        quorum,
        slashBps,
        challengerRewardBps,
        treasury);
  }

  /** The JobMarket part, as the generated wrapper's struct. */
  public JobMarket.MarketParams marketParams() {
    return new JobMarket.MarketParams(
        unitPrice,
        BigInteger.valueOf(verifierFeeBps),
        BigInteger.valueOf(commitWindowSeconds),
        BigInteger.valueOf(challengeWindowSeconds),
        BigInteger.valueOf(quorum),
        BigInteger.valueOf(slashBps),
        BigInteger.valueOf(challengerRewardBps),
        treasury);
  }
}
