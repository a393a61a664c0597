package io.layerproof.node.verification;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.layerproof.chain.contracts.JobMarketEip712;
import io.layerproof.chain.event.EnvelopeVerifier;
import io.layerproof.chain.event.EthAddress;
import io.layerproof.chain.event.FraudDetected;
import io.layerproof.chain.event.SampleVerdict;
import io.layerproof.chain.event.SignedEvent;
import io.layerproof.chain.event.VerificationPassed;
import io.layerproof.chain.event.VerifiedEvent;
import io.layerproof.chain.settlement.MarketConfig;
import io.layerproof.chain.settlement.Settlement;
import io.layerproof.chain.settlement.SettlementService;
import io.layerproof.chain.settlement.SettlementStore;
import io.layerproof.node.verification.AuditFixture.OpenedJob;
import io.layerproof.node.verification.AuditFixture.Party;
import io.layerproof.verifier.cheat.CheatSwitch;
import io.layerproof.verifier.escalation.Accusation;
import io.layerproof.verifier.escalation.Effect;
import io.layerproof.verifier.escalation.EscalationPolicy;
import io.layerproof.verifier.reexec.CommittedShard;
import io.layerproof.verifier.reexec.LayerReplayer;
import io.layerproof.verifier.reexec.ReexecutionVerifier;
import io.layerproof.verifier.reexec.Verdict;
import io.layerproof.verifier.reveal.RevealLimits;
import io.layerproof.verifier.sampling.Sample;
import io.layerproof.verifier.sampling.SampleDrawer;
import io.layerproof.verifier.tolerance.Tolerance;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.protocol.core.DefaultBlockParameter;
import org.web3j.utils.Numeric;

/**
 * Real jobs end to end: a buyer's signed request opened on the embedded chain, two providers
 * running the synthetic model (layers 0-4 honest, 4-8 cheating in one of the five ways) and posting
 * their accumulators' roots, the job's verifier auditing with a seed fixed after the commitments,
 * three other verifiers re-checking on their own replayers, and JobMarket.resolveFraud; then the
 * settlement service pays what the contract says, checked to the wei against amounts computed here
 * from the market's parameters and the contract's documented rules.
 */
class FraudResolutionTest {

  private static final EscalationPolicy POLICY = EscalationPolicy.DEFAULT;
  private static final BigInteger BPS = BigInteger.valueOf(10_000);

  /** The job verifier's machine, and each other verifier's own. */
  private static LayerReplayer accuserReplayer;

  private static final List<LayerReplayer> memberReplayers = new ArrayList<>();

  @TempDir Path dir;

  @BeforeAll
  static void machines() {
    accuserReplayer = new LayerReplayer(AuditFixture.model());
    for (int i = 0; i < 3; i++) {
      memberReplayers.add(new LayerReplayer(AuditFixture.model()));
    }
  }

  @AfterAll
  static void shutDown() {
    accuserReplayer.close();
    memberReplayers.forEach(LayerReplayer::close);
  }

  // ------------------------------------------------------------------ one test per cheat

  @Test
  void skippedLayersAreSlashedTheBuyerRefundedAndTheChallengersPaid() {
    convicted("skip", CheatSwitch.skipLayers(5), Accusation.Ground.MISMATCH);
  }

  @Test
  void aSubstitutedModelIsSlashedTheBuyerRefundedAndTheChallengersPaid() {
    convicted(
        "substitute",
        CheatSwitch.substituteModel(AuditFixture.substitute()),
        Accusation.Ground.MISMATCH);
  }

  @Test
  void int8ActivationsAreSlashedTheBuyerRefundedAndTheChallengersPaid() {
    convicted("int8", CheatSwitch.dropPrecision(4, 6), Accusation.Ground.MISMATCH);
  }

  @Test
  void noiseIsSlashedTheBuyerRefundedAndTheChallengersPaid() {
    convicted("noise", CheatSwitch.noise(0.01, 42, 5, 7), Accusation.Ground.MISMATCH);
  }

  @Test
  void aRefusedRevealIsSlashedOnlyAfterTheQuorumAskedItselfAndTheChallengersPaid() {
    convicted("refuse", CheatSwitch.refuseReveal(), Accusation.Ground.REFUSAL);
  }

  // ------------------------------------------------------------------ honest jobs

