package io.layerproof.chain.settlement;

import static io.layerproof.chain.contracts.LayerproofContracts.send;
import static io.layerproof.chain.settlement.SettlementFixture.LPC;
import static io.layerproof.chain.settlement.SettlementFixture.PROVIDER;
import static io.layerproof.chain.settlement.SettlementFixture.SEQUENCER;
import static io.layerproof.chain.settlement.SettlementFixture.VERIFIER;
import static io.layerproof.chain.settlement.SettlementFixture.h;
import static io.layerproof.chain.settlement.SettlementFixture.lower;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.layerproof.chain.contracts.RewardTree;
import io.layerproof.chain.event.Bytes32;
import io.layerproof.chain.event.EnvelopeVerifier;
import io.layerproof.chain.event.EthAddress;
import io.layerproof.chain.event.EventSigner;
import io.layerproof.chain.event.JobSettled;
import io.layerproof.chain.event.LedgerDomain;
import io.layerproof.chain.event.NodeKey;
import io.layerproof.chain.event.Payout;
import io.layerproof.chain.event.TestEvents;
import io.layerproof.chain.ledger.EventLog;
import io.layerproof.chain.settlement.SettlementFixture.Expected;
import io.layerproof.chain.settlement.SettlementFixture.Job;
import io.layerproof.contracts.generated.RewardDistributor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.abi.EventEncoder;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.methods.request.EthFilter;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.utils.Numeric;

/**
 * Settlement on the embedded chain: a normal epoch and a proven fraud, paid to the wei against an
 * independent model of the contract's rules; a crash at every recorded step (in process); a root
 * posted by someone else; the store's exclusivity. Gas per operation is printed as {@code GAS}
 * lines (see target/surefire-reports/*SettlementServiceTest-output.txt).
 */
class SettlementServiceTest {

  private static final BigInteger MAX_PRICE = BigInteger.TEN.pow(10);
  private static final long PAST_WINDOWS = 600 + 3_600 + 1;

  @TempDir Path dir;

