package io.layerproof.chain.settlement;

import static io.layerproof.chain.contracts.LayerproofContracts.send;
import static io.layerproof.chain.settlement.SettlementChain.CLAIMED;
import static io.layerproof.chain.settlement.SettlementChain.EPOCH_ROOT_POSTED;
import static io.layerproof.chain.settlement.SettlementChain.FRAUD_PROVEN;
import static io.layerproof.chain.settlement.SettlementChain.JOB_FINALIZED;
import static io.layerproof.chain.settlement.SettlementChain.JOB_OPENED;
import static io.layerproof.chain.settlement.SettlementChain.PAYOUT;

import io.layerproof.chain.contracts.ContractRevertException;
import io.layerproof.chain.contracts.LayerproofContracts;
import io.layerproof.chain.contracts.RewardTree;
import io.layerproof.chain.event.Bytes32;
import io.layerproof.chain.ledger.anchor.RetryPolicy;
import io.layerproof.chain.settlement.SettlementListener.Action;
import io.layerproof.contracts.generated.JobMarket;
import io.layerproof.contracts.generated.RewardDistributor;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.LongConsumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.web3j.protocol.core.methods.response.Log;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.utils.Numeric;

/**
 * Pays out the JobMarket: finalizes jobs whose challenge window has passed, accounts every job's
 * {@code Payout} events (its own finalizes, other people's, and fraud rewards) into cumulative
 * balances, posts an epoch root of those balances to the RewardDistributor, and claims for the
 * local accounts it was given.
 *
 * <p><b>Recorded steps.</b> Every transaction is bracketed by durable records in the {@link
 * SettlementStore}: the pending state (job FINALIZING, epoch POSTING, claim CLAIMING) is written
 * and fsynced before the transaction is sent, the outcome after it. Before any transaction the
 * chain is asked first (job status, the epoch's {@code EpochRootPosted} event, {@code
 * claimed(account)}), so a restart at any point resumes without sending twice what already landed.
 * The money itself cannot be paid twice on chain (finalize, postRoot and claim all refuse a
 * repeat); what the records guarantee is that the off-chain accounting counts each job exactly
 * once: a job's payouts enter the balances in the same atomic write that marks it SETTLED, and only
 * a job not yet SETTLED is ever accounted. An epoch freezes the balances it posts, so its tree and
 * proofs can be rebuilt after a restart.
 *
 * <p><b>Ledger events.</b> Each settled job leaves a {@link SettledJob} in an outbox (written in
 * that same atomic write); the caller signs its {@link SettledJob#ledgerEvent()} and appends it to
 * the ledger, then calls {@link #acknowledgeLedgerEvent}. An entry not acknowledged survives a
 * restart.
 *
 * <p>Assumes it is the only settler posting roots to this RewardDistributor (a root it did not post
 * is reported as a {@link SettlementException}) and a chain without reorganisations (the embedded
 * devnet, anvil; on a public chain run it behind a confirmation depth). Not thread-safe beyond the
 * per-method lock: one service per store.
 */
public final class SettlementService {

  private static final Logger log = LoggerFactory.getLogger(SettlementService.class);

  private static final String SCAN = "scan";
  private static final String SEQ = "seq";
  private static final String LAST_EPOCH = "lastEpoch";

  private final LayerproofContracts contracts;
  private final SettlementChain chain;
  private final SettlementStore store;
  private final SettlementOptions options;
  private final SettlementListener listener;
  private final MarketConfig config;
  private final LongConsumer sleeper;

  /**
   * @param settler sends the transactions: needs SETTLER_ROLE on the RewardDistributor and gas
   * @param store this settler's records (one store per settler and deployment)
   */
  public SettlementService(
      LayerproofContracts settler, SettlementStore store, SettlementOptions options) {
    this(settler, store, options, SettlementService::sleep);
  }

  SettlementService(
      LayerproofContracts settler,
      SettlementStore store,
      SettlementOptions options,
      LongConsumer sleeper) {
    this.contracts = settler;
    this.chain = new SettlementChain(settler, options.logBlockChunk());
    this.store = store;
    this.options = options;
    this.listener = options.listener();
    this.sleeper = sleeper;
    this.config = retrying("reading JobMarket.params", () -> MarketConfig.read(settler));
  }

  /** The market's parameters as read from the chain when this service started. */
  public MarketConfig config() {
    return config;
  }

  /** What one {@link #runOnce()} did. */
  public record RunReport(
      int discoveredJobs,
      List<JobRecord> settledJobs,
      Optional<EpochRecord> epoch,
      List<ClaimRecord> claims) {}