  @Test
  void anHonestJobPassesNobodyIsSlashedAndEveryoneIsPaidExactly() throws Exception {
    try (AuditFixture x = new AuditFixture("honest", dir);
        SettlementStore store = SettlementStore.open(dir.resolve("settlement"))) {
      OpenedJob job = x.open();
      JobCommitments c = x.run(job, CheatSwitch.HONEST);
      assertThrows(
          IllegalStateException.class,
          () -> AuditSeed.afterLastCommitment(x.as(x.verifier), job.id(), job.openedAt()),
          "no commitment yet: no seed");
      long lastCommit = x.postCommitments(job, c);
      assertThrows(
          IllegalStateException.class,
          () -> AuditSeed.afterLastCommitment(x.as(x.verifier), job.id(), job.openedAt()),
          "the block after the last commitment does not exist yet");
      x.f.increaseTime(0); // mines the block whose hash seeds the draw
      x.f.increaseTime(0); // and one more: the seed is the next block's, not the latest
      AuditSeed seed = AuditSeed.afterLastCommitment(x.as(x.verifier), job.id(), job.openedAt());
      assertEquals(lastCommit + 1, seed.block());
      byte[] blockHash =
          Numeric.hexStringToByteArray(
              x.f
                  .web3j
                  .ethGetBlockByNumber(
                      DefaultBlockParameter.valueOf(BigInteger.valueOf(lastCommit + 1)), false)
                  .send()
                  .getBlock()
                  .getHash());
      assertArrayEquals(blockHash, seed.seed());

      Members members = members(x);
      AuditRound audit = audit(x, members, x.reveals);
      // A ledger root that is not the one on chain is never audited.
      CommittedShard real = c.shard(1);
      JobCommitments forged =
          new JobCommitments(
              c.jobId(),
              List.of(
                  c.shard(0),
                  new CommittedShard(
                      real.jobId(),
                      real.startLayer(),
                      real.endLayer(),
                      real.positions(),
                      c.shard(0).root(),
                      real.inputBoundary(),
                      real.outputBoundary())));
      IllegalStateException refused =
          assertThrows(IllegalStateException.class, () -> audit.auditShard(forged, 1, seed));
      assertTrue(
          refused.getMessage().contains("not the root posted on chain"), refused.getMessage());

      long memberRowsBefore = members.rows();
      List<AuditOutcome> outcomes = audit.auditJob(c, seed);
      assertEquals(2, outcomes.size());
      for (int i = 0; i < 2; i++) {
        AuditOutcome.Passed p = assertInstanceOf(AuditOutcome.Passed.class, outcomes.get(i));
        assertEquals(Effect.PassKind.CLEAN, p.pass().kind());
        assertTrue(p.votes().isEmpty());
        assertTrue(p.effects().stream().noneMatch(e -> e instanceof Effect.RequestQuorum));
        assertPassedEvent(x, p, c.shard(i));
        // Anyone reproduces the draw from the chain: the first m cells of the shard's draw.
        CommittedShard sh = c.shard(i);
        List<Sample> drawn =
            SampleDrawer.draw(
                blockHash,
                sh.jobId(),
                sh.positions(),
                sh.startLayer(),
                sh.endLayer(),
                POLICY.initialSamples());
        assertEquals(drawn, p.pass().verdicts().stream().map(Verdict::sample).toList());
      }
      assertEquals(memberRowsBefore, members.rows(), "nobody was asked to re-check");

      MarketConfig config = MarketConfig.read(x.f.admin);
      BigInteger stake = x.f.params.minStake();
      assertEquals(1, x.status(job), "still open: nothing was sent to JobMarket");
      for (Party p : x.allNodes()) {
        assertEquals(stake, x.bonded(p), "nobody slashed");
      }

      // After the window the settler finalizes, posts the epoch and claims for every node.
      x.f.increaseTime(config.challengeWindowSeconds() + 1);
      SettlementService s = x.f.service(store, x.allAddresses());
      SettlementService.RunReport r = s.runOnce();
      assertEquals(1, r.settledJobs().size());
      Settlement st = s.job(job.id()).orElseThrow().settlement();
      assertEquals(Settlement.Outcome.FINALIZED, st.outcome());

      // finalize: cost = min(maxPrice, unitPrice x work units), verifierFeeBps of it to the
      // verifier (rounded down), the rest pro rata to work units, the last shard takes the dust.
      long u0 = AuditFixture.workUnits(c.shard(0));
      long u1 = AuditFixture.workUnits(c.shard(1));
      BigInteger total = BigInteger.valueOf(u0 + u1);
      BigInteger cost = AuditFixture.MAX_PRICE.min(config.unitPrice().multiply(total));
      BigInteger fee = cost.multiply(BigInteger.valueOf(config.verifierFeeBps())).divide(BPS);
      BigInteger pool = cost.subtract(fee);
      BigInteger pay0 = pool.multiply(BigInteger.valueOf(u0)).divide(total);
      BigInteger pay1 = pool.subtract(pay0);
      System.out.printf(
          "WEI honest job: %d + %d work units, cost %s, verifier fee %s, providers %s + %s,"
              + " buyer refunded %s%n",
          u0, u1, cost, fee, pay0, pay1, AuditFixture.MAX_PRICE.subtract(cost));
      assertEquals(cost, st.cost());
      assertEquals(fee, x.tokens(x.verifier), "the verifier's fee, claimed");
      assertEquals(pay0, x.tokens(x.honest), "the first provider, claimed");
      assertEquals(pay1, x.tokens(x.cheater), "the second provider (honest this time), claimed");
      for (Party o : x.others) {
        assertEquals(BigInteger.ZERO, x.tokens(o), "the other verifiers did nothing here");
      }
      assertEquals(AuditFixture.DEPOSIT.subtract(cost), x.f.escrowBalance(x.buyer.getAddress()));
      assertEquals(BigInteger.ZERO, x.f.locked(x.buyer.getAddress()));
      assertEquals(BigInteger.ZERO, x.f.balanceOf(x.f.addresses.distributor()), "all claimed");
    }
  }