  @Test
  void aNormalEpochPaysEveryAccountExactlyItsShare() {
    try (SettlementFixture f = SettlementFixture.inMemory("normal");
        SettlementStore store = SettlementStore.open(dir.resolve("settlement"))) {
      Credentials seq = f.node("sequencer", SEQUENCER);
      Credentials p1 = f.node("p1", PROVIDER);
      Credentials p2 = f.node("p2", PROVIDER);
      Credentials p3 = f.node("p3", PROVIDER);
      Credentials v1 = f.node("v1", VERIFIER);
      Credentials v2 = f.node("v2", VERIFIER);
      Credentials buyer = f.buyer("buyer", LPC);

      MarketConfig config = MarketConfig.read(f.admin);
      assertEquals(f.params.unitPrice(), config.unitPrice());
      assertEquals(f.params.verifierFeeBps(), config.verifierFeeBps());
      assertEquals(f.params.challengeWindowSeconds(), config.challengeWindowSeconds());
      assertEquals(f.params.slashBps(), config.slashBps());
      assertEquals(f.params.challengerRewardBps(), config.challengerRewardBps());
      assertEquals(lower(SettlementFixture.treasury("normal")), config.treasury());

      Job a = f.openJob(seq, buyer, MAX_PRICE, List.of(p1, p2), v1);
      f.commit(a, 0, 1200);
      f.commit(a, 1, 800);
      Job b = f.openJob(seq, buyer, MAX_PRICE, List.of(p2, p3, p1), v1); // rounding dust
      f.commit(b, 0, 777);
      f.commit(b, 1, 1001);
      f.commit(b, 2, 555);
      Job c = f.openJob(seq, buyer, BigInteger.valueOf(500_000_000), List.of(p3), v2); // capped
      f.commit(c, 0, 1000);
      Job d = f.openJob(seq, buyer, MAX_PRICE, List.of(p1, p3), v1); // shard 0 never commits
      f.commit(d, 1, 500);
      Job e = f.openJob(seq, buyer, MAX_PRICE, List.of(p2), v2);
      f.commit(e, 0, 640);

      Expected exp = new Expected();
      Map<Job, MarketConfig.FinalizeSplit> splits = new LinkedHashMap<>();
      splits.put(a, exp.finalized(config, a, 1200, 800));
      splits.put(b, exp.finalized(config, b, 777, 1001, 555));
      splits.put(c, exp.finalized(config, c, 1000));
      splits.put(d, exp.finalized(config, d, 0, 500));
      splits.put(e, exp.finalized(config, e, 640));
      // The model itself, pinned by hand once: 2,000 units x 1e6 wei = 2e9, 5% to the verifier,
      // 1.9e9 split 1200:800.
      assertEquals(
          List.of(
              new PayoutEntry(
                  v1.getAddress(), BigInteger.valueOf(100_000_000), PayoutKind.VERIFIER),
              new PayoutEntry(
                  p1.getAddress(), BigInteger.valueOf(1_140_000_000), PayoutKind.PROVIDER),
              new PayoutEntry(
                  p2.getAddress(), BigInteger.valueOf(760_000_000), PayoutKind.PROVIDER)),
          splits.get(a).payouts());
      assertEquals(c.maxPrice(), splits.get(c).cost(), "job c is capped at its max price");

      // Nothing is due yet: the service waits for the challenge windows.
      SettlementService s =
          f.service(
              store, List.of(p1.getAddress(), p2.getAddress(), p3.getAddress(), v1.getAddress()));
      SettlementService.RunReport early = s.runOnce();
      assertEquals(5, early.discoveredJobs());
      assertTrue(early.settledJobs().isEmpty(), "no job is past its challenge window yet");
      assertTrue(early.epoch().isEmpty());

      f.increaseTime(PAST_WINDOWS);
      // Anyone may finalize: a passer-by closes job e before the settler gets to it.
      TransactionReceipt byOther =
          send(f.admin.as(f.account("passer-by")).market().finalize(e.id()));

      SettlementService.RunReport r = s.runOnce();
      assertEquals(0, r.discoveredJobs());
      assertEquals(5, r.settledJobs().size());
      for (var entry : splits.entrySet()) {
        Job job = entry.getKey();
        MarketConfig.FinalizeSplit split = entry.getValue();
        JobRecord rec = s.job(Bytes32.of(job.id())).orElseThrow();
        assertEquals(JobRecord.Phase.SETTLED, rec.phase());
        Settlement st = rec.settlement();
        assertEquals(Settlement.Outcome.FINALIZED, st.outcome());
        assertEquals(split.payouts(), st.payouts(), "payouts of " + job.hexId());
        assertEquals(split.cost(), st.cost());
        assertEquals(split.verifierFee(), st.verifierFee());
        assertEquals(job.maxPrice().subtract(split.cost()), st.refund());
        assertEquals(job != e, st.sentByUs(), "only job e was finalized by someone else");
      }
      assertEquals(
          byOther.getTransactionHash(),
          s.job(Bytes32.of(e.id())).orElseThrow().settlement().txHash());
      assertEquals(exp.earnings, s.balances());

      EpochRecord epoch = r.epoch().orElseThrow();
      assertEquals(1, epoch.epoch());
      assertEquals(EpochRecord.Phase.POSTED, epoch.phase());
      RewardTree expectedTree = RewardTree.of(exp.earnings);
      assertEquals(Numeric.toHexString(expectedTree.root()), epoch.root());
      assertEquals(exp.funded, epoch.total());
      assertEquals(BigInteger.ONE, send(f.admin.distributor().currentEpoch()));
      assertEquals(epoch.root(), Numeric.toHexString(send(f.admin.distributor().currentRoot())));
      assertEquals(exp.funded, send(f.admin.distributor().rootTotal()));
      assertEquals(exp.funded, send(f.admin.distributor().totalFunded()));

      assertEquals(4, r.claims().size());
      for (ClaimRecord claim : r.claims()) {
        assertEquals(ClaimRecord.Phase.CLAIMED, claim.phase());
        assertTrue(claim.sentByUs());
        assertEquals(exp.earnings.get(claim.account()), claim.amount());
      }
      for (Credentials who : List.of(p1, p2, p3, v1)) {
        assertEquals(exp.of(who), f.balanceOf(who.getAddress()), "tokens of " + who.getAddress());
      }
      assertEquals(BigInteger.ZERO, f.balanceOf(v2.getAddress()), "v2 is not a local account");
      assertEquals(exp.of(v2), f.balanceOf(f.addresses.distributor()), "only v2's share left");
      BigInteger spent = exp.spentByBuyer.get(lower(buyer));
      assertEquals(LPC.subtract(spent), f.escrowBalance(buyer.getAddress()), "buyer refunded");
      assertEquals(BigInteger.ZERO, f.locked(buyer.getAddress()));

      // The ledger events owed: one JobSettled per job, the buyer's money to the wei.
      List<SettledJob> outbox = s.pendingLedgerEvents();
      assertEquals(5, outbox.size());
      Set<String> eventJobs = new HashSet<>();
      for (SettledJob sj : outbox) {
        JobSettled ev = sj.ledgerEvent();
        Job job = jobById(splits.keySet(), sj.jobId());
        eventJobs.add(sj.jobId());
        assertEquals(Bytes32.of(job.id()), ev.jobId());
        assertEquals(job.maxPrice(), ev.paid().add(ev.refund()));
        List<Payout> want = new ArrayList<>();
        for (PayoutEntry p : splits.get(job).payouts()) {
          want.add(new Payout(EthAddress.fromHex(p.account()), p.amount()));
        }
        assertEquals(want, ev.payouts());
      }
      assertEquals(5, eventJobs.size());
      s.acknowledgeLedgerEvent(outbox.get(0).seq());
      assertEquals(4, s.pendingLedgerEvents().size());

      // v2 is not local: it claims for itself with the settler's recorded epoch.
      RewardTree tree = RewardTree.of(epoch.balances());
      send(
          f.admin
              .as(v2)
              .distributor()
              .claim(v2.getAddress(), exp.of(v2), tree.proof(v2.getAddress())));
      assertEquals(exp.of(v2), f.balanceOf(v2.getAddress()));
      assertEquals(BigInteger.ZERO, f.balanceOf(f.addresses.distributor()));

      // A second pass with nothing new sends nothing.
      long block = f.chain.blockNumber();
      SettlementService.RunReport idle = s.runOnce();
      assertTrue(idle.settledJobs().isEmpty() && idle.epoch().isEmpty() && idle.claims().isEmpty());
      assertEquals(block, f.chain.blockNumber(), "an idle pass mined nothing");

      // Epoch 2: one more job; the claims pay only what was earned since epoch 1.
      Job g = f.openJob(seq, buyer, MAX_PRICE, List.of(p3, p1), v1);
      f.commit(g, 0, 300);
      f.commit(g, 1, 700);
      exp.finalized(config, g, 300, 700);
      f.increaseTime(PAST_WINDOWS);
      SettlementService.RunReport r2 = s.runOnce();
      assertEquals(1, r2.settledJobs().size());
      assertEquals(2, r2.epoch().orElseThrow().epoch());
      assertEquals(exp.funded, r2.epoch().orElseThrow().total());
      assertEquals(3, r2.claims().size(), "p1, p3 and v1 earned more; p2 did not");
      for (Credentials who : List.of(p1, p2, p3, v1, v2)) {
        assertEquals(exp.of(who), f.balanceOf(who.getAddress()), "epoch 2 tokens of " + who);
      }
      assertEquals(exp.funded, send(f.admin.distributor().rootTotal()));

      StringBuilder gas = new StringBuilder("settlement gas, normal epoch (5 jobs, then 1):\n");
      for (Job job : List.of(a, b, c, d, e, g)) {
        Settlement st = s.job(Bytes32.of(job.id())).orElseThrow().settlement();
        gas.append(
            String.format(
                "GAS JobMarket.finalize job %s.. (%d shards, %d payouts%s) %,d%n",
                job.hexId().substring(0, 10),
                job.providers().size(),
                st.payouts().size(),
                st.sentByUs() ? "" : ", sent by a passer-by",
                st.gasUsed()));
      }
      for (long n : List.of(1L, 2L)) {
        EpochRecord ep = s.epoch(n).orElseThrow();
        gas.append(
            String.format(
                "GAS RewardDistributor.postRoot epoch %d (%d accounts) %,d%n",
                n, ep.balances().size(), ep.gasUsed()));
      }
      for (Credentials who : List.of(p1, p2, p3, v1)) {
        for (ClaimRecord cr : s.claims(who.getAddress())) {
          gas.append(
              String.format(
                  "GAS RewardDistributor.claim epoch %d %s.. (%s claim) %,d%n",
                  cr.epoch(),
                  cr.account().substring(0, 10),
                  cr.epoch() == 1 ? "first" : "repeat",
                  cr.gasUsed()));
        }
      }
      // What settling one job costs on chain in epoch 1 (5 jobs): the finalizes, plus the root
      // and the 4 claims shared among the jobs.
      long finalizes = 0;
      for (Job job : List.of(a, b, c, d, e)) {
        finalizes += s.job(Bytes32.of(job.id())).orElseThrow().settlement().gasUsed();
      }
      long claimsGas = r.claims().stream().mapToLong(ClaimRecord::gasUsed).sum();
      gas.append(
          String.format(
              "GAS per job, epoch 1 of 5 jobs: finalize %,d + postRoot share %,d + claims share"
                  + " %,d = %,d%n",
              finalizes / 5,
              epoch.gasUsed() / 5,
              claimsGas / 5,
              (finalizes + epoch.gasUsed() + claimsGas) / 5));
      System.out.print(gas);
    }
  }