  /**
   * One full pass: discover new jobs, settle every due one, cut and post an epoch if the balances
   * grew (or finish posting a pending one), and claim for the local accounts.
   */
  public synchronized RunReport runOnce() {
    int discovered = discoverJobs();
    List<JobRecord> settled = settleDueJobs(Integer.MAX_VALUE);
    Optional<EpochRecord> epoch = closeEpoch();
    List<ClaimRecord> claims = claimLocal();
    return new RunReport(discovered, settled, epoch, claims);
  }

  // ---------------------------------------------------------------- jobs

  /**
   * Records every job opened since the last scan ({@code JobOpened} events), one log range at a
   * time, each range atomically with the scan cursor.
   *
   * @return how many jobs were new
   */
  public synchronized int discoverJobs() {
    return retrying(
        "discovering jobs",
        () -> {
          long head = chain.head().number();
          long last = store.get(SCAN, Long.class).orElse(options.fromBlock() - 1);
          int found = 0;
          for (long start = last + 1; start <= head; start += options.logBlockChunk()) {
            long end = Math.min(head, start + options.logBlockChunk() - 1);
            List<Log> logs = chain.logs(market(), start, end, List.of(List.of(JOB_OPENED)));
            Set<String> seen = new HashSet<>();
            try (SettlementStore.Batch b = store.batch()) {
              for (Log l : logs) {
                JobMarket.JobOpenedEventResponse e = JobMarket.getJobOpenedEventFromLog(l);
                String id = hex(e.jobId);
                if (!seen.add(id) || store.getRaw(jobKey(id)) != null) {
                  continue;
                }
                b.put(
                    jobKey(id),
                    new JobRecord(
                        id,
                        lower(e.buyer),
                        e.maxPrice,
                        l.getBlockNumber().longValueExact(),
                        JobRecord.Phase.OPEN,
                        0,
                        null,
                        null,
                        null));
                b.putRaw(openKey(id), new byte[0]);
                found++;
              }
              b.put(SCAN, end);
              b.commit();
            }
          }
          return found;
        });
  }

  /** Settles every known job that is due; see {@link #settleDueJobs(int)}. */
  public synchronized List<JobRecord> settleDueJobs() {
    return settleDueJobs(Integer.MAX_VALUE);
  }

  /**
   * For known jobs not settled yet: a job JobMarket already closed (finalized by anyone, or proven
   * fraudulent) is accounted from its events; an open job whose challenge window has ended is
   * finalized first. Jobs still in their window are left for later.
   *
   * @param max stop after this many jobs were settled
   * @return the jobs settled by this call
   */
  public synchronized List<JobRecord> settleDueJobs(int max) {
    List<JobRecord> settled = new ArrayList<>();
    SettlementChain.Head head = retrying("reading the head", chain::head);
    for (SettlementStore.Entry e : store.scan("open/")) {
      if (settled.size() >= max) {
        break;
      }
      String id = e.key().substring("open/".length());
      JobRecord r =
          store
              .get(jobKey(id), JobRecord.class)
              .orElseThrow(
                  () -> new SettlementException("store: open job " + id + " has no record"));
      JobRecord after = settleJob(r, head);
      if (after.phase() == JobRecord.Phase.SETTLED) {
        settled.add(after);
      }
    }
    return settled;
  }

  private JobRecord settleJob(JobRecord r, SettlementChain.Head head) {
    if (r.phase() == JobRecord.Phase.SETTLED) {
      return r;
    }
    byte[] id = Numeric.hexStringToByteArray(r.jobId());
    String lastError = r.lastError();
    RetryPolicy retry = options.retry();
    int transientFailures = 0;
    for (int tried = 0; tried < retry.maxAttempts(); tried++) {
      if (transientFailures > 0) {
        sleeper.accept(backoffMillis(retry, transientFailures));
      }
      try {
        JobMarket.Job info = chain.jobInfo(id);
        int status = info.status.intValueExact();
        if (status == SettlementChain.STATUS_FINALIZED || status == SettlementChain.STATUS_FRAUD) {
          return account(r, info); // closed already: by us before a restart, or by anyone
        }
        if (status != SettlementChain.STATUS_OPEN) {
          throw new SettlementException("job " + r.jobId() + " is unknown to JobMarket");
        }
        BigInteger endsAt = chain.challengeEndsAt(id);
        BigInteger now = tried == 0 ? head.timestamp() : chain.head().timestamp();
        if (now.compareTo(endsAt) < 0) {
          return r; // still in its challenge window
        }
        r = r.finalizing(r.attempts() + 1, lastError);
        put(jobKey(r.jobId()), r); // before: a restart finds FINALIZING and asks the chain
        listener.beforeSend(Action.FINALIZE, r.jobId());
        TransactionReceipt receipt = send(contracts.market().finalize(id));
        listener.afterSend(Action.FINALIZE, r.jobId(), receipt);
        log.info(
            "finalized job {} in block {} (gas {})",
            r.jobId(),
            receipt.getBlockNumber(),
            receipt.getGasUsed());
        return account(r, chain.jobInfo(id)); // after: the outcome, from the chain's events
      } catch (ContractRevertException revert) {
        lastError = revert.getMessage();
        if ("JobNotOpen".equals(revert.errorName())) {
          continue; // closed under us (someone else finalized or proved fraud): read it again
        }
        r = r.failed(lastError);
        put(jobKey(r.jobId()), r);
        if (!"ChallengeWindowOpen".equals(revert.errorName())) {
          log.warn("finalize of job {} refused: {}", r.jobId(), lastError);
        }
        return r;
      } catch (SettlementException e) {
        throw e;
      } catch (RuntimeException transientFailure) {
        lastError = describe(transientFailure);
        transientFailures++;
        log.warn("settling job {} failed (try {}): {}", r.jobId(), tried + 1, lastError);
        r = r.failed(lastError);
        put(jobKey(r.jobId()), r);
      }
    }
    return r;
  }

