package io.layerproof.verifier.escalation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.layerproof.chain.contracts.JobMarketEip712;
import io.layerproof.chain.event.Bytes32;
import io.layerproof.chain.event.EnvelopeVerifier;
import io.layerproof.chain.event.EthAddress;
import io.layerproof.chain.event.EventSigner;
import io.layerproof.chain.event.FraudDetected;
import io.layerproof.chain.event.LedgerDomain;
import io.layerproof.chain.event.NodeKey;
import io.layerproof.chain.event.SampleVerdict;
import io.layerproof.chain.event.VerificationPassed;
import io.layerproof.inference.hook.ElementType;
import io.layerproof.inference.shard.ShardOptions;
import io.layerproof.verifier.JobFixture;
import io.layerproof.verifier.cheat.CheatSwitch;
import io.layerproof.verifier.commit.ActivationStore;
import io.layerproof.verifier.reexec.CommittedShard;
import io.layerproof.verifier.reexec.LayerReplayer;
import io.layerproof.verifier.reexec.ReexecutionVerifier;
import io.layerproof.verifier.reexec.ShardVerification;
import io.layerproof.verifier.reveal.RevealLimits;
import io.layerproof.verifier.reveal.RevealRequest;
import io.layerproof.verifier.reveal.RevealResponse;
import io.layerproof.verifier.tolerance.Tolerance;
import io.layerproof.verifier.verdict.FraudEvidence;
import io.layerproof.verifier.verdict.VerdictSigner;
import io.layerproof.verifier.wire.RevealCodec;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.Keys;

/**
 * The escalation driven by real jobs on the devnet model: the provider's reveals travel through the
 * wire codec, the verifier and the quorum members re-execute them, and the outcome becomes a signed
 * ledger event and, on fraud, the EIP-712 FraudVerdict signatures JobMarket wants.
 */
class EscalationJobTest {

  @TempDir static Path tmp;

  private static final LedgerDomain DOMAIN =
      LedgerDomain.of(31337, "0x5fbdb2315678afecb367f032d93f642f64180aa3");
  private static final ShardOptions FP16_COMMITS =
      new ShardOptions(ElementType.FP32, ElementType.FP16);

  private static ActivationStore store;
  private static LayerReplayer replayer;
  private static LayerReplayer quorumReplayer;
  private static ReexecutionVerifier verifier;
  private static int jobs;

  /** The accusing verifier: node key, wallet. */
  private static final NodeKey SELF_KEY = NodeKey.generate();

  private static final Credentials SELF_WALLET = wallet();

  /** The provider of the checked stage. */
  private static final NodeKey PROVIDER_KEY = NodeKey.generate();

  private static final EthAddress PROVIDER = EthAddress.fromHex(wallet().getAddress());

  /** Another verifier asked to re-check: its own wallet and re-execution. */
  record Member(Credentials wallet, ReexecutionVerifier verifier) {
    EthAddress address() {
      return EthAddress.fromHex(wallet.getAddress());
    }
  }

  private static List<Member> quorum;