  @Test
  void provenFraudPaysChallengersRefundsTheBuyerAndNeverPaysTheSlashedShard() {
    try (SettlementFixture f = SettlementFixture.inMemory("fraud");
        SettlementStore store = SettlementStore.open(dir.resolve("settlement"))) {
      Credentials seq = f.node("sequencer", SEQUENCER);
      Credentials cheat = f.node("cheat", PROVIDER);
      Credentials honest = f.node("honest", PROVIDER);
      Credentials v1 = f.node("v1", VERIFIER);
      Credentials v2 = f.node("v2", VERIFIER);
      Credentials v3 = f.node("v3", VERIFIER);
      Credentials buyer = f.buyer("buyer", LPC);

      Job x = f.openJob(seq, buyer, MAX_PRICE, List.of(cheat, honest), v1);
      f.commit(x, 0, 900);
      f.commit(x, 1, 1100);
      Job y = f.openJob(seq, buyer, MAX_PRICE, List.of(honest), v1);
      f.commit(y, 0, 400);
      var bond = send(f.admin.registry().bondOf(cheat.getAddress()));
      BigInteger bonded = bond.component1().add(bond.component2());

      // Three verifiers prove fraud in shard 0 during the window (v2 sends it).
      TransactionReceipt fraud =
          f.proveFraud(x, 0, h("activation mismatch"), List.of(v1, v2, v3), v2);
      MarketConfig config = MarketConfig.read(f.admin);
      Expected exp = new Expected();
      MarketConfig.FraudSplit fs = exp.fraud(config, bonded, List.of(v1, v2, v3));
      MarketConfig.FinalizeSplit sy = exp.finalized(config, y, 400);
      // Pinned by hand: 50% of 100 LPC slashed, 20% of that split three ways, the rest treasury.
      assertEquals(LPC.multiply(BigInteger.valueOf(50)), fs.slashed());
      assertEquals(new BigInteger("3333333333333333333"), fs.rewardEach());
      assertEquals(new BigInteger("40000000000000000001"), fs.toTreasury());

      f.increaseTime(PAST_WINDOWS);
      SettlementService s =
          f.service(
              store,
              List.of(
                  cheat.getAddress(),
                  honest.getAddress(),
                  v1.getAddress(),
                  v2.getAddress(),
                  v3.getAddress()));
      SettlementService.RunReport r = s.runOnce();
      assertEquals(2, r.settledJobs().size());

      JobRecord jx = s.job(Bytes32.of(x.id())).orElseThrow();
      assertEquals(0, jx.attempts(), "the settler never tried to finalize a fraud job");
      Settlement st = jx.settlement();
      assertEquals(Settlement.Outcome.FRAUD, st.outcome());
      assertEquals(0L, st.fraudShard());
      assertEquals(lower(cheat), st.accused());
      assertEquals(fs.slashed(), st.slashed());
      assertEquals(fs.challengerRewards(), st.challengerRewards());
      assertEquals(fs.toTreasury(), st.toTreasury());
      assertEquals(fs.payouts(), st.payouts(), "challenger rewards as the contract emitted them");
      assertEquals(x.maxPrice(), st.refund(), "the buyer's whole max price is released");
      assertEquals(BigInteger.ZERO, st.cost());
      assertFalse(st.sentByUs());
      assertEquals(fraud.getTransactionHash(), st.txHash());
      assertEquals(fraud.getGasUsed().longValueExact(), st.gasUsed());
      for (PayoutEntry p : st.payouts()) {
        assertFalse(p.account().equals(lower(cheat)) || p.account().equals(lower(honest)));
      }

      // The ledger event: no buyer money paid for the fraud job, all of it refunded.
      JobSettled ev =
          s.pendingLedgerEvents().stream()
              .filter(j -> j.jobId().equals(x.hexId()))
              .findFirst()
              .orElseThrow()
              .ledgerEvent();
      assertTrue(ev.payouts().isEmpty());
      assertEquals(x.maxPrice(), ev.refund());
      // The caller signs the owed events and appends them to its ledger, then acknowledges them.
      EnvelopeVerifier verifier =
          new EnvelopeVerifier(LedgerDomain.of(f.chainId, f.addresses.market()));
      NodeKey sequencerKey = TestEvents.nodeKey("fraud sequencer");
      try (EventLog ledger = EventLog.open(dir.resolve("ledger"))) {
        EventSigner signer =
            new EventSigner(sequencerKey, verifier.domain(), ledger.nextSeq(sequencerKey.id()));
        for (SettledJob owed : s.pendingLedgerEvents()) {
          ledger.append(verifier.verify(signer.sign(owed.ledgerEvent())));
          s.acknowledgeLedgerEvent(owed.seq());
        }
        assertEquals(2, ledger.indicesOfType(JobSettled.class).size());
      }
      assertTrue(s.pendingLedgerEvents().isEmpty());

      assertEquals(exp.earnings, s.balances());
      assertNull(s.balances().get(lower(cheat)), "the slashed provider earns nothing");
      assertEquals(sy.payouts().get(1).amount(), s.balances().get(lower(honest)));
      for (Credentials who : List.of(honest, v1, v2, v3)) {
        assertEquals(exp.of(who), f.balanceOf(who.getAddress()), "tokens of " + who.getAddress());
      }
      assertEquals(BigInteger.ZERO, f.balanceOf(cheat.getAddress()));
      assertEquals(
          bonded.subtract(fs.slashed()),
          send(f.admin.registry().bondOf(cheat.getAddress())).component1());
      assertEquals(fs.toTreasury(), f.balanceOf(SettlementFixture.treasury("fraud").getAddress()));
      assertEquals(
          LPC.subtract(sy.cost()), f.escrowBalance(buyer.getAddress()), "x refunded in full");
      assertEquals(BigInteger.ZERO, f.locked(buyer.getAddress()));
      assertEquals(BigInteger.ZERO, f.balanceOf(f.addresses.distributor()));
      assertEquals(exp.funded, send(f.admin.distributor().totalFunded()));
      assertEquals(exp.funded, send(f.admin.distributor().rootTotal()));
      assertEquals(4, r.claims().size(), "honest, v1, v2, v3 (never the cheat)");

      EpochRecord epoch = r.epoch().orElseThrow();
      System.out.printf(
          "GAS JobMarket.resolveFraud (quorum 2, 3 signers, slash + 3 rewards) %,d%n"
              + "GAS JobMarket.finalize job with 1 shard %,d%n"
              + "GAS RewardDistributor.postRoot epoch 1 (%d accounts) %,d%n",
          st.gasUsed(),
          s.job(Bytes32.of(y.id())).orElseThrow().settlement().gasUsed(),
          epoch.balances().size(),
          epoch.gasUsed());
    }
  }