  /**
   * Reads how the job ended from its events and records it with its payouts, atomically: job
   * SETTLED, balances raised, outbox entry, settlement counter.
   */
  private JobRecord account(JobRecord r, JobMarket.Job info) {
    JobRecord current = store.get(jobKey(r.jobId()), JobRecord.class).orElse(r);
    if (current.phase() == JobRecord.Phase.SETTLED) {
      return current; // never twice
    }
    int status = info.status.intValueExact();
    long head = chain.head().number();
    List<Log> logs =
        chain.logs(
            market(),
            r.openedBlock(),
            head,
            List.of(
                List.of(PAYOUT, JOB_FINALIZED, FRAUD_PROVEN),
                List.of(SettlementChain.topic(Numeric.hexStringToByteArray(r.jobId())))));
    Log closing = null;
    List<Log> payoutLogs = new ArrayList<>();
    for (Log l : logs) {
      if (PAYOUT.equals(l.getTopics().get(0))) {
        payoutLogs.add(l);
      } else if (closing != null) {
        throw new SettlementException("job " + r.jobId() + " was closed twice on chain");
      } else {
        closing = l;
      }
    }
    if (closing == null) {
      // The status says closed but the node does not show the event yet: try again later.
      throw new IllegalStateException(
          "job "
              + r.jobId()
              + " is closed on chain but its closing event is not visible in blocks "
              + r.openedBlock()
              + ".."
              + head);
    }
    String tx = closing.getTransactionHash();
    List<PayoutEntry> payouts = new ArrayList<>();
    for (Log l : payoutLogs) {
      if (!tx.equalsIgnoreCase(l.getTransactionHash())) {
        throw new SettlementException(
            "job " + r.jobId() + " has a Payout outside its closing transaction " + tx);
      }
      JobMarket.PayoutEventResponse p = JobMarket.getPayoutEventFromLog(l);
      payouts.add(new PayoutEntry(p.account, p.amount, PayoutKind.of(p.kind)));
    }
    TransactionReceipt receipt = chain.receipt(tx);
    boolean byUs = contracts.account().equalsIgnoreCase(receipt.getFrom());
    long block = receipt.getBlockNumber().longValueExact();
    long gas = receipt.getGasUsed().longValueExact();
    BigInteger paid =
        payouts.stream().map(PayoutEntry::amount).reduce(BigInteger.ZERO, BigInteger::add);
    Settlement s;
    if (JOB_FINALIZED.equals(closing.getTopics().get(0))) {
      expectStatus(r, status, SettlementChain.STATUS_FINALIZED);
      JobMarket.JobFinalizedEventResponse f = JobMarket.getJobFinalizedEventFromLog(closing);
      if (!paid.equals(f.cost)
          || payouts.stream().anyMatch(p -> p.kind() == PayoutKind.CHALLENGER)) {
        throw new SettlementException(
            "job "
                + r.jobId()
                + ": Payout events sum to "
                + paid
                + " but JobFinalized says "
                + f.cost);
      }
      s =
          new Settlement(
              Settlement.Outcome.FINALIZED,
              payouts,
              f.refund,
              f.cost,
              f.verifierFee,
              null,
              null,
              null,
              null,
              null,
              tx,
              block,
              gas,
              byUs);
      checkAgainstRules(r, info, s);
    } else {
      expectStatus(r, status, SettlementChain.STATUS_FRAUD);
      JobMarket.FraudProvenEventResponse f = JobMarket.getFraudProvenEventFromLog(closing);
      if (!paid.equals(f.challengerRewards)
          || payouts.stream().anyMatch(p -> p.kind() != PayoutKind.CHALLENGER)
          || !f.slashed.equals(f.challengerRewards.add(f.toTreasury))) {
        throw new SettlementException(
            "job "
                + r.jobId()
                + ": FraudProven (slashed "
                + f.slashed
                + ", rewards "
                + f.challengerRewards
                + ", treasury "
                + f.toTreasury
                + ") does not match its Payout events (sum "
                + paid
                + ")");
      }
      s =
          new Settlement(
              Settlement.Outcome.FRAUD,
              payouts,
              f.refunded,
              BigInteger.ZERO,
              BigInteger.ZERO,
              f.shardIndex.longValueExact(),
              lower(f.provider),
              f.slashed,
              f.challengerRewards,
              f.toTreasury,
              tx,
              block,
              gas,
              byUs);
    }

    long seq = store.get(SEQ, Long.class).orElse(0L) + 1;
    Map<String, BigInteger> raise = new TreeMap<>();
    for (PayoutEntry p : payouts) {
      raise.merge(p.account(), p.amount(), BigInteger::add);
    }
    JobRecord done = current.settled(seq, s);
    try (SettlementStore.Batch b = store.batch()) {
      for (Map.Entry<String, BigInteger> e : raise.entrySet()) {
        BigInteger before = store.get(balKey(e.getKey()), BigInteger.class).orElse(BigInteger.ZERO);
        b.put(balKey(e.getKey()), before.add(e.getValue()));
      }
      b.put(jobKey(r.jobId()), done)
          .delete(openKey(r.jobId()))
          .put(SEQ, seq)
          .put(outboxKey(seq), new SettledJob(seq, r.jobId(), s));
      b.commit();
    }
    log.info(
        "settled job {} ({}): {} payouts, {} wei, refund {} wei, tx {}",
        r.jobId(),
        s.outcome(),
        payouts.size(),
        paid,
        s.refund(),
        tx);
    return done;
  }