  @Test
  void aVerifierThatHearsNothingCannotSlashAnHonestProvider() {
    try (AuditFixture x = new AuditFixture("deaf", dir)) {
      OpenedJob job = x.open();
      JobCommitments c = x.run(job, CheatSwitch.HONEST);
      x.postCommitments(job, c);
      x.f.increaseTime(0);
      AuditSeed seed = AuditSeed.afterLastCommitment(x.as(x.verifier), job.id(), job.openedAt());
      Members members = members(x);
      // The accuser's own link drops every answer (a broken network or a lying verifier); the
      // quorum reaches the providers through theirs.
      AuditRound audit = audit(x, members, (provider, request) -> Optional.empty());
      long memberRowsBefore = members.rows();

      List<AuditOutcome> outcomes = audit.auditJob(c, seed);
      assertEquals(2, outcomes.size());
      for (AuditOutcome o : outcomes) {
        AuditOutcome.Passed p = assertInstanceOf(AuditOutcome.Passed.class, o);
        assertEquals(Effect.PassKind.DISMISSED, p.pass().kind());
        assertTrue(p.effects().stream().anyMatch(e -> e instanceof Effect.RequestQuorum));
        // n - k + 1 = 2 rejections settle it; each is the member's own passing re-check.
        assertEquals(2, p.votes().size());
        for (QuorumMember.Vote v : p.votes()) {
          assertFalse(v.confirms(), v.reason());
          assertNotNull(v.recheck());
          assertTrue(v.recheck().passed());
        }
      }
      assertTrue(members.rows() > memberRowsBefore, "the members re-executed");
      assertEquals(1, x.status(job), "no resolveFraud");
      for (Party p : x.allNodes()) {
        assertEquals(x.f.params.minStake(), x.bonded(p), "nobody slashed");
      }
    }
  }

  // ------------------------------------------------------------------ the cheating modes