  /** Thrown by a listener to stop the service at an exact point, as a crash would. */
  static final class SimulatedCrash extends Error {
    SimulatedCrash(String where) {
      super("simulated crash " + where);
    }
  }

  @Test
  void aCrashAtEveryRecordedStepResumesWithoutPayingTwiceOrSkipping() {
    try (SettlementFixture f = SettlementFixture.inMemory("steps")) {
      Credentials seq = f.node("sequencer", SEQUENCER);
      Credentials cheat = f.node("cheat", PROVIDER);
      Credentials p1 = f.node("p1", PROVIDER);
      Credentials p2 = f.node("p2", PROVIDER);
      Credentials v1 = f.node("v1", VERIFIER);
      Credentials v2 = f.node("v2", VERIFIER);
      Credentials v3 = f.node("v3", VERIFIER);
      Credentials buyer = f.buyer("buyer", LPC);
      MarketConfig config = MarketConfig.read(f.admin);
      Expected exp = new Expected();

      Job a = f.openJob(seq, buyer, MAX_PRICE, List.of(p1, p2), v1);
      f.commit(a, 0, 1500);
      f.commit(a, 1, 333);
      Job b = f.openJob(seq, buyer, MAX_PRICE, List.of(p2), v1);
      f.commit(b, 0, 250);
      Job x = f.openJob(seq, buyer, MAX_PRICE, List.of(cheat, p1), v1);
      f.commit(x, 0, 999);
      var bond = send(f.admin.registry().bondOf(cheat.getAddress()));
      f.proveFraud(x, 0, h("bad"), List.of(v2, v3), v2);
      exp.finalized(config, a, 1500, 333);
      exp.finalized(config, b, 250);
      exp.fraud(config, bond.component1().add(bond.component2()), List.of(v2, v3));
      f.increaseTime(PAST_WINDOWS);

      List<String> local =
          List.of(
              p1.getAddress(), p2.getAddress(), v1.getAddress(), v2.getAddress(), v3.getAddress());
      // Epoch 1: 2 finalizes, 1 root, 5 claims, each crashed once before and once after sending.
      int crashes = runToCompletion(f, local, crashingOncePerPoint());
      assertEquals(2 * (2 + 1 + 5), crashes);
      // Epoch 2: one more job for p1 (and v1's fee): 1 finalize, 1 root, 2 claims.
      Job c = f.openJob(seq, buyer, MAX_PRICE, List.of(p1), v1);
      f.commit(c, 0, 4321);
      exp.finalized(config, c, 4321);
      f.increaseTime(PAST_WINDOWS);
      crashes = runToCompletion(f, local, crashingOncePerPoint());
      assertEquals(2 * (1 + 1 + 2), crashes);

      // Paid exactly once, everyone, to the wei.
      for (Credentials who : List.of(p1, p2, v1, v2, v3)) {
        assertEquals(exp.of(who), f.balanceOf(who.getAddress()), "tokens of " + who.getAddress());
      }
      assertEquals(BigInteger.ZERO, f.balanceOf(cheat.getAddress()));
      assertEquals(BigInteger.ZERO, f.balanceOf(f.addresses.distributor()));
      assertEquals(exp.funded, send(f.admin.distributor().rootTotal()));
      // Nothing was sent twice: the settler's nonce counts exactly the transactions that landed
      // (3 finalizes, 2 roots, 7 claims); reverted re-sends would have been caught at estimation,
      // and a landed duplicate would show here.
      assertEquals(
          BigInteger.valueOf(3 + 2 + 7), nonceOf(f, f.settler.getAddress()), "settler's txs");
      assertEquals(2, countLogs(f, RewardDistributor.EPOCHROOTPOSTED_EVENT));
      assertEquals(7, countLogs(f, RewardDistributor.CLAIMED_EVENT));
      try (SettlementStore store = SettlementStore.open(dir.resolve("settlement"))) {
        SettlementService s = f.service(store, local);
        List<SettledJob> outbox = s.pendingLedgerEvents();
        assertEquals(4, outbox.size(), "one ledger event per job, none twice");
        assertEquals(4, outbox.stream().map(SettledJob::jobId).distinct().count());
        assertEquals(exp.earnings, s.balances());
      }
    }
  }

