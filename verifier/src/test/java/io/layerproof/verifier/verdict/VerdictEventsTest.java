package io.layerproof.verifier.verdict;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.layerproof.chain.contracts.JobMarketEip712;
import io.layerproof.chain.event.Bytes32;
import io.layerproof.chain.event.EnvelopeFormat;
import io.layerproof.chain.event.EnvelopeVerifier;
import io.layerproof.chain.event.EthAddress;
import io.layerproof.chain.event.EventRejectedException;
import io.layerproof.chain.event.EventSigner;
import io.layerproof.chain.event.FraudDetected;
import io.layerproof.chain.event.LedgerDomain;
import io.layerproof.chain.event.NodeKey;
import io.layerproof.chain.event.RejectReason;
import io.layerproof.chain.event.SampleVerdict;
import io.layerproof.chain.event.SignedEvent;
import io.layerproof.chain.event.VerificationPassed;
import io.layerproof.chain.event.VerifiedEvent;
import io.layerproof.inference.hook.Activation;
import io.layerproof.inference.hook.ElementType;
import io.layerproof.verifier.commit.Reveal;
import io.layerproof.verifier.escalation.Accusation;
import io.layerproof.verifier.escalation.Effect;
import io.layerproof.verifier.escalation.Escalation;
import io.layerproof.verifier.escalation.EscalationPolicy;
import io.layerproof.verifier.escalation.EscalationState;
import io.layerproof.verifier.escalation.Input;
import io.layerproof.verifier.escalation.Transition;
import io.layerproof.verifier.reexec.Verdict;
import io.layerproof.verifier.reexec.Verdict.Status;
import io.layerproof.verifier.reveal.RevealResponse;
import io.layerproof.verifier.reveal.SampleReveal;
import io.layerproof.verifier.sampling.Sample;
import io.layerproof.verifier.sampling.SampleDrawer;
import io.layerproof.verifier.tolerance.ActivationError;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.SignatureException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.Keys;

/**
 * Outcomes of the escalation become the ledger's events, signed by the verifier's node key and
 * accepted by the ledger's own envelope checks; the fraud verdict is JobMarket's EIP-712 digest
 * signed by the verifier's wallet.
 */
class VerdictEventsTest {

  static final LedgerDomain DOMAIN =
      LedgerDomain.of(31337, "0x5fbdb2315678afecb367f032d93f642f64180aa3");
  static final Bytes32 JOB = Bytes32.keccak("job".getBytes(StandardCharsets.UTF_8));
  static final NodeKey PROVIDER = NodeKey.generate();
  static final EthAddress SELF = EthAddress.fromHex("0x00000000000000000000000000000000000000a0");
  static final EthAddress ACCUSED =
      EthAddress.fromHex("0x00000000000000000000000000000000000000b0");