  private void convicted(String tag, CheatSwitch cheat, Accusation.Ground ground) {
    try (AuditFixture x = new AuditFixture(tag, dir);
        SettlementStore store = SettlementStore.open(dir.resolve("settlement"))) {
      MarketConfig config = MarketConfig.read(x.f.admin);
      OpenedJob job = x.open();
      JobCommitments c = x.run(job, cheat);
      x.postCommitments(job, c);
      x.f.increaseTime(0); // mines the block whose hash seeds the draw
      AuditSeed seed = AuditSeed.afterLastCommitment(x.as(x.verifier), job.id(), job.openedAt());
      BigInteger bonded = x.bonded(x.cheater);
      assertEquals(x.f.params.minStake(), bonded);

      Members members = members(x);
      long[] rowsBefore = members.rowsEach();
      long accuserRowsBefore = accuserReplayer.replayedRows();
      List<AuditOutcome> outcomes = audit(x, members, x.reveals).auditJob(c, seed);

      // The honest first shard passes; the second is convicted.
      assertEquals(2, outcomes.size());
      AuditOutcome.Passed first = assertInstanceOf(AuditOutcome.Passed.class, outcomes.get(0));
      assertEquals(Effect.PassKind.CLEAN, first.pass().kind());
      assertPassedEvent(x, first, c.shard(0));
      AuditOutcome.Convicted cv = assertInstanceOf(AuditOutcome.Convicted.class, outcomes.get(1));
      assertEquals(1, cv.shardIndex());
      Accusation accusation = cv.convict().accusation();
      assertEquals(ground, accusation.ground());
      assertTrue(accuserReplayer.replayedRows() > accuserRowsBefore, "the accuser re-executed");

      // The accusation rests on the accuser's verdicts: re-executed mismatches on exactly the
      // layers the cheat touched, or reveals that never came.
      Map<Sample, Verdict> verdicts =
          cv.convict().verdicts().stream()
              .collect(Collectors.toMap(Verdict::sample, Function.identity(), (a, b) -> b));
      if (ground == Accusation.Ground.MISMATCH) {
        assertTrue(accusation.samples().size() >= POLICY.missesToAccuse(), "enough misses");
      }
      for (Sample s : accusation.samples()) {
        Verdict v = verdicts.get(s);
        if (ground == Accusation.Ground.MISMATCH) {
          assertEquals(Verdict.Status.MISMATCH, v.status(), v.toString());
          assertTrue(cheat.affects(s.layer()), "accused " + s + " the cheat did not touch");
          assertTrue(v.error().relative() > Tolerance.DEFAULT.maxRelativeError(), v.toString());
        } else {
          assertEquals(Verdict.Status.MISSING_REVEAL, v.status(), v.toString());
        }
      }
      for (Verdict v : cv.convict().verdicts()) {
        if (v.status() == Verdict.Status.MISMATCH) {
          assertTrue(cheat.affects(v.sample().layer()), "an honest layer flagged: " + v);
        }
      }

      // The quorum: k = 2 members voted, each after its own challenge and re-check, and signed the
      // evidence hash; the third was never needed.
      assertEquals(POLICY.quorumThreshold(), cv.votes().size());
      Set<EthAddress> confirmers = new HashSet<>(cv.convict().confirmers());
      assertEquals(POLICY.quorumThreshold(), confirmers.size());
      byte[] digest = x.signer(x.verifier).fraudVerdictDigest(job.id(), 1, cv.evidence().hash());
      for (QuorumMember.Vote v : cv.votes()) {
        assertTrue(v.confirms(), v.reason());
        assertTrue(confirmers.contains(v.member()));
        assertFalse(v.recheck().passed());
        assertEquals(v.member(), recover(digest, v.signature()));
      }
      long[] rowsAfter = members.rowsEach();
      AtomicInteger[] asked = members.asked;
      for (int i = 0; i < 3; i++) {
        boolean voted = i < POLICY.quorumThreshold();
        assertEquals(voted ? 1 : 0, asked[i].get(), "member " + i + " challenged the provider");
        if (ground == Accusation.Ground.MISMATCH) {
          assertEquals(voted, rowsAfter[i] > rowsBefore[i], "member " + i + " re-executed");
        } else {
          assertEquals(rowsBefore[i], rowsAfter[i], "nothing revealed, nothing to re-execute");
        }
      }

      // FraudDetected, signed by the accuser's node key, naming the cheater's registered node key
      // and the evidence hash that went on chain.
      FraudResolver.Resolution res = cv.resolution();
      VerifiedEvent ve = new EnvelopeVerifier(x.domain).verify(res.fraud().event().toWire());
      assertEquals(x.verifier.key().id(), ve.envelope().author());
      FraudDetected fd = assertInstanceOf(FraudDetected.class, ve.event());
      assertEquals(job.id(), fd.jobId());
      assertEquals(1, fd.shardIndex());
      assertEquals(x.cheater.key().id(), fd.accused());
      assertEquals(cv.evidence().hash(), fd.evidenceHash());
      assertEquals(cv.convict().verdicts().size(), fd.verdicts().size());
      for (SampleVerdict sv : fd.verdicts()) {
        if (ground == Accusation.Ground.REFUSAL) {
          assertTrue(!sv.matched() && sv.maxErrorPpm() == 0, sv.toString());
        } else if (!sv.matched()) {
          assertTrue(sv.maxErrorPpm() > 1_700, "above the 1.7e-3 tolerance: " + sv);
        }
      }
      assertEquals(
          ground == Accusation.Ground.MISMATCH, !cv.evidence().reveals().isEmpty(), "reveals");

      // resolveFraud's signatures: the accuser and the confirmers, strictly ascending.
      Set<EthAddress> expectedSigners = new HashSet<>(confirmers);
      expectedSigners.add(x.verifier.address());
      assertEquals(expectedSigners, new HashSet<>(res.signers()));
      assertEquals(POLICY.quorumThreshold() + 1, res.signatures().size());
      for (int i = 1; i < res.signers().size(); i++) {
        assertTrue(res.signers().get(i - 1).compareTo(res.signers().get(i)) < 0, "ascending");
      }
      for (int i = 0; i < res.signatures().size(); i++) {
        assertEquals(res.signers().get(i), recover(digest, res.signatures().get(i)));
      }

      // On chain, from the contract's rules: slashBps of the bonded stake; challengerRewardBps of
      // that split equally among the signers (rounded down), the rest to the treasury; the buyer's
      // whole maxPrice unlocked; nobody of the job paid.
      assertEquals(x.f.params.slashBps(), config.slashBps());
      assertEquals(x.f.params.challengerRewardBps(), config.challengerRewardBps());
      BigInteger signers = BigInteger.valueOf(res.signers().size());
      BigInteger slash = bonded.multiply(BigInteger.valueOf(config.slashBps())).divide(BPS);
      BigInteger each =
          slash
              .multiply(BigInteger.valueOf(config.challengerRewardBps()))
              .divide(BPS)
              .divide(signers);
      BigInteger toTreasury = slash.subtract(each.multiply(signers));
      // The figures for these parameters (100 LPC stake, 50%, 20%, 3 signers), pinned once.
      assertEquals(new BigInteger("50000000000000000000"), slash);
      assertEquals(new BigInteger("3333333333333333333"), each);
      assertEquals(new BigInteger("40000000000000000001"), toTreasury);

      assertEquals(3, x.status(job), "JobStatus.Fraud");
      assertEquals(slash, res.proven().slashed);
      assertEquals(each.multiply(signers), res.proven().challengerRewards);
      assertEquals(toTreasury, res.proven().toTreasury);
      assertEquals(AuditFixture.MAX_PRICE, res.proven().refunded);
      assertEquals(bonded.subtract(slash), x.bonded(x.cheater), "the cheater's bond");
      assertEquals(x.f.params.minStake(), x.bonded(x.honest), "the honest co-provider's bond");
      assertEquals(toTreasury, x.f.balanceOf(x.f.params.treasury()));
      assertEquals(AuditFixture.DEPOSIT, x.f.escrowBalance(x.buyer.getAddress()), "full refund");
      assertEquals(BigInteger.ZERO, x.f.locked(x.buyer.getAddress()));

      // Settlement pays the challengers through the RewardDistributor, and nobody else.
      x.f.increaseTime(config.challengeWindowSeconds() + 1);
      SettlementService s = x.f.service(store, x.allAddresses());
      SettlementService.RunReport r = s.runOnce();
      assertEquals(1, r.settledJobs().size());
      Settlement st = s.job(job.id()).orElseThrow().settlement();
      assertEquals(Settlement.Outcome.FRAUD, st.outcome());
      assertEquals(1L, st.fraudShard());
      assertFalse(st.sentByUs(), "the accuser proved it, the settler only accounts it");
      assertEquals(res.signers().size(), r.claims().size());
      for (EthAddress signer : res.signers()) {
        assertEquals(each, x.f.balanceOf(signer.toString()), "challenger " + signer);
      }
      for (Party o : x.others) {
        if (!confirmers.contains(o.address())) {
          assertEquals(BigInteger.ZERO, x.tokens(o), "a member that did not sign");
        }
      }
      assertEquals(BigInteger.ZERO, x.tokens(x.honest), "no provider of a fraud job is paid");
      assertEquals(BigInteger.ZERO, x.tokens(x.cheater));
      assertEquals(BigInteger.ZERO, x.f.balanceOf(x.f.addresses.distributor()), "all claimed");
      assertEquals(AuditFixture.DEPOSIT, x.f.escrowBalance(x.buyer.getAddress()));
      System.out.printf(
          "AUDIT %s: %s in round %d, %d of %d samples failed, smallest measured error %s%n",
          tag,
          ground,
          accusation.round(),
          accusation.samples().size(),
          cv.convict().verdicts().size(),
          cv.convict().verdicts().stream()
              .filter(v -> !v.passed() && v.error() != null)
              .mapToDouble(v -> v.error().relative())
              .min()
              .stream()
              .mapToObj(d -> String.format("%.2e", d))
              .findFirst()
              .orElse("none"));
      System.out.printf(
          "WEI %s: slashed %s of %s, %s to each of %d signers, %s to the treasury, buyer refunded"
              + " %s%n",
          tag, slash, bonded, each, res.signers().size(), toTreasury, AuditFixture.MAX_PRICE);
    }
  }