  @Test
  void aClaimCutShortBeforeTheNextEpochIsSettledFromTheChain() {
    try (SettlementFixture f = SettlementFixture.inMemory("stale")) {
      Credentials seq = f.node("sequencer", SEQUENCER);
      Credentials p1 = f.node("p1", PROVIDER);
      Credentials v1 = f.node("v1", VERIFIER);
      Credentials buyer = f.buyer("buyer", LPC);
      MarketConfig config = MarketConfig.read(f.admin);
      Expected exp = new Expected();
      List<String> local = List.of(p1.getAddress());
      String p1Lower = lower(p1);
      BigInteger[] earned = new BigInteger[5];
      for (int n = 1; n <= 4; n++) {
        Job job = f.openJob(seq, buyer, MAX_PRICE, List.of(p1), v1);
        f.commit(job, 0, 100L * n);
        exp.finalized(config, job, 100L * n);
        earned[n] = exp.of(p1);
        f.increaseTime(PAST_WINDOWS);
        // Epoch 1 stops just before p1's claim is sent, epoch 3 just after it landed; the next
        // epoch is cut before either claim is looked at again.
        String crashAt = n == 1 ? "before" : n == 3 ? "after" : null;
        try (SettlementStore store = SettlementStore.open(dir.resolve("settlement"))) {
          SettlementService s =
              new SettlementService(
                  f.settlerContracts(),
                  store,
                  SettlementOptions.defaults(local)
                      .withListener(
                          new SettlementListener() {
                            @Override
                            public void beforeSend(Action action, String subject) {
                              if (action == Action.CLAIM && "before".equals(crashAt)) {
                                throw new SimulatedCrash("before claim");
                              }
                            }

                            @Override
                            public void afterSend(
                                Action action, String subject, TransactionReceipt receipt) {
                              if (action == Action.CLAIM && "after".equals(crashAt)) {
                                throw new SimulatedCrash("after claim");
                              }
                            }
                          }));
          if (crashAt != null) {
            assertThrows(SimulatedCrash.class, s::runOnce);
          } else {
            s.runOnce();
          }
        }
      }
      try (SettlementStore store = SettlementStore.open(dir.resolve("settlement"))) {
        SettlementService s = f.service(store, local);
        List<ClaimRecord> claims = s.claims(p1.getAddress());
        assertEquals(4, claims.size());
        // Epoch 1's claim never went out: superseded by epoch 2's, which paid both jobs.
        assertEquals(ClaimRecord.Phase.SUPERSEDED, claims.get(0).phase());
        assertNull(claims.get(0).txHash());
        assertEquals(ClaimRecord.Phase.CLAIMED, claims.get(1).phase());
        assertEquals(earned[2], claims.get(1).amount());
        // Epoch 3's claim landed before the crash: found on chain, recorded with its transaction.
        assertEquals(ClaimRecord.Phase.CLAIMED, claims.get(2).phase());
        assertTrue(claims.get(2).txHash() != null && claims.get(2).sentByUs());
        assertEquals(earned[3].subtract(earned[2]), claims.get(2).amount());
        assertEquals(earned[4].subtract(earned[3]), claims.get(3).amount());
        assertEquals(earned[4], exp.earnings.get(p1Lower));
      }
      assertEquals(exp.of(p1), f.balanceOf(p1.getAddress()), "p1 paid exactly once");
      // 4 finalizes, 4 roots, 3 claims (epoch 1's was never sent).
      assertEquals(BigInteger.valueOf(4 + 4 + 3), nonceOf(f, f.settler.getAddress()));
    }
  }