  private static void expectStatus(JobRecord r, int status, int expected) {
    if (status != expected) {
      throw new SettlementException(
          "job " + r.jobId() + " has status " + status + " but its closing event says " + expected);
    }
  }

  /** Warns when the contract paid otherwise than MarketConfig's restatement of its rules. */
  private void checkAgainstRules(JobRecord r, JobMarket.Job info, Settlement s) {
    List<MarketConfig.ShardWork> shards = new ArrayList<>();
    byte[] id = Numeric.hexStringToByteArray(r.jobId());
    for (int i = 0; i < info.shardCount.intValueExact(); i++) {
      JobMarket.Shard sh = chain.shardInfo(id, i);
      shards.add(new MarketConfig.ShardWork(sh.provider, sh.workUnits.longValueExact()));
    }
    MarketConfig.FinalizeSplit expected =
        MarketConfig.finalizeSplit(MarketConfig.JobTerms.of(info), info.verifier, shards);
    if (!expected.payouts().equals(s.payouts())
        || !expected.cost().equals(s.cost())
        || !expected.refund().equals(s.refund())) {
      log.warn(
          "job {}: JobMarket paid {} (cost {}, refund {}), MarketConfig's rules say {} (cost {},"
              + " refund {}); accounting what the contract paid",
          r.jobId(),
          s.payouts(),
          s.cost(),
          s.refund(),
          expected.payouts(),
          expected.cost(),
          expected.refund());
    }
  }

  // ---------------------------------------------------------------- epochs

  /**
   * Cuts the next epoch from the current balances and posts its root, or finishes posting an epoch
   * cut before (after a crash or a transient failure). Does nothing when no balance grew since the
   * last epoch.
   *
   * @return the epoch worked on (POSTED, or still POSTING if the chain could not be reached)
   */
  public synchronized Optional<EpochRecord> closeEpoch() {
    Optional<EpochRecord> latest = latestEpoch();
    if (latest.isPresent() && latest.get().phase() == EpochRecord.Phase.POSTING) {
      return Optional.of(post(latest.get()));
    }
    Map<String, BigInteger> balances = balances();
    if (balances.isEmpty() || (latest.isPresent() && latest.get().balances().equals(balances))) {
      return Optional.empty();
    }
    long last = latest.map(EpochRecord::epoch).orElse(0L);
    long onChain = retrying("reading currentEpoch", chain::currentEpoch);
    if (onChain > last) {
      throw new SettlementException(
          "RewardDistributor is at epoch "
              + onChain
              + " but this settler's last epoch is "
              + last
              + ": another settler posts roots, or this is not the store that posted them");
    }
    long epoch = last + 1;
    RewardTree tree = RewardTree.of(balances);
    long seq = store.get(SEQ, Long.class).orElse(0L);
    long head = retrying("reading the head", chain::head).number();
    EpochRecord rec =
        new EpochRecord(
            epoch,
            hex(tree.root()),
            tree.total(),
            tree.balances(),
            seq,
            head,
            EpochRecord.Phase.POSTING,
            0,
            null,
            null,
            null,
            null);
    try (SettlementStore.Batch b = store.batch()) {
      b.put(epochKey(epoch), rec).put(LAST_EPOCH, epoch).commit();
    }
    log.info(
        "cut epoch {}: {} accounts, {} wei in all, root {}",
        epoch,
        balances.size(),
        tree.total(),
        rec.root());
    return Optional.of(post(rec));
  }