  // ------------------------------------------------------------------ helpers

  /** The three other verifiers: their own replayers, signers and counted links to providers. */
  private record Members(List<QuorumMember> list, AtomicInteger[] asked) {
    long rows() {
      return memberReplayers.stream().mapToLong(LayerReplayer::replayedRows).sum();
    }

    long[] rowsEach() {
      return memberReplayers.stream().mapToLong(LayerReplayer::replayedRows).toArray();
    }
  }

  private static Members members(AuditFixture x) {
    List<QuorumMember> list = new ArrayList<>();
    AtomicInteger[] asked = new AtomicInteger[3];
    for (int i = 0; i < 3; i++) {
      Party p = x.others.get(i);
      AtomicInteger n = new AtomicInteger();
      asked[i] = n;
      RevealTransport own =
          (provider, request) -> {
            n.incrementAndGet();
            return x.reveals.exchange(provider, request);
          };
      list.add(
          new QuorumMember(
              x.as(p),
              new ReexecutionVerifier(
                  memberReplayers.get(i), Tolerance.DEFAULT, RevealLimits.DEFAULT),
              x.signer(p),
              own,
              RevealLimits.DEFAULT,
              POLICY));
    }
    return new Members(list, asked);
  }

  private static AuditRound audit(AuditFixture x, Members members, RevealTransport transport) {
    return new AuditRound(
        x.as(x.verifier),
        new ReexecutionVerifier(accuserReplayer, Tolerance.DEFAULT, RevealLimits.DEFAULT),
        x.signer(x.verifier),
        POLICY,
        RevealLimits.DEFAULT,
        transport,
        members.list());
  }