  /** A listener that crashes the first time each point (before/after an action) is reached. */
  private static SettlementListener crashingOncePerPoint() {
    Set<String> crashedAt = new HashSet<>();
    return new SettlementListener() {
      @Override
      public void beforeSend(Action action, String subject) {
        crashOnce("before " + action + " " + subject);
      }

      @Override
      public void afterSend(Action action, String subject, TransactionReceipt receipt) {
        crashOnce("after " + action + " " + subject);
      }

      private void crashOnce(String point) {
        if (crashedAt.add(point)) {
          throw new SimulatedCrash(point);
        }
      }
    };
  }

  /** Runs passes, restarting after each simulated crash, until one pass completes. */
  private int runToCompletion(SettlementFixture f, List<String> local, SettlementListener l) {
    int crashes = 0;
    while (true) {
      try (SettlementStore store = SettlementStore.open(dir.resolve("settlement"))) {
        SettlementService s =
            new SettlementService(
                f.settlerContracts(), store, SettlementOptions.defaults(local).withListener(l));
        s.runOnce();
        long block = f.chain.blockNumber();
        SettlementService.RunReport idle = s.runOnce();
        assertTrue(idle.settledJobs().isEmpty() && idle.claims().isEmpty());
        assertEquals(block, f.chain.blockNumber(), "a completed pass leaves nothing to send");
        return crashes;
      } catch (SimulatedCrash crash) {
        crashes++;
        assertTrue(crashes < 100, "no progress across restarts");
      }
    }
  }