  private EpochRecord post(EpochRecord rec) {
    byte[] root = Numeric.hexStringToByteArray(rec.root());
    BigInteger epoch = BigInteger.valueOf(rec.epoch());
    String lastError = rec.lastError();
    RetryPolicy retry = options.retry();
    int transientFailures = 0;
    for (int tried = 0; tried < retry.maxAttempts(); tried++) {
      if (transientFailures > 0) {
        sleeper.accept(backoffMillis(retry, transientFailures));
      }
      try {
        EpochRecord landed = postedOnChain(rec);
        if (landed != null) {
          put(epochKey(rec.epoch()), landed);
          return landed;
        }
        BigInteger funded = chain.totalFunded();
        if (rec.total().compareTo(funded) > 0) {
          throw new SettlementException(
              "epoch "
                  + rec.epoch()
                  + " would owe "
                  + rec.total()
                  + " wei but RewardDistributor was funded only "
                  + funded
                  + ": the accounting is wrong, refusing to post it");
        }
        rec = rec.attempt(rec.attempts() + 1, lastError);
        put(epochKey(rec.epoch()), rec);
        listener.beforeSend(Action.POST_ROOT, Long.toString(rec.epoch()));
        TransactionReceipt receipt =
            send(contracts.distributor().postRoot(epoch, root, rec.total()));
        listener.afterSend(Action.POST_ROOT, Long.toString(rec.epoch()), receipt);
        EpochRecord done =
            rec.posted(
                receipt.getTransactionHash(),
                receipt.getBlockNumber().longValueExact(),
                receipt.getGasUsed().longValueExact());
        put(epochKey(rec.epoch()), done);
        log.info(
            "posted epoch {} root {} in block {} (gas {})",
            rec.epoch(),
            rec.root(),
            done.blockNumber(),
            done.gasUsed());
        return done;
      } catch (ContractRevertException revert) {
        if ("EpochNotIncreasing".equals(revert.errorName())) {
          lastError = revert.getMessage(); // ours may have landed: the next try reads the chain
          continue;
        }
        throw new SettlementException(
            "RewardDistributor refused epoch " + rec.epoch() + ": " + revert.getMessage(), revert);
      } catch (SettlementException e) {
        throw e;
      } catch (RuntimeException transientFailure) {
        lastError = describe(transientFailure);
        transientFailures++;
        log.warn("posting epoch {} failed (try {}): {}", rec.epoch(), tried + 1, lastError);
        rec = rec.attempt(rec.attempts(), lastError);
        put(epochKey(rec.epoch()), rec);
      }
    }
    return rec;
  }

  /** The epoch as POSTED if its root is on chain, null if not posted yet; a rival root throws. */
  private EpochRecord postedOnChain(EpochRecord rec) {
    long current = chain.currentEpoch();
    if (current < rec.epoch()) {
      return null;
    }
    long head = chain.head().number();
    List<Log> logs =
        chain.logs(
            distributor(),
            rec.searchFromBlock(),
            head,
            List.of(List.of(EPOCH_ROOT_POSTED), List.of(SettlementChain.topic(rec.epoch()))));
    if (logs.isEmpty()) {
      throw new SettlementException(
          "RewardDistributor is at epoch "
              + current
              + " but shows no root for epoch "
              + rec.epoch()
              + " since block "
              + rec.searchFromBlock()
              + ": another settler posted it");
    }
    RewardDistributor.EpochRootPostedEventResponse e =
        RewardDistributor.getEpochRootPostedEventFromLog(logs.get(0));
    if (!rec.root().equalsIgnoreCase(hex(e.root)) || !rec.total().equals(e.totalCumulative)) {
      throw new SettlementException(
          "epoch "
              + rec.epoch()
              + " holds root "
              + hex(e.root)
              + " (total "
              + e.totalCumulative
              + ") on chain, this settler's is "
              + rec.root()
              + " (total "
              + rec.total()
              + ")");
    }
    if (current > rec.epoch()) {
      throw new SettlementException(
          "RewardDistributor moved on to epoch "
              + current
              + " after this settler's epoch "
              + rec.epoch()
              + ": another settler posts roots");
    }
    TransactionReceipt r = chain.receipt(logs.get(0).getTransactionHash());
    log.info("epoch {} was already on chain (tx {})", rec.epoch(), r.getTransactionHash());
    return rec.posted(
        r.getTransactionHash(),
        r.getBlockNumber().longValueExact(),
        r.getGasUsed().longValueExact());
  }

