package io.layerproof.node.audit;

import java.util.List;

/**
 * Everything an audit found about one job: what the ledger says, what the chain says, and every
 * check that compared them. Hashes, addresses and node ids are lowercase 0x-hex; token amounts and
 * other uint256 values are decimal strings (as in the ledger's canonical JSON); a field the audit
 * could not fill (nothing on one side yet) is null.
 *
 * @param jobId the job id (the EIP-712 digest of the buyer's request)
 * @param passed true when no check failed (warnings allowed)
 * @param failures "check: why" for every failed check, in check order
 * @param warnings "check: why" for every warning (e.g. events not anchored yet)
 * @param deployment the chain and contracts the ledger was checked against
 * @param chainStatus JobMarket's status of the job: NONE, OPEN, FINALIZED or FRAUD
 * @param request the buyer's request (the ledger's JobPosted) and its signer
 * @param assignment the shard assignment on the ledger and on chain
 * @param commitments one per shard: the ledger's root and the root posted on chain
 * @param events every ledger event of the job, with its batch and inclusion proofs
 * @param batches the sealed batches holding those events, with their anchored roots
 * @param verification the ledger's verdicts (VerificationPassed / FraudDetected) and samples
 * @param payments how the job was settled on chain, the claims of the accounts it paid, and the
 *     ledger's JobSettled
 * @param checks every check, passed or not, in the order they ran
 */