  /** VerificationPassed, signed by the job verifier's node key, naming samples of the shard. */
  private static void assertPassedEvent(
      AuditFixture x, AuditOutcome.Passed p, CommittedShard shard) {
    SignedEvent signed = p.verificationPassed();
    VerifiedEvent ve = new EnvelopeVerifier(x.domain).verify(signed.toWire());
    assertEquals(x.verifier.key().id(), ve.envelope().author());
    VerificationPassed ev = assertInstanceOf(VerificationPassed.class, ve.event());
    assertEquals(p.shardIndex(), ev.shardIndex());
    assertEquals(shard.jobId(), ev.jobId().toString());
    int cells = shard.positions() * (shard.endLayer() - shard.startLayer());
    assertEquals(Math.min(POLICY.initialSamples(), cells), ev.samples().size());
    assertTrue(
        ev.samples().stream()
            .allMatch(
                s ->
                    s.layer() >= shard.startLayer()
                        && s.layer() < shard.endLayer()
                        && s.token() < shard.positions()));
  }

  private static EthAddress recover(byte[] digest, byte[] signature) {
    try {
      return EthAddress.fromHex(JobMarketEip712.recover(digest, signature));
    } catch (java.security.SignatureException e) {
      throw new AssertionError(e);
    }
  }
}