  static Credentials wallet() {
    try {
      return Credentials.create(Keys.createEcKeyPair());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static Verdict verdict(Sample s, Status status, double error) {
    return new Verdict(
        s, status, Double.isNaN(error) ? null : new ActivationError(error, error), "" + status);
  }

  static List<Sample> draw(int m) {
    return SampleDrawer.draw(new byte[32], "job", 64, 4, 8, m);
  }

  static Effect last(Transition t) {
    return t.effects().get(t.effects().size() - 1);
  }

  /** A clean pass of the default policy's 44 samples. */
  static Effect.Pass cleanPass() {
    Transition t = Escalation.start(EscalationPolicy.DEFAULT, SELF, ACCUSED, draw(176));
    List<Verdict> v = new ArrayList<>();
    for (Sample s : t.state().challenged()) {
      v.add(verdict(s, Status.PASS, 2.5e-4));
    }
    return assertInstanceOf(
        Effect.Pass.class, last(Escalation.apply(t.state(), new Input.Verified(1, v))));
  }

  /**
   * A conviction: in round 1 sample 0 mismatches by 1.23e-2, sample 1 has a bad proof, sample 2 was
   * not revealed; then two quorum members confirm.
   */
  static EscalationState convicted() {
    Transition t = Escalation.start(EscalationPolicy.DEFAULT, SELF, ACCUSED, draw(176));
    List<Sample> s = t.state().challenged();
    List<Verdict> v = new ArrayList<>();
    for (int i = 0; i < s.size(); i++) {
      v.add(
          i == 0
              ? verdict(s.get(i), Status.MISMATCH, 1.23e-2)
              : i == 1
                  ? verdict(s.get(i), Status.BAD_PROOF, Double.NaN)
                  : i == 2
                      ? verdict(s.get(i), Status.MISSING_REVEAL, Double.NaN)
                      : verdict(s.get(i), Status.PASS, 3.1e-4));
    }
    t = Escalation.apply(t.state(), new Input.Verified(1, v));
    List<EthAddress> q =
        List.of(
            EthAddress.fromHex("0x0000000000000000000000000000000000000001"),
            EthAddress.fromHex("0x0000000000000000000000000000000000000002"),
            EthAddress.fromHex("0x0000000000000000000000000000000000000003"));
    t = Escalation.apply(t.state(), new Input.QuorumFormed(q));
    t = Escalation.apply(t.state(), new Input.QuorumVote(q.get(0), true));
    t = Escalation.apply(t.state(), new Input.QuorumVote(q.get(2), true));
    assertInstanceOf(Effect.Convict.class, last(t));
    return t.state();
  }

  static Effect.Convict convict(EscalationState s) {
    return new Effect.Convict(s.accusation(), List.of(), s.verdicts());
  }

  static Activation row(int n) {
    byte[] data = new byte[2 * n];
    for (int i = 0; i < data.length; i++) {
      data[i] = (byte) i;
    }
    return new Activation(ElementType.FP16, new int[] {n}, data);
  }

  /** The provider's (synthetic) reveals of the samples of {@code s}. */
  static RevealResponse response(List<Sample> samples) {
    List<SampleReveal> reveals = new ArrayList<>();
    for (Sample x : samples) {
      byte[] leaf = new byte[32];
      leaf[0] = (byte) x.position();
      Reveal out = new Reveal("job", 4, x.position(), x.layer(), row(8), leaf, List.of(leaf));
      reveals.add(new SampleReveal(x, out, List.of(), List.of(), null));
    }
    return new RevealResponse("job", 4, reveals);
  }

  static FraudEvidence evidence(EscalationState s) {
    List<Sample> asked = s.challenged();
    // The provider answered all but the sample it withheld.
    return FraudEvidence.of(
        JOB,
        1,
        PROVIDER.id(),
        s.verdicts(),
        List.of(response(asked.subList(0, 2)), response(asked.subList(3, asked.size()))));
  }

  @Test
  void aPassIsAVerificationPassedSignedByTheNodeKey() {
    NodeKey key = NodeKey.generate();
    VerdictSigner signer = new VerdictSigner(new EventSigner(key, DOMAIN, 0), wallet(), DOMAIN);
    Effect.Pass pass = cleanPass();
    SignedEvent signed = signer.passed(JOB, 1, pass);

    VerifiedEvent checked = new EnvelopeVerifier(DOMAIN).verify(signed.toWire());
    assertEquals(key.id(), checked.envelope().author());
    VerificationPassed event = assertInstanceOf(VerificationPassed.class, checked.event());
    assertEquals(JOB, event.jobId());
    assertEquals(1, event.shardIndex());
    assertEquals(44, event.samples().size());
    Sample first = pass.verdicts().get(0).sample();
    assertEquals(
        new io.layerproof.chain.event.Sample(first.position(), first.layer()),
        event.samples().get(0));
    // Signed for this deployment only.
    EventRejectedException e =
        assertThrows(
            EventRejectedException.class,
            () ->
                new EnvelopeVerifier(LedgerDomain.of(1, DOMAIN.contract().toString()))
                    .verify(signed.toWire()));
    assertEquals(RejectReason.WRONG_CHAIN_ID, e.reason());
  }

  @Test
  void aConvictionIsAFraudDetectedWithEveryVerdictAndTheEvidenceHash() {
    NodeKey key = NodeKey.generate();
    Credentials wallet = wallet();
    VerdictSigner signer = new VerdictSigner(new EventSigner(key, DOMAIN, 7), wallet, DOMAIN);
    EscalationState s = convicted();
    FraudEvidence evidence = evidence(s);
    // Reveals only for the mismatch and the bad proof: the withheld sample has none.
    assertEquals(2, evidence.reveals().size());

    VerdictSigner.SignedFraud fraud = signer.fraud(convict(s), evidence);
    VerifiedEvent checked = new EnvelopeVerifier(DOMAIN).verify(fraud.event().toWire());
    assertEquals(7, checked.envelope().seq());
    FraudDetected event = assertInstanceOf(FraudDetected.class, checked.event());
    assertEquals(PROVIDER.id(), event.accused());
    assertEquals(evidence.hash(), event.evidenceHash());
    assertEquals(fraud.evidenceHash(), event.evidenceHash());
    assertEquals(44, event.verdicts().size());
    List<SampleVerdict> v = event.verdicts();
    assertEquals(
        new SampleVerdict(LedgerVerdicts.sample(s.challenged().get(0)), false, 12_300), v.get(0));
    assertEquals(
        new SampleVerdict(LedgerVerdicts.sample(s.challenged().get(1)), false, 0), v.get(1));
    assertEquals(
        new SampleVerdict(LedgerVerdicts.sample(s.challenged().get(2)), false, 0), v.get(2));
    assertEquals(
        new SampleVerdict(LedgerVerdicts.sample(s.challenged().get(3)), true, 310), v.get(3));
    assertEquals(12_300, LedgerVerdicts.maxErrorPpm(s.verdicts()));

    // The wallet's FraudVerdict signature is over JobMarket's digest and recovers to the wallet.
    byte[] digest =
        JobMarketEip712.fraudVerdictDigest(
            DOMAIN.chainId(),
            DOMAIN.contract().toString(),
            JOB.toByteArray(),
            BigInteger.ONE,
            evidence.hash().toByteArray());
    assertArrayEquals(digest, signer.fraudVerdictDigest(JOB, 1, evidence.hash()));
    assertEquals(65, fraud.verdictSignature().length);
    try {
      assertEquals(wallet.getAddress(), JobMarketEip712.recover(digest, fraud.verdictSignature()));
    } catch (SignatureException e) {
      throw new AssertionError(e);
    }
    assertEquals(EthAddress.fromHex(wallet.getAddress()), signer.address());
  }

  @Test
  void theEvidenceHashCommitsToEveryPart() {
    EscalationState s = convicted();
    FraudEvidence e = evidence(s);
    Bytes32 h = e.hash();
    assertEquals(h, evidence(s).hash(), "deterministic");
    assertEquals(Bytes32.keccak(e.encode()), h);

    List<UnaryOperator<FraudEvidence>> changes = new ArrayList<>();
    changes.add(
        x ->
            new FraudEvidence(
                Bytes32.keccak(new byte[1]), 1, x.accused(), x.verdicts(), x.reveals()));
    changes.add(x -> new FraudEvidence(x.jobId(), 2, x.accused(), x.verdicts(), x.reveals()));
    changes.add(
        x -> new FraudEvidence(x.jobId(), 1, NodeKey.generate().id(), x.verdicts(), x.reveals()));
    changes.add(
        x -> new FraudEvidence(x.jobId(), 1, x.accused(), x.verdicts(), x.reveals().subList(0, 1)));
    changes.add(
        x -> {
          // One byte of one revealed activation.
          SampleReveal r = x.reveals().get(0);
          byte[] data = r.output().activation().data().clone();
          data[3] ^= 1;
          Reveal out =
              new Reveal(
                  r.output().jobId(),
                  r.output().startLayer(),
                  r.output().position(),
                  r.output().layer(),
                  new Activation(ElementType.FP16, r.output().activation().shape(), data),
                  r.output().leaf(),
                  r.output().proof());
          List<SampleReveal> reveals = new ArrayList<>(x.reveals());
          reveals.set(0, new SampleReveal(r.sample(), out, List.of(), List.of(), null));
          return new FraudEvidence(x.jobId(), 1, x.accused(), x.verdicts(), reveals);
        });
    changes.add(
        x -> withVerdict(x, 0, verdict(x.verdicts().get(0).sample(), Status.MISMATCH, 1.24e-2)));
    changes.add(
        x ->
            withVerdict(
                x, 1, verdict(x.verdicts().get(1).sample(), Status.BOUNDARY_MISMATCH, Double.NaN)));
    changes.add(x -> withVerdict(x, 5, verdict(x.verdicts().get(5).sample(), Status.PASS, 3.2e-4)));
    changes.add(
        x -> {
          List<Verdict> swapped = new ArrayList<>(x.verdicts());
          Collections.swap(swapped, 4, 5);
          return new FraudEvidence(x.jobId(), 1, x.accused(), swapped, x.reveals());
        });
    for (int i = 0; i < changes.size(); i++) {
      assertNotEquals(h, changes.get(i).apply(e).hash(), "change " + i);
    }
  }

  private static FraudEvidence withVerdict(FraudEvidence x, int i, Verdict v) {
    List<Verdict> verdicts = new ArrayList<>(x.verdicts());
    verdicts.set(i, v);
    return new FraudEvidence(x.jobId(), x.shardIndex(), x.accused(), verdicts, x.reveals());
  }

  @Test
  void evidenceAndEventsAreChecked() {
    EscalationState s = convicted();
    FraudEvidence e = evidence(s);
    SampleReveal passing = response(List.of(s.challenged().get(10))).reveals().get(0);
    assertThrows(
        IllegalArgumentException.class,
        () -> new FraudEvidence(JOB, 1, PROVIDER.id(), s.verdicts(), List.of(passing)));
    assertThrows(
        IllegalArgumentException.class,
        () ->
            new FraudEvidence(
                JOB,
                1,
                PROVIDER.id(),
                s.verdicts(),
                List.of(e.reveals().get(0), e.reveals().get(0))));
    List<Verdict> allPass = new ArrayList<>();
    for (Sample x : s.challenged()) {
      allPass.add(verdict(x, Status.PASS, 1e-4));
    }
    assertThrows(
        IllegalArgumentException.class,
        () -> new FraudEvidence(JOB, 1, PROVIDER.id(), allPass, List.of()));
    // The event must carry the very verdicts and shard the evidence commits to.
    assertThrows(IllegalArgumentException.class, () -> LedgerVerdicts.fraud(JOB, 2, convict(s), e));
    Effect.Convict other =
        new Effect.Convict(s.accusation(), List.of(), s.verdicts().subList(0, 10));
    assertThrows(IllegalArgumentException.class, () -> LedgerVerdicts.fraud(JOB, 1, other, e));
  }

  @Test
  void theLargestEscalatedFraudFitsAnEnvelopeAndAnOversizedOneIsRefusedBeforeSigning() {
    EventSigner events = new EventSigner(NodeKey.generate(), DOMAIN, 0);
    VerdictSigner signer = new VerdictSigner(events, wallet(), DOMAIN);
    // 176 verdicts with the widest numbers: positions at the default reveal limit, 4-digit
    // layers, errors that saturate (NaN would print 19 digits unsaturated).
    List<Verdict> wide = new ArrayList<>();
    for (int i = 0; i < EscalationPolicy.DEFAULT.escalatedSamples(); i++) {
      wide.add(
          verdict(new Sample(16_383 - i, 1000 + i), Status.MISMATCH, i % 2 == 0 ? 1e300 : 1e5));
    }
    wide.set(
        0,
        new Verdict(
            wide.get(0).sample(),
            Status.MISMATCH,
            new ActivationError(Double.NaN, Double.NaN),
            "NaN"));
    assertEquals(LedgerVerdicts.MAX_ERROR_PPM, LedgerVerdicts.maxErrorPpm(wide.get(0)));
    assertEquals(LedgerVerdicts.MAX_ERROR_PPM, LedgerVerdicts.maxErrorPpm(wide.get(2)));
    Effect.Convict c =
        new Effect.Convict(
            new Accusation(
                Accusation.Ground.MISMATCH, 2, wide.stream().map(Verdict::sample).toList()),
            List.of(),
            wide);
    FraudEvidence evidence = new FraudEvidence(JOB, 1000, PROVIDER.id(), wide, List.of());
    SignedEvent signed = signer.fraud(c, evidence).event();
    int size = signed.toWire().length;
    System.out.printf(
        "FraudDetected with %d verdicts: %d of %d envelope bytes%n",
        wide.size(), size, EnvelopeFormat.MAX_ENVELOPE_BYTES);
    assertTrue(size <= EnvelopeFormat.MAX_ENVELOPE_BYTES);
    new EnvelopeVerifier(DOMAIN).verify(signed.toWire());
    assertEquals(1, events.nextSeq());

    List<Verdict> twice = new ArrayList<>(wide);
    for (int i = 0; i < wide.size(); i++) {
      twice.add(verdict(new Sample(i, 2000 + i), Status.MISMATCH, 1e5));
    }
    Effect.Convict tooBig = new Effect.Convict(c.accusation(), List.of(), twice);
    FraudEvidence big = new FraudEvidence(JOB, 1000, PROVIDER.id(), twice, List.of());
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> signer.fraud(tooBig, big));
    assertTrue(e.getMessage().contains("over the ledger's 16384"), e.getMessage());
    assertEquals(1, events.nextSeq(), "no sequence number was spent on the refused event");
  }

  @Test
  void quorumSignaturesAreOrderedBySignerAsResolveFraudWants() throws Exception {
    byte[] digest =
        new VerdictSigner(new EventSigner(NodeKey.generate(), DOMAIN, 0), wallet(), DOMAIN)
            .fraudVerdictDigest(JOB, 0, Bytes32.keccak(new byte[] {1}));
    List<Credentials> wallets = List.of(wallet(), wallet(), wallet(), wallet());
    List<byte[]> sigs = new ArrayList<>();
    for (Credentials w : wallets) {
      sigs.add(JobMarketEip712.sign(digest, w));
    }
    List<byte[]> ordered = VerdictSigner.ascendingBySigner(digest, sigs);
    assertEquals(4, ordered.size());
    for (int i = 1; i < ordered.size(); i++) {
      EthAddress a = EthAddress.fromHex(JobMarketEip712.recover(digest, ordered.get(i - 1)));
      EthAddress b = EthAddress.fromHex(JobMarketEip712.recover(digest, ordered.get(i)));
      assertTrue(a.compareTo(b) < 0, a + " before " + b);
    }
    List<byte[]> dup = List.of(sigs.get(0), sigs.get(1), sigs.get(0));
    assertThrows(SignatureException.class, () -> VerdictSigner.ascendingBySigner(digest, dup));
    assertThrows(
        SignatureException.class,
        () -> VerdictSigner.ascendingBySigner(digest, List.of(new byte[64])));
  }
}