  // ---------------------------------------------------------------- claims

  /**
   * Claims, against the latest posted epoch, each local account's cumulative balance minus what it
   * already claimed. An account already paid up to that balance (by an earlier claim whose record
   * was cut short, or by anyone) is recorded as claimed without sending.
   */
  public synchronized List<ClaimRecord> claimLocal() {
    Optional<EpochRecord> latest = latestEpoch();
    if (latest.isEmpty()) {
      return List.of();
    }
    EpochRecord epoch = latest.get();
    if (epoch.phase() == EpochRecord.Phase.POSTING) {
      epoch = post(epoch);
      if (epoch.phase() != EpochRecord.Phase.POSTED) {
        return List.of();
      }
    }
    EpochRecord posted = epoch;
    retrying(
        "checking the current root",
        () -> {
          long current = chain.currentEpoch();
          byte[] root = chain.currentRoot();
          if (current != posted.epoch() || !posted.root().equalsIgnoreCase(hex(root))) {
            throw new SettlementException(
                "RewardDistributor holds epoch "
                    + current
                    + " root "
                    + hex(root)
                    + ", this settler's latest is epoch "
                    + posted.epoch()
                    + " root "
                    + posted.root()
                    + ": another settler posts roots");
          }
          return null;
        });
    RewardTree tree = RewardTree.of(posted.balances());
    List<ClaimRecord> out = new ArrayList<>();
    for (String account : options.localAccounts()) {
      BigInteger cumulative = posted.balances().get(account);
      if (cumulative == null) {
        continue; // earned nothing yet
      }
      retrying("resolving older claims of " + account, () -> resolveOlderClaims(account, posted));
      ClaimRecord existing =
          store.get(claimKey(account, posted.epoch()), ClaimRecord.class).orElse(null);
      if (existing != null && existing.phase() != ClaimRecord.Phase.CLAIMING) {
        continue;
      }
      if (existing == null && claimedUpTo(account).compareTo(cumulative) >= 0) {
        continue; // an earlier epoch's claim already paid this balance (nothing new earned)
      }
      out.add(claim(account, cumulative, existing, posted, tree));
    }
    return out;
  }

  private ClaimRecord claim(
      String account,
      BigInteger cumulative,
      ClaimRecord existing,
      EpochRecord epoch,
      RewardTree tree) {
    ClaimRecord rec = existing;
    String lastError = existing == null ? null : existing.lastError();
    RetryPolicy retry = options.retry();
    int transientFailures = 0;
    for (int tried = 0; tried < retry.maxAttempts(); tried++) {
      if (transientFailures > 0) {
        sleeper.accept(backoffMillis(retry, transientFailures));
      }
      try {
        BigInteger already = chain.claimed(account);
        if (already.compareTo(cumulative) >= 0) {
          return recordClaimed(alreadyPaid(account, cumulative, rec, epoch));
        }
        if (rec == null) {
          rec =
              new ClaimRecord(
                  account,
                  epoch.epoch(),
                  cumulative,
                  cumulative.subtract(already),
                  chain.head().number(),
                  ClaimRecord.Phase.CLAIMING,
                  1,
                  lastError,
                  null,
                  null,
                  false);
        } else {
          rec = rec.attempt(rec.attempts() + 1, lastError);
        }
        put(claimKey(account, epoch.epoch()), rec); // before
        listener.beforeSend(Action.CLAIM, account);
        TransactionReceipt receipt =
            send(contracts.distributor().claim(account, cumulative, tree.proof(account)));
        listener.afterSend(Action.CLAIM, account, receipt);
        log.info(
            "claimed {} wei for {} (epoch {}, gas {})",
            rec.amount(),
            account,
            epoch.epoch(),
            receipt.getGasUsed());
        return recordClaimed(
            rec.claimed(receipt.getTransactionHash(), receipt.getGasUsed().longValueExact(), true));
      } catch (ContractRevertException revert) {
        lastError = revert.getMessage();
        if ("NothingToClaim".equals(revert.errorName())) {
          continue; // paid meanwhile: the next try records it
        }
        if ("InvalidProof".equals(revert.errorName())
            || "NoRootPosted".equals(revert.errorName())) {
          throw new SettlementException(
              "claim for "
                  + account
                  + " against epoch "
                  + epoch.epoch()
                  + " refused: the chain's root is not this settler's tree ("
                  + revert.getMessage()
                  + ")",
              revert);
        }
        log.warn("claim for {} refused: {}", account, lastError);
        if (rec != null) {
          rec = rec.attempt(rec.attempts(), lastError);
          put(claimKey(account, epoch.epoch()), rec);
        }
        return rec == null ? pendingClaim(account, cumulative, epoch, lastError) : rec;
      } catch (SettlementException e) {
        throw e;
      } catch (RuntimeException transientFailure) {
        lastError = describe(transientFailure);
        transientFailures++;
        log.warn("claim for {} failed (try {}): {}", account, tried + 1, lastError);
        if (rec != null) {
          rec = rec.attempt(rec.attempts(), lastError);
          put(claimKey(account, epoch.epoch()), rec);
        }
      }
    }
    return rec == null ? pendingClaim(account, cumulative, epoch, lastError) : rec;
  }