  @Test
  void aRootPostedByAnotherSettlerIsReportedNotOverwritten() {
    try (SettlementFixture f = SettlementFixture.inMemory("conflict");
        SettlementStore store = SettlementStore.open(dir.resolve("settlement"))) {
      Credentials seq = f.node("sequencer", SEQUENCER);
      Credentials p1 = f.node("p1", PROVIDER);
      Credentials v1 = f.node("v1", VERIFIER);
      Credentials buyer = f.buyer("buyer", LPC);
      Job a = f.openJob(seq, buyer, MAX_PRICE, List.of(p1), v1);
      f.commit(a, 0, 100);
      f.increaseTime(PAST_WINDOWS);

      // The settler is stopped just before its postRoot goes out ...
      SettlementService stopping =
          new SettlementService(
              f.settlerContracts(),
              store,
              SettlementOptions.defaults(List.of(p1.getAddress()))
                  .withListener(
                      new SettlementListener() {
                        @Override
                        public void beforeSend(Action action, String subject) {
                          if (action == Action.POST_ROOT) {
                            throw new SimulatedCrash("before postRoot");
                          }
                        }
                      }));
      assertThrows(SimulatedCrash.class, stopping::runOnce);
      // ... and meanwhile the admin (also a settler) posts another root for epoch 1.
      byte[] rival = h("rival root");
      send(f.admin.distributor().postRoot(BigInteger.ONE, rival, BigInteger.ONE));

      SettlementService s = f.service(store, List.of(p1.getAddress()));
      SettlementException e = assertThrows(SettlementException.class, s::closeEpoch);
      assertTrue(e.getMessage().contains("epoch 1 holds root"), e.getMessage());
      assertEquals(
          Numeric.toHexString(rival),
          Numeric.toHexString(send(f.admin.distributor().currentRoot())));
      assertThrows(SettlementException.class, s::claimLocal);
      assertEquals(
          BigInteger.ZERO, f.balanceOf(p1.getAddress()), "nothing claimed on a rival root");
    }
  }