public record AuditReport(
    String jobId,
    boolean passed,
    List<String> failures,
    List<String> warnings,
    Deployment deployment,
    String chainStatus,
    Request request,
    Assignment assignment,
    List<Commitment> commitments,
    List<Event> events,
    List<Batch> batches,
    List<Verification> verification,
    Payments payments,
    List<Check> checks) {

  public AuditReport {
    failures = List.copyOf(failures);
    warnings = List.copyOf(warnings);
    commitments = List.copyOf(commitments);
    events = List.copyOf(events);
    batches = List.copyOf(batches);
    verification = List.copyOf(verification);
    checks = List.copyOf(checks);
  }

  /** How a check came out: a warning never fails the audit. */
  public enum Status {
    PASS,
    WARN,
    FAIL
  }

  /** One named comparison, e.g. {@code commitment.0} or {@code request.buyer}. */
  public record Check(String name, Status status, String detail) {}

  /** A transaction that emitted a log: its hash and block. */
  public record Tx(String hash, long block) {}

  /** The chain id and the contracts the audit read. */
  public record Deployment(long chainId, String market, String anchor, String distributor) {}

  /**
   * The ledger's JobPosted and who signed it.
   *
   * @param ledgerIndex index of the JobPosted event
   * @param digest the EIP-712 JobRequest digest of its fields under this deployment's domain
   * @param digestIsJobId whether that digest is the job id (the id JobMarket uses)
   * @param signer the address recovered from the buyer signature the envelope carries
   * @param ledgerBuyer the buyer the event names
   * @param chainBuyer JobMarket's buyer of the job
   * @param opened the transaction that opened the job on chain (its JobOpened log)
   * @param sequencer who opened it (JobOpened's sequencer)
   */
  public record Request(
      long ledgerIndex,
      String digest,
      boolean digestIsJobId,
      String signer,
      String ledgerBuyer,
      String chainBuyer,
      String model,
      String messagesHash,
      String maxTokens,
      String maxPrice,
      String nonce,
      String expiry,
      Tx opened,
      String sequencer) {}

  /**
   * The ledger's ShardsAssigned next to JobMarket's shards. Chain accounts are linked to ledger
   * node ids through the node key each registered in ProviderRegistry.
   *
   * @param ledgerIndex index of the ShardsAssigned event, null if the ledger has none
   * @param ledgerVerifier the verifier's node id on the ledger
   * @param chainVerifier the job's verifier account on chain
   * @param chainVerifierNode the node key that account registered
   */
  public record Assignment(
      Long ledgerIndex,
      String ledgerVerifier,
      String chainVerifier,
      String chainVerifierNode,
      Status verifierStatus,
      List<Shard> shards) {
    public Assignment {
      shards = List.copyOf(shards);
    }
  }

  /** One shard: layers [start, end) and provider, as the ledger and as JobMarket hold it. */
  public record Shard(
      int index,
      String ledgerProvider,
      Integer ledgerStartLayer,
      Integer ledgerEndLayer,
      String chainProvider,
      String chainProviderNode,
      Integer chainStartLayer,
      Integer chainEndLayer,
      Status status) {}

  /**
   * A shard's commitment: the ledger's LayerCommitmentsGenerated and JobMarket's postCommitment.
   *
   * @param posted the transaction of the CommitmentPosted log
   */
  public record Commitment(
      int shard,
      Long ledgerIndex,
      String author,
      Integer tokenCount,
      String ledgerRoot,
      String chainRoot,
      String chainWorkUnits,
      String inputBoundary,
      String outputBoundary,
      Tx posted,
      Status status) {}

  /**
   * One ledger event of the job and where it is anchored.
   *
   * @param envelopeHash the hash the ledger chains (re-derived from the signed envelope)
   * @param signatureValid whether the envelope re-verifies (author signature, buyer signature,
   *     domain) under this deployment
   * @param batch the sealed batch holding it, null while it is in the open batch
   * @param anchored whether LedgerAnchor holds a root for that batch
   * @param javaProof the inclusion proof checked in Java against the anchored root (null: no root)
   * @param chainProof {@code LedgerAnchor.verifyInclusion} of the same proof (null: not anchored)
   */
  public record Event(
      long index,
      String type,
      String author,
      String envelopeHash,
      boolean signatureValid,
      Long batch,
      boolean anchored,
      Boolean javaProof,
      Boolean chainProof,
      Status status,
      String detail) {}

  /**
   * A sealed batch of the ledger and LedgerAnchor's record of it.
   *
   * @param ledgerStatus the anchoring status the ledger recorded (pending, anchored, rejected)
   * @param anchoredBy the anchor transaction (BatchAnchored log), null if not anchored
   */
  public record Batch(
      long index,
      long firstIndex,
      long eventCount,
      String ledgerRoot,
      String chainRoot,
      Long chainEventCount,
      Tx anchoredBy,
      String ledgerStatus,
      Status status) {}

  /**
   * A verdict on one shard from the ledger.
   *
   * @param kind PASSED (VerificationPassed) or FRAUD (FraudDetected)
   * @param accused the accused provider (FRAUD only)
   * @param evidenceHash the evidence hash (FRAUD only)
   */
  public record Verification(
      int shard,
      String kind,
      long ledgerIndex,
      String author,
      List<Sample> samples,
      String accused,
      String evidenceHash,
      Status status) {
    public Verification {
      samples = List.copyOf(samples);
    }
  }

  /** A sampled (token, layer); for a fraud verdict also whether it matched and its error. */
  public record Sample(int token, int layer, Boolean matched, Long maxErrorPpm) {}

  /**
   * The money of the job on chain and on the ledger.
   *
   * @param outcome NONE, OPEN, FINALIZED or FRAUD
   * @param settledBy the finalize or resolveFraud transaction
   * @param movements every payout, refund, slash and treasury transfer, with its transaction
   * @param claims for each account this job paid, the RewardDistributor claim that paid it out: the
   *     first Claimed whose cumulative reaches what the account had earned once this job paid it
   * @param unclaimed accounts this job paid that have not claimed it yet
   * @param ledger the ledger's JobSettled, null if the ledger has none
   */
  public record Payments(
      String outcome,
      Tx settledBy,
      String maxPrice,
      String cost,
      String verifierFee,
      String refund,
      String totalWorkUnits,
      List<Movement> movements,
      List<Claim> claims,
      List<String> unclaimed,
      LedgerSettlement ledger) {
    public Payments {
      movements = List.copyOf(movements);
      claims = List.copyOf(claims);
      unclaimed = List.copyOf(unclaimed);
    }
  }

  /**
   * A movement of tokens: kind PROVIDER, VERIFIER or CHALLENGER (JobMarket Payout logs, paid
   * through the RewardDistributor), REFUND (escrow released to the buyer), SLASH (taken from the
   * accused provider's stake) or TREASURY (the slash's remainder).
   */
  public record Movement(String kind, String account, String amount, Tx tx) {}

  /**
   * A RewardDistributor Claimed log: {@code amount} paid out, {@code cumulative} claimed in all.
   */
  public record Claim(String account, String amount, String cumulative, Tx tx) {}

  /** The ledger's JobSettled. */
  public record LedgerSettlement(long ledgerIndex, List<LedgerPayout> payouts, String refund) {
    public LedgerSettlement {
      payouts = List.copyOf(payouts);
    }
  }

  /** One payout of the ledger's JobSettled. */
  public record LedgerPayout(String recipient, String amount) {}
}