  private static ClaimRecord pendingClaim(
      String account, BigInteger cumulative, EpochRecord epoch, String error) {
    return new ClaimRecord(
        account,
        epoch.epoch(),
        cumulative,
        null,
        epoch.blockNumber() == null ? 0 : epoch.blockNumber(),
        ClaimRecord.Phase.CLAIMING,
        0,
        error,
        null,
        null,
        false);
  }

  /** The account holds at least {@code cumulative} claimed: find the claim that did it. */
  private ClaimRecord alreadyPaid(
      String account, BigInteger cumulative, ClaimRecord rec, EpochRecord epoch) {
    long from =
        rec != null
            ? rec.searchFromBlock()
            : (epoch.blockNumber() == null ? epoch.searchFromBlock() : epoch.blockNumber());
    ClaimRecord base =
        rec != null
            ? rec
            : new ClaimRecord(
                account,
                epoch.epoch(),
                cumulative,
                null,
                from,
                ClaimRecord.Phase.CLAIMING,
                0,
                null,
                null,
                null,
                false);
    ClaimRecord found = findClaim(base, from);
    // Not found: paid beyond this balance by a claim outside the searched range (e.g. sent by
    // someone else against a root this settler did not post); recorded without a transaction.
    return found != null ? found : base.claimed(null, null, false);
  }

  /** The highest cumulative balance a recorded, finished claim paid {@code account} up to. */
  private BigInteger claimedUpTo(String account) {
    BigInteger max = BigInteger.ZERO;
    for (SettlementStore.Entry e : store.scan("claim/" + account + "/")) {
      ClaimRecord c = e.as(ClaimRecord.class);
      if (c.phase() == ClaimRecord.Phase.CLAIMED && c.cumulative().compareTo(max) > 0) {
        max = c.cumulative();
      }
    }
    return max;
  }

  /**
   * Settles this account's claims of older epochs that were cut short (CLAIMING when a newer root
   * was posted): their proofs no longer verify, so they are never sent again; the chain's Claimed
   * events say whether one landed (CLAIMED, with its transaction) or not (SUPERSEDED: the newer
   * epoch's claim pays it).
   */
  private Void resolveOlderClaims(String account, EpochRecord latest) {
    for (SettlementStore.Entry e : store.scan("claim/" + account + "/")) {
      ClaimRecord older = e.as(ClaimRecord.class);
      if (older.epoch() >= latest.epoch() || older.phase() != ClaimRecord.Phase.CLAIMING) {
        continue;
      }
      ClaimRecord landed = findClaim(older, older.searchFromBlock());
      put(e.key(), landed != null ? landed : older.superseded());
    }
    return null;
  }

  /** {@code rec} as CLAIMED if a Claimed event for its account and cumulative is on chain. */
  private ClaimRecord findClaim(ClaimRecord rec, long fromBlock) {
    long head = chain.head().number();
    List<Log> logs =
        chain.logs(
            distributor(),
            fromBlock,
            head,
            List.of(List.of(CLAIMED), List.of(SettlementChain.topicOfAddress(rec.account()))));
    for (Log l : logs) {
      RewardDistributor.ClaimedEventResponse c = RewardDistributor.getClaimedEventFromLog(l);
      if (c.cumulative.equals(rec.cumulative())) {
        TransactionReceipt r = chain.receipt(l.getTransactionHash());
        boolean byUs = contracts.account().equalsIgnoreCase(r.getFrom());
        ClaimRecord withAmount =
            new ClaimRecord(
                rec.account(),
                rec.epoch(),
                rec.cumulative(),
                c.amount,
                rec.searchFromBlock(),
                rec.phase(),
                rec.attempts(),
                rec.lastError(),
                null,
                null,
                false);
        log.info(
            "claim for {} (epoch {}) was already on chain (tx {})",
            rec.account(),
            rec.epoch(),
            r.getTransactionHash());
        return withAmount.claimed(r.getTransactionHash(), r.getGasUsed().longValueExact(), byUs);
      }
    }
    return null;
  }