  @Test
  void theStoreIsExclusiveAndKeepsWhatWasCommitted() {
    Path path = dir.resolve("store");
    try (SettlementStore store = SettlementStore.open(path)) {
      try (SettlementStore.Batch b = store.batch()) {
        b.put("bal/0x00000000000000000000000000000000000000aa", BigInteger.TEN.pow(30)).commit();
      }
      SettlementException e =
          assertThrows(SettlementException.class, () -> SettlementStore.open(path));
      assertTrue(e.getMessage().contains("another process"), e.getMessage());
    }
    try (SettlementStore store = SettlementStore.open(path)) {
      assertEquals(
          BigInteger.TEN.pow(30),
          store
              .get("bal/0x00000000000000000000000000000000000000aa", BigInteger.class)
              .orElseThrow());
      store.close();
      assertThrows(SettlementException.class, () -> store.get("x", BigInteger.class));
    }
  }

  // ------------------------------------------------------------------ helpers

  private static Job jobById(Set<Job> jobs, String id) {
    return jobs.stream().filter(j -> j.hexId().equals(id)).findFirst().orElseThrow();
  }

  private static BigInteger nonceOf(SettlementFixture f, String account) {
    try {
      return f.web3j
          .ethGetTransactionCount(account, DefaultBlockParameterName.LATEST)
          .send()
          .getTransactionCount();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static int countLogs(SettlementFixture f, org.web3j.abi.datatypes.Event event) {
    EthFilter filter =
        new EthFilter(
            DefaultBlockParameterName.EARLIEST,
            DefaultBlockParameterName.LATEST,
            f.addresses.distributor());
    filter.addSingleTopic(EventEncoder.encode(event));
    try {
      return f.web3j.ethGetLogs(filter).send().getLogs().size();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