  @BeforeAll
  static void open() {
    store = ActivationStore.open(tmp.resolve("store"), Duration.ofHours(1), Clock.systemUTC());
    replayer = new LayerReplayer(JobFixture.model());
    verifier = new ReexecutionVerifier(replayer, Tolerance.DEFAULT, RevealLimits.DEFAULT);
    // The quorum re-executes on its own replayer (one for the three, to keep the test small).
    quorumReplayer = new LayerReplayer(JobFixture.model());
    quorum = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      quorum.add(
          new Member(
              wallet(),
              new ReexecutionVerifier(quorumReplayer, Tolerance.DEFAULT, RevealLimits.DEFAULT)));
    }
  }

  @AfterAll
  static void close() {
    replayer.close();
    quorumReplayer.close();
    store.close();
  }

  static Credentials wallet() {
    try {
      return Credentials.create(Keys.createEcKeyPair());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** A two-stage job (layers 0-3, 4-7) whose second stage runs {@code cheat}. */
  static JobFixture.Job job(CheatSwitch cheat) {
    String id =
        Bytes32.keccak(("escalation-" + jobs++).getBytes(StandardCharsets.UTF_8)).toString();
    return JobFixture.run(
        store,
        id,
        "An escalation on a real job",
        8,
        new int[] {0, 4, 8},
        FP16_COMMITS,
        List.of(CheatSwitch.HONEST, cheat));
  }

  /** The provider's side of the wire: decode the request, answer, encode the response. */
  static Optional<RevealResponse> ask(JobFixture.Stage stage, RevealRequest request) {
    RevealRequest received =
        RevealCodec.decodeRequest(RevealCodec.encode(request), RevealLimits.DEFAULT);
    return stage
        .server()
        .answer(received)
        .map(r -> RevealCodec.decodeResponse(RevealCodec.encode(r), RevealLimits.DEFAULT));
  }

  /** Everything a check produced. */
  record Outcome(
      EscalationState state,
      Effect end,
      List<Effect> effects,
      FraudEvidence evidence,
      Map<EthAddress, byte[]> quorumSignatures) {}

  /**
   * Runs the machine to its end on stage 1 of {@code job}, doing what each effect asks.
   *
   * @param accuserHearsNothing the accuser's challenges get no answer (a dropped network or a lying
   *     verifier), while the quorum's still reach the provider
   */
  static Outcome check(JobFixture.Job job, boolean accuserHearsNothing) {
    int index = 1;
    JobFixture.Stage stage = job.stage(index);
    CommittedShard shard = stage.shard();
    Bytes32 jobId = Bytes32.fromHex(job.jobId());
    Transition t =
        Escalation.start(
            EscalationPolicy.DEFAULT,
            EthAddress.fromHex(SELF_WALLET.getAddress()),
            PROVIDER,
            sha256("anchored root after " + job.jobId()),
            job.jobId(),
            shard.positions(),
            shard.startLayer(),
            shard.endLayer());
    List<Effect> all = new ArrayList<>(t.effects());
    Deque<Effect> todo = new ArrayDeque<>(t.effects());
    List<RevealResponse> responses = new ArrayList<>();
    FraudEvidence evidence = null;
    Map<EthAddress, byte[]> signatures = new TreeMap<>();
    Effect end = null;
    while (!todo.isEmpty()) {
      Effect e = todo.poll();
      List<Input> inputs = new ArrayList<>();
      if (e instanceof Effect.Challenge c) {
        RevealRequest request = verifier.request(shard, c.samples());
        Optional<RevealResponse> answer =
            accuserHearsNothing ? Optional.empty() : ask(stage, request);
        if (answer.isEmpty()) {
          inputs.add(new Input.RevealWindowClosed(c.round()));
        } else {
          responses.add(answer.get());
          inputs.add(
              Input.Verified.of(
                  c.round(),
                  verifier.verify(shard, job.previousOutputBoundary(index), request, answer)));
        }
      } else if (e instanceof Effect.RequestQuorum q) {
        evidence =
            FraudEvidence.of(jobId, index, PROVIDER_KEY.id(), t.state().verdicts(), responses);
        List<Member> members = quorum.subList(0, q.size());
        inputs.add(new Input.QuorumFormed(members.stream().map(Member::address).toList()));
        for (Member m : members) {
          // Each member challenges the provider itself on the accused samples.
          RevealRequest request = m.verifier().request(shard, q.accusation().samples());
          Optional<RevealResponse> answer = ask(stage, request);
          ShardVerification v =
              m.verifier().verify(shard, job.previousOutputBoundary(index), request, answer);
          boolean confirms = !v.passed();
          if (confirms) {
            // It signs the accuser's evidence hash, having recomputed it from the evidence.
            signatures.put(
                m.address(),
                JobMarketEip712.sign(
                    JobMarketEip712.fraudVerdictDigest(
                        DOMAIN.chainId(),
                        DOMAIN.contract().toString(),
                        jobId.toByteArray(),
                        BigInteger.valueOf(index),
                        evidence.hash().toByteArray()),
                    m.wallet()));
          }
          inputs.add(new Input.QuorumVote(m.address(), confirms));
        }
      } else if (e instanceof Effect.Pass || e instanceof Effect.Convict) {
        end = e;
      }
      for (Input in : inputs) {
        t = Escalation.apply(t.state(), in);
        all.addAll(t.effects());
        todo.addAll(t.effects());
      }
    }
    return new Outcome(t.state(), end, all, evidence, signatures);
  }

  static byte[] sha256(String s) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static VerdictSigner signer(long seq) {
    return new VerdictSigner(new EventSigner(SELF_KEY, DOMAIN, seq), SELF_WALLET, DOMAIN);
  }

  static boolean slashed(Outcome o) {
    return o.effects().stream().anyMatch(e -> e instanceof Effect.Convict);
  }

  @Test
  void anHonestProviderPassesAndTheVerifierSignsVerificationPassed() {
    JobFixture.Job job = job(CheatSwitch.HONEST);
    Outcome o = check(job, false);
    Effect.Pass pass = assertInstanceOf(Effect.Pass.class, o.end());
    assertEquals(Effect.PassKind.CLEAN, pass.kind());
    assertEquals(44, pass.verdicts().size());
    assertFalse(slashed(o));

    var checked =
        new EnvelopeVerifier(DOMAIN)
            .verify(signer(0).passed(Bytes32.fromHex(job.jobId()), 1, pass).toWire());
    assertEquals(SELF_KEY.id(), checked.envelope().author());
    VerificationPassed event = assertInstanceOf(VerificationPassed.class, checked.event());
    assertEquals(44, event.samples().size());
    assertTrue(event.samples().stream().allMatch(s -> s.layer() >= 4 && s.layer() < 8));
  }

  @Test
  void aSubstitutedModelIsConvictedOnlyOnceTheQuorumConfirms() throws Exception {
    JobFixture.Job job = job(CheatSwitch.substituteModel(JobFixture.substitute()));
    Outcome o = check(job, false);
    Effect.Convict convict = assertInstanceOf(Effect.Convict.class, o.end());
    assertEquals(Accusation.Ground.MISMATCH, convict.accusation().ground());
    assertEquals(1, convict.accusation().round(), "many misses at once: no extra round needed");
    assertTrue(
        o.effects()
                .indexOf(
                    o.effects().stream()
                        .filter(e -> e instanceof Effect.RequestQuorum)
                        .findFirst()
                        .get())
            < o.effects().indexOf(convict),
        "the quorum came before the conviction");
    // Two of the three confirm (k = 2): the third vote is never needed.
    assertEquals(2, convict.confirmers().size());

    FraudEvidence evidence = o.evidence();
    assertEquals(44, evidence.reveals().size(), "a reveal of every failing sample");
    VerdictSigner.SignedFraud fraud = signer(1).fraud(convict, evidence);
    FraudDetected event =
        assertInstanceOf(
            FraudDetected.class,
            new EnvelopeVerifier(DOMAIN).verify(fraud.event().toWire()).event());
    assertEquals(PROVIDER_KEY.id(), event.accused());
    assertEquals(evidence.hash(), event.evidenceHash());
    assertTrue(event.verdicts().stream().noneMatch(SampleVerdict::matched));
    assertTrue(
        event.verdicts().stream().allMatch(v -> v.maxErrorPpm() > 1_700),
        "every error above the 1.7e-3 tolerance");

    // resolveFraud's signatures: the accuser's and the confirmers', ascending by signer.
    byte[] digest = signer(2).fraudVerdictDigest(Bytes32.fromHex(job.jobId()), 1, evidence.hash());
    List<byte[]> sigs = new ArrayList<>();
    sigs.add(fraud.verdictSignature());
    for (EthAddress c : convict.confirmers()) {
      sigs.add(o.quorumSignatures().get(c));
    }
    List<byte[]> ordered = VerdictSigner.ascendingBySigner(digest, sigs);
    List<EthAddress> signers = new ArrayList<>();
    for (byte[] s : ordered) {
      signers.add(EthAddress.fromHex(JobMarketEip712.recover(digest, s)));
    }
    Set<EthAddress> expected = new HashSet<>(convict.confirmers());
    expected.add(EthAddress.fromHex(SELF_WALLET.getAddress()));
    assertEquals(expected, new HashSet<>(signers));
    assertEquals(signers.stream().sorted(Comparator.naturalOrder()).toList(), signers);
  }

  @Test
  void aRefusingProviderIsConvictedAfterTheQuorumAsksAgain() {
    JobFixture.Job job = job(CheatSwitch.refuseReveal());
    Outcome o = check(job, false);
    Effect.Convict convict = assertInstanceOf(Effect.Convict.class, o.end());
    assertEquals(Accusation.Ground.REFUSAL, convict.accusation().ground());
    assertTrue(o.evidence().reveals().isEmpty(), "nothing was revealed");
    FraudDetected event =
        assertInstanceOf(
            FraudDetected.class,
            new EnvelopeVerifier(DOMAIN)
                .verify(signer(3).fraud(convict, o.evidence()).event().toWire())
                .event());
    assertTrue(event.verdicts().stream().allMatch(v -> !v.matched() && v.maxErrorPpm() == 0));
  }

  @Test
  void aVerifierAloneCannotSlashAnHonestProviderByClaimingItNeverAnswered() {
    JobFixture.Job job = job(CheatSwitch.HONEST);
    Outcome o = check(job, true);
    assertTrue(
        o.effects().stream().anyMatch(e -> e instanceof Effect.RequestQuorum),
        "the accuser did accuse");
    Effect.Pass pass = assertInstanceOf(Effect.Pass.class, o.end());
    assertEquals(Effect.PassKind.DISMISSED, pass.kind());
    assertFalse(slashed(o));
    assertTrue(o.quorumSignatures().isEmpty(), "no member signed a FraudVerdict");
  }
}