  /** Records a finished claim. */
  private ClaimRecord recordClaimed(ClaimRecord done) {
    put(claimKey(done.account(), done.epoch()), done);
    return done;
  }

  // ---------------------------------------------------------------- ledger events and views

  /** Settled jobs whose ledger event was not acknowledged yet, in settlement order. */
  public synchronized List<SettledJob> pendingLedgerEvents() {
    List<SettledJob> out = new ArrayList<>();
    for (SettlementStore.Entry e : store.scan("outbox/")) {
      out.add(e.as(SettledJob.class));
    }
    return out;
  }

  /** The caller appended the ledger event of settlement {@code seq}: drop it from the outbox. */
  public synchronized void acknowledgeLedgerEvent(long seq) {
    try (SettlementStore.Batch b = store.batch()) {
      b.delete(outboxKey(seq)).commit();
    }
  }

  /** Cumulative earnings accounted so far, by lowercase account. */
  public synchronized Map<String, BigInteger> balances() {
    Map<String, BigInteger> out = new TreeMap<>();
    for (SettlementStore.Entry e : store.scan("bal/")) {
      out.put(e.key().substring("bal/".length()), e.as(BigInteger.class));
    }
    return out;
  }

  public synchronized Optional<JobRecord> job(Bytes32 jobId) {
    return store.get(jobKey(jobId.toString()), JobRecord.class);
  }

  /** Every job seen, by job id. */
  public synchronized List<JobRecord> jobs() {
    List<JobRecord> out = new ArrayList<>();
    for (SettlementStore.Entry e : store.scan("job/")) {
      out.add(e.as(JobRecord.class));
    }
    return out;
  }

  public synchronized Optional<EpochRecord> epoch(long epoch) {
    return store.get(epochKey(epoch), EpochRecord.class);
  }

  /** The newest epoch cut (POSTING or POSTED). */
  public synchronized Optional<EpochRecord> latestEpoch() {
    return store.get(LAST_EPOCH, Long.class).flatMap(this::epoch);
  }

  /** Every claim record of {@code account}, oldest epoch first. */
  public synchronized List<ClaimRecord> claims(String account) {
    List<ClaimRecord> out = new ArrayList<>();
    for (SettlementStore.Entry e : store.scan("claim/" + lower(account) + "/")) {
      out.add(e.as(ClaimRecord.class));
    }
    return out;
  }

  // ---------------------------------------------------------------- helpers

  private String market() {
    return contracts.addresses().market();
  }

  private String distributor() {
    return contracts.addresses().distributor();
  }

  private void put(String key, Object value) {
    try (SettlementStore.Batch b = store.batch()) {
      b.put(key, value).commit();
    }
  }

  private <T> T retrying(String what, Supplier<T> read) {
    RetryPolicy retry = options.retry();
    RuntimeException last = null;
    for (int tried = 0; tried < retry.maxAttempts(); tried++) {
      if (tried > 0) {
        sleeper.accept(backoffMillis(retry, tried));
      }
      try {
        return read.get();
      } catch (SettlementException | ContractRevertException e) {
        throw e;
      } catch (RuntimeException e) {
        last = e;
        log.warn("{} failed (try {}): {}", what, tried + 1, describe(e));
      }
    }
    throw new SettlementException(
        what + " failed " + retry.maxAttempts() + " times: " + describe(last), last);
  }

  static long backoffMillis(RetryPolicy retry, int failedAttempts) {
    long ms = retry.firstBackoff().toMillis() << Math.min(failedAttempts - 1, 30);
    return Math.min(ms, retry.maxBackoff().toMillis());
  }

  private static String describe(RuntimeException e) {
    return e == null ? "" : e.getClass().getSimpleName() + ": " + e.getMessage();
  }

  static String jobKey(String jobId) {
    return "job/" + jobId;
  }

  static String openKey(String jobId) {
    return "open/" + jobId;
  }

  static String balKey(String account) {
    return "bal/" + account;
  }

  static String epochKey(long epoch) {
    return String.format(Locale.ROOT, "epoch/%020d", epoch);
  }

  static String claimKey(String account, long epoch) {
    return String.format(Locale.ROOT, "claim/%s/%020d", account, epoch);
  }

  static String outboxKey(long seq) {
    return String.format(Locale.ROOT, "outbox/%020d", seq);
  }

  private static String hex(byte[] b) {
    return Numeric.toHexString(b).toLowerCase(Locale.ROOT);
  }

  private static String lower(String address) {
    return address.toLowerCase(Locale.ROOT);
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SettlementException("interrupted while backing off", e);
    }
  }
}
